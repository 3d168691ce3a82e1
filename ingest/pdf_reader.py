"""Read a PDF into positioned text lines, page by page, with pypdf.

Plain data out: a list of `Page`, each with its printed label and its lines in
reading order (two-column pages are read column by column). Files that cannot
be read raise `PdfRejected` with a reason code and a Dutch message for users.
"""

from __future__ import annotations

import logging
import re
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pypdf

from .pdf_fragments import fragments

log = logging.getLogger(__name__)
# pypdf warns on stderr about ordinary PDFs (font dictionaries it parses partially, e.g.
# "fontTools is required to fully parse ..."); the text check (text_check) judges the outcome
logging.getLogger("pypdf").setLevel(logging.ERROR)

# Minimum number of non-space characters per page (on average) below which a
# PDF is considered to have no usable text layer (a scan).
MIN_CHARS_PER_PAGE = 20
# more pages than any policy document has (a bound on a file's parse time, which grows per page)
MAX_PAGES = 5000


# Bidirectional embedding, override and isolate controls: they reorder what a
# terminal or browser shows ("Trojan source") and carry no text.
_BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CONTROL_RE = re.compile(f"[\x00-\x08\x0e-\x1b\x7f-\x9f{_BIDI_CONTROLS}]")


def _control_char(m: re.Match) -> str:
    ch = m.group()
    if "\x80" <= ch <= "\x9f":
        # C1 codes in extracted text are cp1252 punctuation decoded as Latin-1
        # by a font without a proper encoding (0x93 -> a left double quote)
        try:
            return bytes([ord(ch)]).decode("cp1252")
        except UnicodeDecodeError:
            return ""
    return ""


def clean_text(text: str) -> str:
    """Text from a PDF without control characters: document text is shown in
    terminals and pages, and must never carry escape sequences or bidi overrides.
    (Tabs, newlines and the other whitespace controls are left to the callers,
    which collapse whitespace.)"""
    return _CONTROL_RE.sub(_control_char, text)


class PdfRejected(Exception):
    """A PDF that cannot be ingested. `code` is stable, `message` is Dutch (for users);
    `detail` is the PDF library's own technical text (English, for the log)."""

    def __init__(self, code: str, message: str, detail: str = ""):
        super().__init__(message)
        self.code = code
        self.message = message
        self.detail = detail


@dataclass
class Line:
    text: str
    x0: float
    x1: float
    y: float  # baseline, PDF coordinates (larger = higher on the page)
    size: float  # font size in points


# A word recognised by OCR: (text, x0, top, x1, bottom) in PDF points from the page's
# top-left corner, so a page view can light it up on the rendered image.
WordBox = tuple[str, float, float, float, float]


@dataclass
class Page:
    number: int  # 1-based physical page number
    label: str  # printed page label ("iv", "46"); the number when the PDF has none
    height: float
    lines: list[Line] = field(default_factory=list)
    ocr: bool = False  # the lines come from OCR of the page image, not from a text layer
    quality: str = "goed"  # text-quality verdict: "goed", "matig" or "slecht"
    reasons: list[str] = field(default_factory=list)  # Dutch, why the verdict is not "goed"
    words: list[WordBox] = field(default_factory=list)  # OCR word boxes (empty for text pages)
    width: float = 595.0


@dataclass
class PdfContent:
    pages: list[Page]
    title: str  # from the PDF's info dictionary, "" if absent
    n_pages: int
    # the info dictionary: title, author, subject, creation_date (as written: "D:20210707..."), producer
    info: dict[str, str] = field(default_factory=dict)


def _open(path: Path) -> pypdf.PdfReader:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise PdfRejected("onleesbaar", f"Het bestand kan niet worden geopend: {exc.strerror}.") from exc
    if size == 0:
        raise PdfRejected("leeg", "Het bestand is leeg (0 bytes).")
    with path.open("rb") as fh:
        head = fh.read(1024)
    if b"%PDF-" not in head:
        raise PdfRejected("geen-pdf", "Het bestand is geen PDF (er staat geen PDF-kop in).")
    try:
        reader = pypdf.PdfReader(str(path), strict=False)
    except Exception as exc:  # pypdf raises many kinds on broken files
        raise PdfRejected("beschadigd", "De PDF is beschadigd en kan niet worden gelezen.", _short(exc)) from exc
    if reader.is_encrypted:
        try:
            ok = reader.decrypt("")
        except Exception as exc:
            raise PdfRejected(
                "versleuteld", "De PDF is versleuteld met een methode die niet kan worden ontsleuteld.", _short(exc)
            ) from exc
        if not ok:
            raise PdfRejected(
                "versleuteld",
                "De PDF is beveiligd met een wachtwoord; zonder wachtwoord kan de tekst niet worden gelezen.",
            )
    return reader


def _short(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text[:160]


def _page_count(reader: pypdf.PdfReader) -> int:
    try:
        n = len(reader.pages)
    except Exception as exc:
        raise PdfRejected("beschadigd", "De paginastructuur van de PDF is beschadigd.", _short(exc)) from exc
    if n == 0:
        raise PdfRejected("leeg", "De PDF bevat geen pagina's.")
    if n > MAX_PAGES:
        raise PdfRejected(
            "te-groot",
            f"De PDF heeft {n} pagina's; beleidsbank leest PDF's tot {MAX_PAGES} pagina's. "
            "Splits het bestand in delen en voeg die toe.",
        )
    return n


def count_pages(path: Path) -> int:
    """Number of pages of `path` (cheap: no text is extracted). Raises PdfRejected."""
    return _page_count(_open(Path(path)))


# OCR hook: (pdf path, 1-based numbers of pages without a usable text layer) -> a Page
# for each page it could read; pages it leaves out stay as extracted.
OcrPages = Callable[[Path, list[int]], dict[int, Page]]


def needs_ocr(page: Page) -> bool:
    """A page whose text layer is missing or too thin to be the page's text."""
    return sum(len(ln.text.replace(" ", "")) for ln in page.lines) < MIN_CHARS_PER_PAGE


def read_pdf(path: Path, ocr: OcrPages | None = None) -> PdfContent:
    """Extract all pages of `path`. Raises PdfRejected for unreadable files. With `ocr`,
    pages without a usable text layer are handed to it and replaced by what it reads."""
    path = Path(path)
    reader = _open(path)
    n = _page_count(reader)
    try:
        labels = list(reader.page_labels)
    except Exception:
        labels = []
    if len(labels) != n:
        labels = [str(i + 1) for i in range(n)]
    pages: list[Page] = []
    failed = 0
    for i in range(n):
        try:
            page = reader.pages[i]
            height, width = float(page.mediabox.height), float(page.mediabox.width)
            lines = page_lines(page)
        except Exception as exc:  # one broken page must not sink the document
            log.warning("page %d of %s unreadable: %s", i + 1, path.name, exc)
            failed += 1
            height, width, lines = 842.0, 595.0, []
        pages.append(Page(number=i + 1, label=str(labels[i]), height=height, lines=lines, width=width))
    if failed == n:
        raise PdfRejected("beschadigd", "Geen enkele pagina van de PDF kon worden gelezen.")
    from .text_check import check_pages  # a second reading of each page: repair and verdict

    check_pages(path, pages)
    if ocr is not None:
        empty = [p.number for p in pages if needs_ocr(p)]
        if empty:
            read = ocr(path, empty)
            pages = [read.get(p.number, p) for p in pages]
    chars = sum(len(ln.text.replace(" ", "")) for p in pages for ln in p.lines)
    if chars < MIN_CHARS_PER_PAGE * n and chars < 200:
        raise PdfRejected(
            "geen-tekst", "De PDF heeft geen tekstlaag (gescande pagina's?); eerst tekstherkenning (OCR) toepassen."
        )
    info = _info(reader)
    return PdfContent(pages=pages, title=info["title"], n_pages=n, info=info)


def _info(reader: pypdf.PdfReader) -> dict[str, str]:
    """The info dictionary's text fields, each "" when absent or unreadable."""
    out = dict.fromkeys(("title", "author", "subject", "creation_date", "producer"), "")
    try:
        meta = reader.metadata or {}
        for name in out:
            key = "/" + name.title().replace("_", "")  # creation_date -> /CreationDate
            value = meta[key] if key in meta else None  # [] resolves indirect objects
            out[name] = " ".join(clean_text(str(value or "")).split())
    except Exception:
        pass
    return out


# --- line assembly -----------------------------------------------------------


def page_lines(page) -> list[Line]:
    """Lines of one pypdf page in reading order."""
    try:
        frags = fragments(page)
    except Exception as exc:
        log.debug("layout extraction failed, falling back to plain text: %s", exc)
        return _plain_lines(page)
    if not frags:
        return _plain_lines(page)
    return _reading_order(_group_lines(frags))


def _plain_lines(page) -> list[Line]:
    text = page.extract_text() or ""
    out, y = [], 10000.0
    for raw in text.splitlines():
        raw = clean_text(raw).strip()
        if raw:
            out.append(Line(raw, 0.0, 0.0, y, 10.0))
        y -= 12.0
    return out


def _group_lines(frags: list[dict]) -> list[list[dict]]:
    """Group fragments into visual lines by baseline, top to bottom."""
    frags = sorted(frags, key=lambda f: (-f["ty"] * f["flip_sort"], f["tx"]))
    lines: list[list[dict]] = []
    for f in frags:
        y = f["ty"] * f["flip_sort"]
        if lines:
            cur = lines[-1]
            # the line's main text is the reference, not its biggest glyphs: one outsized
            # fragment (an OCR layer's misread stamp) must not widen the band and pull the
            # next line's words in between this line's
            ref = max(cur, key=lambda g: len(g["text"].strip()) * g["font_size"])
            tol = 0.45 * max(ref["font_height"], f["font_height"], 1.0)
            if abs(ref["ty"] * ref["flip_sort"] - y) <= tol:
                cur.append(f)
                continue
        lines.append([f])
    return [sorted(ln, key=lambda g: g["tx"]) for ln in lines]


def _segments(line: list[dict]) -> list[list[dict]]:
    """Split a visual line where a wide horizontal gap separates columns."""
    segs = [[line[0]]]
    for f in line[1:]:
        prev = segs[-1][-1]
        gap = f["tx"] - prev["displaced_tx"]
        if gap > 2.5 * max(prev["font_size"], f["font_size"], 1.0):
            segs.append([f])
        else:
            segs[-1].append(f)
    return segs


_SUPERSCRIPT = re.compile(r"^[\d*†,]{1,4}$")


def _make_line(seg: list[dict]) -> Line:
    main = max(seg, key=lambda g: len(g["text"].strip()) * g["font_size"])
    base_y = main["ty"] * main["flip_sort"]
    parts: list[str] = []
    prev = None
    for f in seg:
        text = f["text"]
        # footnote markers: small raised digits right after a word
        if (
            prev is not None
            and f["font_size"] < 0.8 * main["font_size"]
            and f["ty"] * f["flip_sort"] > base_y + 0.15 * main["font_size"]
            and _SUPERSCRIPT.match(text.strip())
        ):
            prev = f
            continue
        if prev is not None and parts:
            gap = f["tx"] - prev["displaced_tx"]
            if gap > 0.2 * max(f["font_size"], 1.0) and not parts[-1].endswith(" ") and not text.startswith(" "):
                parts.append(" ")
        parts.append(text)
        prev = f
    text = re.sub(r"\s+", " ", clean_text("".join(parts))).strip()
    return Line(
        text=text,
        x0=float(seg[0]["tx"]),
        x1=float(max(g["displaced_tx"] for g in seg)),
        y=float(base_y),
        size=float(main["font_size"]),
    )


def _gutter(seg_lines: list[list[Line]]) -> float | None:
    """x position between two text columns, if the page has two columns."""
    splits = []
    for segs in seg_lines:
        if len(segs) == 2:
            splits.append((segs[0].x1 + segs[1].x0) / 2)
    if len(splits) < 3:
        return None
    med = statistics.median(splits)
    close = [s for s in splits if abs(s - med) < 30]
    if len(close) < max(3, 0.6 * len(splits)):
        return None
    return med


def _reading_order(lines: list[list[dict]]) -> list[Line]:
    """Order lines for reading: on a two-column page, the left column's lines
    come before the right column's within the region the columns occupy; lines
    above, below or across the columns (headings, footnotes) stay in place."""
    seg_lines = [[_make_line(s) for s in _segments(ln)] for ln in lines]
    gutter = _gutter(seg_lines)
    if gutter is None:
        return [_join_segments(segs) for segs in seg_lines if segs]
    pair_ys = [segs[0].y for segs in seg_lines if len(segs) == 2]
    top, bottom = max(pair_ys), min(pair_ys)
    out: list[Line] = []
    left: list[Line] = []
    right: list[Line] = []

    def flush() -> None:
        out.extend(left)
        out.extend(right)
        left.clear()
        right.clear()

    for segs in seg_lines:
        for seg in segs:
            tol = 0.5 * seg.size
            spans = seg.x0 < gutter < seg.x1
            in_region = bottom - tol <= seg.y <= top + tol
            column = right if seg.x0 >= gutter else left
            continues = bool(column) and seg.y < bottom and column[-1].y - seg.y < 2.2 * seg.size
            if spans or not (in_region or continues):
                flush()
                out.append(seg)
            elif seg.x0 >= gutter:
                right.append(seg)
            else:
                left.append(seg)
    flush()
    return out


def _join_segments(segs: list[Line]) -> Line:
    if len(segs) == 1:
        return segs[0]
    return Line(
        text=" ".join(s.text for s in segs), x0=segs[0].x0, x1=segs[-1].x1, y=segs[0].y, size=max(s.size for s in segs)
    )
