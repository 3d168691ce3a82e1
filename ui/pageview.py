"""A PDF page as an image with a passage highlighted (pypdfium2 + PIL).

Plain data in, plain data out: `find_spans` locates a passage's text in the
text of a page (both reduced to lower-case letters and digits, so line breaks,
undone hyphenation, soft hyphens and removed headers do not matter), matching
the passage piece by piece in reading order, so a passage that continues on the
next page, or is interrupted by a footnote marker, still lights up where it is.
`render` turns the matched characters into rectangles on the rendered page.
A scanned page has no text layer: its OCR word boxes (passed in as `words`)
stand in for it; `word_rects` finds the passage in the words' text and lights
up the words it covers, one rectangle per run of words on a line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

WORDS_PER_PIECE = 6
MIN_PIECE_CHARS = 12
HIGHLIGHT = (255, 214, 0, 110)  # semi-transparent yellow
OUTLINE = (214, 140, 0, 255)
CLOSING = ".?!:;,)\"'\u2019\u201d"
# a page view never has more pixels than this, whatever the page's size: a legal PDF may declare
# a page of 14400 points square (a 21600-pixel square at the usual scale, several GB)
MAX_PIXELS = 4_000_000


class PageViewError(Exception):
    """A page that cannot be shown (Dutch message for users)."""


@dataclass
class PageView:
    image: object  # PIL.Image.Image (RGB)
    page: int  # 1-based
    n_pages: int
    spans: list[tuple[int, int]] = field(default_factory=list)  # char ranges on the page
    rects: list[tuple[float, float, float, float]] = field(default_factory=list)  # pixels: left, top, right, bottom
    matched_chars: int = 0  # letters/digits of the passage found on this page


def _normalise(text: str) -> tuple[str, list[int]]:
    """Lower-case letters and digits of `text`, and for each its index in `text`."""
    chars, index = [], []
    for i, ch in enumerate(text):
        if ch.isalnum():
            for c in ch.lower():  # 'İ'.lower() is two characters
                chars.append(c)
                index.append(i)
    return "".join(chars), index


def _pieces(passage: str, words: int) -> list[str]:
    toks = ["".join(c.lower() for c in t if c.isalnum()) for t in re.findall(r"\w+", passage)]
    toks = [t for t in toks if t]
    pieces = ["".join(toks[i : i + words]) for i in range(0, len(toks), words)]
    if len(pieces) > 1 and len(pieces[-1]) < MIN_PIECE_CHARS:
        last = pieces.pop()
        pieces[-1] += last
    return pieces


def find_spans(page_text: str, passage: str, words: int = WORDS_PER_PIECE) -> tuple[list[tuple[int, int]], int]:
    """Character ranges [start, end) of `page_text` that hold `passage`, and how many passage letters matched.

    The passage is cut into pieces of a few words; each piece is looked for after
    the previous match (reading order). Pieces that are not on the page (the
    part of a passage on the next page) are skipped. Adjacent matches merge.
    """
    norm, index = _normalise(page_text)
    pos, found = 0, []
    for piece in _pieces(passage, words):
        at = norm.find(piece, pos)
        if at < 0:
            continue
        found.append((at, at + len(piece)))
        pos = at + len(piece)
    merged: list[list[int]] = []
    for a, z in found:
        if merged and a - merged[-1][1] <= 3:  # a footnote marker or two between pieces
            merged[-1][1] = z
        else:
            merged.append([a, z])
    spans = []
    for a, z in merged:
        end = index[z - 1] + 1
        while end < len(page_text) and page_text[end] in CLOSING and end - index[z - 1] <= 2:
            end += 1  # the full stop or question mark that ends the passage
        spans.append((index[a], end))
    return spans, sum(z - a for a, z in found)


def _page_text(textpage) -> str:
    n = textpage.count_chars()
    text = textpage.get_text_range(0, n) if n > 0 else ""
    if len(text) != n:  # keep indexes aligned with pdfium's character indexes
        text = "".join((textpage.get_text_range(i, 1) or " ")[:1] for i in range(n))
    return text


# an OCR word: (text, x0, top, x1, bottom) in PDF points from the page's top-left corner
WordBox = tuple[str, float, float, float, float]


def word_rects(
    words: list[WordBox], passage: str
) -> tuple[list[tuple[int, int]], int, list[tuple[float, float, float, float]]]:
    """Where `passage` lies among OCR `words`: the character spans in the words' text (joined by
    spaces), the passage letters matched, and rectangles in points (left, top, right, bottom),
    one per run of matched words on the same line."""
    text, starts = "", []
    for w in words:
        starts.append(len(text))
        text += w[0] + " "
    spans, matched = find_spans(text, passage)
    rects: list[list[float]] = []
    for i, w in enumerate(words):
        a, z = starts[i], starts[i] + len(w[0])
        if not any(sa < z and a < sz for sa, sz in spans):
            continue
        prev = rects[-1] if rects else None
        if prev is not None and prev[4] == i - 1 and w[2] < prev[3] and w[4] > prev[1] and w[1] >= prev[0]:
            prev[1:5] = [min(prev[1], w[2]), w[3], max(prev[3], w[4]), i]  # same line: widen
            continue
        rects.append([w[1], w[2], w[3], w[4], i])
    return spans, matched, [(r[0], r[1], r[2], r[3]) for r in rects]


def _passage_rects(pg, passage: str, words: list[WordBox] | None, scale: float, height: float):
    """Spans, matched letters and pixel rectangles of `passage` on page `pg`: among the OCR
    `words` when the page has them, else in the page's text layer."""
    spans, matched, rects = [], 0, []
    if passage.strip() and words:
        spans, matched, boxes = word_rects(words, passage)
        rects = [(left * scale, top * scale, right * scale, bottom * scale) for left, top, right, bottom in boxes]
    elif passage.strip():
        tp = pg.get_textpage()
        spans, matched = find_spans(_page_text(tp), passage)
        for a, z in spans:
            for i in range(tp.count_rects(a, z - a)):
                left, bottom, right, top = tp.get_rect(i)
                rects.append((left * scale, (height - top) * scale, right * scale, (height - bottom) * scale))
        tp.close()
    return spans, matched, rects


def render(
    pdf_path: str | Path, page: int, passage: str = "", scale: float = 1.5, words: list[WordBox] | None = None
) -> PageView:
    """Page `page` (1-based) of the PDF as an RGB image, with `passage` highlighted where it is found:
    in the page's text layer, or among `words` (OCR word boxes) when the page has them."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    path = Path(pdf_path)
    if not path.is_file():
        raise PageViewError(
            f"Het PDF-bestand staat niet meer op {path}: het is verplaatst, hernoemd of verwijderd. "
            "Zet het terug of voeg het opnieuw toe om de pagina te tonen."
        )
    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as exc:  # pdfium raises PdfiumError for anything it cannot open
        raise PageViewError(f"Het PDF-bestand {path.name} kan niet worden geopend ({exc}).") from exc
    try:
        n_pages = len(pdf)
        if not 1 <= page <= n_pages:
            raise PageViewError(
                f"Pagina {page} bestaat niet in {path.name} (het bestand heeft {n_pages} pagina's); "
                "het bestand is waarschijnlijk gewijzigd sinds het werd ingelezen."
            )
        pg = pdf[page - 1]
        height, width = pg.get_height(), pg.get_width()
        if width <= 0 or height <= 0:
            raise PageViewError(f"Pagina {page} van {path.name} heeft geen afmetingen en kan niet worden getoond.")
        scale = min(scale, (MAX_PIXELS / (width * height)) ** 0.5)
        try:
            image = pg.render(scale=scale).to_pil().convert("RGB")
        except (MemoryError, Exception) as exc:  # pdfium's render errors have no class of their own
            reason = type(exc).__name__
            raise PageViewError(f"Pagina {page} van {path.name} kan niet worden getekend ({reason}).") from exc
        spans, matched, rects = _passage_rects(pg, passage, words, scale, height)
        if rects:
            overlay = Image.new("RGBA", image.size, (0, 0, 0, 0))
            draw = ImageDraw.Draw(overlay)
            for left, top, right, bottom in rects:
                draw.rectangle((left - 1, top - 1, right + 1, bottom + 1), fill=HIGHLIGHT)
            x0 = min(r[0] for r in rects) - 6
            y0 = min(r[1] for r in rects) - 4
            y1 = max(r[3] for r in rects) + 4
            draw.rectangle((x0 - 4, y0, x0 - 1, y1), fill=OUTLINE)  # a bar in the margin next to the passage
            image = Image.alpha_composite(image.convert("RGBA"), overlay).convert("RGB")
        pg.close()
        return PageView(image=image, page=page, n_pages=n_pages, spans=spans, rects=rects, matched_chars=matched)
    finally:
        pdf.close()
