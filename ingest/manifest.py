"""Document metadata: the corpus manifest, and stable ids for other PDFs."""

from __future__ import annotations

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


def slug_id(pdf: Path) -> str:
    """A stable document id from a file name: 'Nota Techniek (2024).pdf' -> 'nota-techniek-2024'."""
    stem = unicodedata.normalize("NFKD", Path(pdf).stem)
    stem = "".join(ch for ch in stem if not unicodedata.combining(ch))
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return slug[:80] or "document"


def guess_year(*texts: str) -> int | None:
    for text in texts:
        years = [int(y) for y in re.findall(r"\b(19[5-9]\d|20[0-4]\d)\b", text or "")]
        if years:
            return max(years)
    return None
