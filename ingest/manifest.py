"""Document metadata: the corpus manifest, and stable ids for other PDFs."""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path


@dataclass
class DocMeta:
    id: str
    title: str = ""
    short: str = ""
    publisher: str = ""
    year: int | None = None
    kind: str = ""
    language: str = "nl"


def load_manifest(path: Path) -> dict[str, DocMeta]:
    """Map PDF file name -> metadata from a manifest.toml ([[document]] tables)."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    out = {}
    for entry in data.get("document", []):
        name = entry.get("file") or f"{entry['id']}.pdf"
        year = entry.get("year")
        out[name] = DocMeta(
            id=entry["id"],
            title=entry.get("title", ""),
            short=entry.get("short", ""),
            publisher=entry.get("publisher", ""),
            year=int(year) if year else None,
            kind=entry.get("kind", ""),
            language=entry.get("language", "nl"),
        )
    return out


def manifest_for(pdf: Path) -> DocMeta | None:
    """The manifest entry for `pdf`, from a manifest.toml in its folder."""
    manifest = pdf.parent / "manifest.toml"
    if not manifest.is_file():
        return None
    try:
        return load_manifest(manifest).get(pdf.name)
    except (tomllib.TOMLDecodeError, KeyError, OSError):
        return None


# Latin letters that have no decomposition into an ASCII letter plus accents
_FOLD = str.maketrans({"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"})
MAX_SLUG = 80


def slug_id(pdf: Path) -> str:
    """A readable, stable document id from a file name: 'Nota Techniek (2024).pdf' ->
    'nota-techniek-2024'. The id is plain ASCII (no look-alike letters, safe in a terminal and a
    URL). Where the ASCII slug loses letters or digits of the name (another script, a cut at
    MAX_SLUG), a short hash of the whole name follows, so distinct names keep distinct ids:
    'Политика.pdf' -> 'document-1f2e3d'."""
    name = unicodedata.normalize("NFC", Path(pdf).stem)
    folded = unicodedata.normalize("NFKD", name.lower().translate(_FOLD))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    slug = re.sub(r"[^a-z0-9]+", "-", folded).strip("-")
    kept = sum(ch.isascii() and ch.isalnum() for ch in folded)
    lost = sum(ch.isalnum() for ch in folded) - kept
    if not lost and slug and len(slug) <= MAX_SLUG:
        return slug
    digest = hashlib.sha256(name.encode("utf-8", "surrogatepass")).hexdigest()[:6]
    return f"{slug[:MAX_SLUG].strip('-') or 'document'}-{digest}"


def guess_year(*texts: str) -> int | None:
    for text in texts:
        years = [int(y) for y in re.findall(r"\b(19[5-9]\d|20[0-4]\d)\b", text or "")]
        if years:
            return max(years)
    return None
