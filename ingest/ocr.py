"""Text of scanned pages by OCR: pypdfium2 renders the page, Tesseract reads it.

`ocr_pages(path, numbers)` is the OCR hook of `pdf_reader.read_pdf`: each page
without a usable text layer is rendered in greyscale at `DPI` (Tesseract's best
resolution; fewer pixels for very large pages), handed to the `tesseract`
program (Debian's tesseract-ocr with the Dutch data, installed by `make setup`)
and read back from its TSV output: words with their boxes and confidences,
grouped by Tesseract into blocks, paragraphs and lines. Each Tesseract line
becomes a `Line` in PDF coordinates like the text reader's (baseline y, larger =
higher; the type size from the height of its capitals and ascenders), so the
cleaning, paragraph and heading rules downstream work unchanged; the kept words
also go to `Page.words` for the page view's highlight. A blank page is not sent
to Tesseract. A page that reads badly is checked for a sideways or upside-down
scan (Tesseract's orientation detection); when Tesseract is sure of a turn, the
turned image is read too and the better reading kept.

OCR noise is cleaned by general rules (ocr_text.py). Pages are read two at a
time (Tesseract with one thread each), each within `PAGE_SECONDS`; a page that
fails or times out stays as extracted. Progress goes to the listener set with
`listen` (the bounded-time child forwards it to the ingest).
"""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
import statistics
import subprocess
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path

from . import ocr_turn
from .ocr_text import OcrWord, clean_line, quality
from .pdf_reader import Line, Page, PdfRejected

log = logging.getLogger(__name__)

DPI = 300  # Tesseract reads best at about 300 dpi
MAX_PIXELS = 16_000_000  # pages of about A3 and larger are rendered at a lower resolution
PAGE_SECONDS = 60.0  # time one page may take in Tesseract (also the parse deadline's extra per OCR page)
WORKERS = 2  # Tesseract processes at a time (one thread each: its own threading gains nothing on small machines)
COLUMN_GAP = 1.2  # a gap this many line heights wide, shared by a neighbouring line, is a gutter
SIZE_GAP = 0.8  # a gap this many line heights wide separates text of two sizes ...
COLUMN_GAP_SPACES = 3.0  # ... and either gap must also be this many times the line's typical word gap
LABEL_CHARS = 4  # text this short before a gap is a list label ("-", "a.", "2.1"), not a column
ASCENDER = 0.72  # ascender height of text fonts, as a share of the type size
DESCENDER = 0.21  # descender depth of text fonts, as a share of the type size
SAME_SIZE = 0.08  # sizes measured within this share of each other are one size
LANGUAGES = ("nld", "eng")  # Dutch documents quote English; both models run when both are installed

# progress listener: (pages done, pages to read); called with 0 before the first page
Listener = Callable[[int, int], None]
_listener: Listener | None = None


@contextlib.contextmanager
def listen(listener: Listener) -> Iterator[None]:
    """Send OCR progress of the calls made inside the block to `listener`."""
    global _listener
    previous, _listener = _listener, listener
    try:
        yield
    finally:
        _listener = previous


def _report(done: int, total: int) -> None:
    if _listener is not None:
        try:
            _listener(done, total)
        except Exception as exc:  # progress must never sink a parse
            log.debug("OCR progress listener failed: %s", exc)


@lru_cache(maxsize=1)
def installed_data() -> frozenset[str]:
    """The data Tesseract has installed (languages, and "osd" for orientation); empty when
    Tesseract is missing."""
    exe = shutil.which("tesseract")
    if exe is None:
        return frozenset()
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(ln.strip() for ln in out.splitlines()[1:])


def languages() -> tuple[str, ...]:
    """The OCR languages Tesseract has data for, of `LANGUAGES`; () when Tesseract is missing."""
    have = installed_data()
    return tuple(lang for lang in LANGUAGES if lang in have)


def ocr_pages(path: Path, numbers: list[int]) -> dict[int, Page]:
    """A `Page` read by OCR for each of the 1-based page `numbers` of `path` that yields text."""
    import pypdfium2 as pdfium

    langs = languages()
    if not langs:
        _no_tesseract(path, numbers)
        return {}
    labels = _labels(path)
    pdf = pdfium.PdfDocument(str(path))
    out: dict[int, Page] = {}
    done = 0

    def collect(job: tuple) -> None:
        nonlocal done
        page = _read(job, path)
        if page is not None:
            page.label = labels.get(page.number, page.label)
            out[page.number] = page
        done += 1
        _report(done, len(numbers))

    try:
        _report(0, len(numbers))
        with ThreadPoolExecutor(max_workers=max(1, min(WORKERS, len(numbers)))) as pool:
            pending: list[tuple] = []
            for n in numbers:
                try:
                    image, scale, size = _render(pdf, n)
                except Exception as exc:  # a page pdfium cannot render stays as extracted
                    log.warning("page %d of %s could not be rendered for OCR: %s", n, path.name, exc)
                    image, scale, size = None, 1.0, (0.0, 0.0)
                job = pool.submit(_ocr_page, image, scale, size, langs, n) if image else None
                pending.append((n, job, scale, size))
                if len(pending) > WORKERS:  # bound memory: finish the oldest before rendering more
                    collect(pending.pop(0))
            while pending:
                collect(pending.pop(0))
    finally:
        pdf.close()
    return out


def _read(job: tuple, path: Path) -> Page | None:
    """The page of one finished Tesseract job, or None when it failed or found no text."""
    n, future, _scale, _size = job
    if future is None:
        return None
    try:
        return future.result()
    except Exception as exc:
        log.warning("OCR of page %d of %s failed: %s", n, path.name, exc)
        return None


def _ocr_page(image: bytes, scale: float, size: tuple[float, float], langs: tuple[str, ...], n: int) -> Page | None:
    """Page `n` read from its image; a page that reads badly ("slecht", or nothing) is read
    once more turned as Tesseract's orientation detection says, and the better reading kept."""
    page = page_from_tsv(_tesseract(image, scale, langs), n, scale, *size)
    if page.lines and page.quality != "slecht":
        return page
    turn = ocr_turn.orientation(image, scale, PAGE_SECONDS) if "osd" in installed_data() else 0
    if turn:
        width, height = size if turn == 180 else size[::-1]
        turned = page_from_tsv(_tesseract(ocr_turn.turned(image, turn), scale, langs), n, scale, width, height)
        if ocr_turn.reads_better(turned, page):
            return turned
    return page if page.lines else None


def _labels(path: Path) -> dict[int, str]:
    """Printed page labels by page number (the OCR page keeps the label the PDF gives it)."""
    try:
        import pypdf

        labels = list(pypdf.PdfReader(str(path), strict=False).page_labels)
    except Exception:
        return {}
    return {i + 1: str(label) for i, label in enumerate(labels)}


def _no_tesseract(path: Path, numbers: list[int]) -> None:
    """Without Tesseract a fully scanned PDF is refused with a reason users can act on."""
    from .pdf_reader import count_pages

    if len(numbers) >= count_pages(path):
        raise PdfRejected(
            "geen-tekst",
            "De PDF heeft geen tekstlaag (gescande pagina's) en tekstherkenning (OCR) is niet beschikbaar: "
            "installeer Tesseract met de Nederlandse taaldata (tesseract-ocr, tesseract-ocr-nld; make setup).",
        )
    log.warning("%s: %d page(s) without text; Tesseract is not installed", path.name, len(numbers))


def _render(pdf, number: int) -> tuple[bytes | None, float, tuple[float, float]]:
    """Page `number` as a binary PGM image, its scale (pixels per point) and its size in points;
    no image for a page with nothing drawn on it (a blank page has nothing to read)."""
    page = pdf[number - 1]
    try:
        width, height = page.get_size()
        if next(iter(page.get_objects(max_depth=1)), None) is None:
            return None, 1.0, (width, height)
        scale = DPI / 72
        if width * height * scale * scale > MAX_PIXELS:
            scale = (MAX_PIXELS / (width * height)) ** 0.5
        image = page.render(scale=scale, grayscale=True).to_pil().convert("L")
    finally:
        page.close()
    header = b"P5\n%d %d\n255\n" % image.size
    return header + image.tobytes(), scale, (width, height)


def _tesseract(image: bytes, scale: float, langs: tuple[str, ...]) -> str:
    """Tesseract's TSV for one page image (read from stdin)."""
    # one thread per Tesseract (its OpenMP threads only contend with the other pages' processes)
    cmd = ["env", "OMP_THREAD_LIMIT=1", "tesseract", "stdin", "stdout", "-l", "+".join(langs)]
    cmd += ["--dpi", str(round(scale * 72)), "tsv"]
    done = subprocess.run(cmd, input=image, capture_output=True, timeout=PAGE_SECONDS, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr.decode("utf-8", "replace").strip()[-200:])
    return done.stdout.decode("utf-8", "replace")


def parse_tsv(tsv: str, scale: float) -> list[list[OcrWord]]:
    """Tesseract's words grouped by line, in Tesseract's reading order; boxes in points from the top-left."""
    lines: dict[tuple[int, int, int], list[OcrWord]] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        try:
            block, par, line = int(cols[2]), int(cols[3]), int(cols[4])
            left, top, w, h = (float(c) / scale for c in cols[6:10])
            conf = float(cols[10])
        except ValueError:
            continue
        word = OcrWord(cols[11].strip(), left, top, left + w, top + h, conf, (block, par))
        lines.setdefault((block, par, line), []).append(word)
    return list(lines.values())


def page_from_tsv(tsv: str, number: int, scale: float, width: float, height: float) -> Page:
    """The `Page` for one page's TSV: cleaned lines in PDF coordinates, their words, a quality verdict."""
    kept = [ws for ws in (clean_line(ws) for ws in parse_tsv(tsv, scale)) if ws]
    verdict, reasons = quality([w for ws in kept for w in ws])
    words = [(w.text, round(w.x0, 2), round(w.top, 2), round(w.x1, 2), round(w.bottom, 2)) for ws in kept for w in ws]
    return Page(
        number=number,
        label=str(number),
        height=height,
        lines=_lines(kept, height),
        ocr=True,
        quality=verdict,
        reasons=reasons,
        words=words,
        width=width,
    )


def _lines(kept: list[list[OcrWord]], height: float) -> list[Line]:
    """Lines in Tesseract's reading order (its blocks follow the columns it found). A Tesseract
    line that runs across a column gap (body text next to a letterhead column) is split there, and
    the parts right of the gap are read after the rest of their block, as the text reader reads a
    second column after the first."""
    gaps = [_wide_gaps(ws) for ws in kept]
    segments: list[tuple[tuple, list[OcrWord]]] = []  # (key for the size, words)
    side: list[tuple[tuple, list[OcrWord]]] = []
    block = None
    for i, ws in enumerate(kept):
        if ws[0].par[0] != block:
            segments.extend(side)
            side, block = [], ws[0].par[0]
        near = [g for j in (i - 1, i + 1) if 0 <= j < len(kept) for g in gaps[j]]
        parts = _split(ws, gaps[i], near)
        segments.append((ws[0].par, parts[0]))
        side.extend(((*ws[0].par, k), part) for k, part in enumerate(parts[1:], 1))
    segments.extend(side)
    return _sized_lines(segments, height)


def _sized_lines(segments: list[tuple[tuple, list[OcrWord]]], height: float) -> list[Line]:
    """`Line`s with a size per line. Measured sizes jitter by a few percent, so lines of one
    Tesseract paragraph get one size, sizes near the page's body size are that size (the reader's
    rules compare sizes), and a line without letters to measure takes its paragraph's size."""
    measured = [_size(ws) for _, ws in segments]
    sizes: dict[tuple, list[float]] = {}
    for (key, _), size in zip(segments, measured, strict=True):
        if size is not None:
            sizes.setdefault(key, []).append(size)
    body = _median_by_chars([(m, ws) for (_, ws), m in zip(segments, measured, strict=True) if m is not None])
    lines = []
    for (key, ws), size in zip(segments, measured, strict=True):
        common = statistics.median(sizes[key]) if key in sizes else body
        if size is None:
            size = common
        if abs(size - body) <= SAME_SIZE * body:
            size = body
        elif abs(size - common) <= 2 * SAME_SIZE * common:
            size = common
        size = max(round(size * 2) / 2, 1.0)
        base = _baseline(ws)
        if base is None:  # every word reaches below the baseline
            base = statistics.median(w.bottom for w in ws) - DESCENDER * size
        text = " ".join(w.text for w in ws)
        lines.append(Line(text, min(w.x0 for w in ws), max(w.x1 for w in ws), height - base, size))
    return lines


def _median_by_chars(sized: list[tuple[float, list[OcrWord]]]) -> float:
    """The size most of the page's letters are set in (the median over characters)."""
    weighted = sorted((size, sum(len(w.text) for w in ws)) for size, ws in sized)
    half, seen = sum(n for _, n in weighted) / 2, 0
    for size, n in weighted:
        seen += n
        if seen >= half:
            return size
    return 10.0


_FLAT = re.compile(r"^[^gjpqyQ(),;\[\]{}/|]+$")  # nothing below the baseline
_TALL = re.compile(r"^[-A-Za-z0-9]*[A-Zbdfhkl0-9][-A-Za-z0-9]*[.,:;]?$")  # up to the ascender line, no higher


def _baseline(words: list[OcrWord]) -> float | None:
    """A line's baseline: where its words without descenders end (None when it has none)."""
    flat = [w.bottom for w in words if _FLAT.match(w.text)]
    return statistics.median(flat) if flat else None


def _size(words: list[OcrWord]) -> float | None:
    """A line's type size from its letters: words with a capital, a digit or an ascender letter
    (b, d, k, l...) and no accent, bracket or quote reach the ascender line, about `ASCENDER` of
    the size above the baseline; descenders and a line's mix of letters do not change it.
    None when the line has no such word or no word on the baseline to measure from."""
    base = _baseline(words)
    tall = [base - w.top for w in words if _TALL.match(w.text)] if base is not None else []
    return statistics.median(tall) / ASCENDER if tall else None


def _height(words: list[OcrWord]) -> float:
    return max(w.bottom for w in words) - min(w.top for w in words)


def _wide_gaps(words: list[OcrWord]) -> list[tuple[int, float, float]]:
    """Gaps in a line far wider than a space: wider than `SIZE_GAP` line heights and than
    `COLUMN_GAP_SPACES` times the line's typical gap; as (index of the word after, from x, to x)."""
    if len(words) < 2:
        return []
    gaps = [b.x0 - a.x1 for a, b in zip(words, words[1:], strict=False)]
    height = _height(words)
    space = min(statistics.median(gaps), 0.5 * height)  # a line of two words has no typical space
    wide = max(SIZE_GAP * height, COLUMN_GAP_SPACES * space)
    return [(i + 1, words[i].x1, words[i + 1].x0) for i, gap in enumerate(gaps) if gap > wide]


def _split(words: list[OcrWord], gaps: list[tuple[int, float, float]], near: list) -> list[list[OcrWord]]:
    """A line cut at the wide gaps that separate columns: a gap of `COLUMN_GAP` line heights that a
    neighbouring line shares (a gutter), or one that the type size changes across (a page number
    or a letterhead line set next to the body). A lone gap in text of one size is a blanked-out
    redaction or a tab: kept."""
    cuts = []
    for at, x0, x1 in gaps:
        label = sum(len(w.text) for w in words[:at]) <= LABEL_CHARS  # a list label before its text
        gutter = x1 - x0 > COLUMN_GAP * _height(words) and any(a < x1 and x0 < b for _, a, b in near)
        left, right = _size(words[:at]), _size(words[at:])
        resized = left is not None and right is not None and not 0.8 < right / left < 1.25
        if not label and (gutter or resized):
            cuts.append(at)
    return [words[a:z] for a, z in zip([0, *cuts], [*cuts, len(words)], strict=False)]
