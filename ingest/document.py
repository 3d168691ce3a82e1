"""From one PDF file to a parsed document: metadata, cleaned text, passages.

`parse_pdf` is the whole per-file pipeline (pypdf -> clean -> spaCy -> passages)
and returns plain data; it raises `PdfRejected` for files that cannot be used.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from .clean import build_blocks
from .language import detect_language, language_warning
from .manifest import DocMeta, manifest_for, slug_id
from .metadata import extract as extract_metadata
from .ocr import ocr_pages
from .passages import Doc, make_passages
from .pdf_reader import PdfContent, PdfRejected, read_pdf
from .statements import Statement, extract


@dataclass
class PageInfo:
    """What the store keeps of a page besides its text: OCR or not, the text-quality
    verdict with its reasons, and the OCR word boxes (for the page view)."""

    number: int
    ocr: bool = False
    quality: str = "goed"
    reasons: list[str] = field(default_factory=list)
    words: list[tuple[str, float, float, float, float]] = field(default_factory=list)


@dataclass
class ParsedDocument:
    meta: DocMeta
    path: str
    sha256: str
    n_pages: int
    doc: Doc
    warnings: list[str]
    statements: list[Statement] = field(default_factory=list)
    pages: list[PageInfo] = field(default_factory=list)


def file_hash(path: Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _meta_from_pdf(path: Path, content: PdfContent, doc: Doc, language: str) -> DocMeta:
    """Metadata of a PDF without a manifest entry: read off its first pages and info dictionary;
    the first heading or the file name when no title is found."""
    found = extract_metadata(content.pages, content.info, path.name)
    first_heading = next((b.text for _, _, b in doc.blocks if b.kind == "heading"), "")
    title = " ".join((found.title or first_heading or path.stem).split())
    return DocMeta(
        id=slug_id(path),
        title=title[:200],
        short=title[:60],
        publisher=found.publisher,
        year=found.year,
        kind=found.kind,
        language=language,
    )


def parse_pdf(path: Path, meta: DocMeta | None = None, sha256: str | None = None) -> ParsedDocument:
    path = Path(path)
    sha = sha256 or file_hash(path)
    content = read_pdf(path, ocr=ocr_pages)  # pages without a text layer are read by OCR
    blocks = build_blocks(content.pages)
    labels = {p.number: p.label for p in content.pages}
    doc = make_passages(blocks, labels)
    if not doc.passages:
        raise PdfRejected("geen-tekst", "De PDF bevat geen bruikbare tekst.")
    meta = meta or manifest_for(path)
    language = detect_language(doc.text)
    warning = language_warning(language, declared=meta.language if meta else None)
    if meta is None:
        meta = _meta_from_pdf(path, content, doc, language.code or "nl")
    return ParsedDocument(
        meta=meta,
        path=str(path.resolve()),
        sha256=sha,
        n_pages=content.n_pages,
        doc=doc,
        warnings=[warning] if warning else [],
        statements=extract(doc),
        pages=[PageInfo(p.number, p.ocr, p.quality, list(p.reasons), list(p.words)) for p in content.pages],
    )
