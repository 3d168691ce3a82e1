"""Typeset the demo corpus texts into multi-page PDFs with a text layer.

The corpus exists as text extractions (shared/corpus/*.txt, manifest.toml); each
is typeset as `<out-dir>/<id>.pdf` so that the project's real PDF ingestion path
serves it, and `<out-dir>/manifest.toml` gets a `file` key per document.
The text layer gives back every source character (pypdf extract_text):
- each source line is one typeset line, wrapped only if wider than the frame and
  never right after a '-'; a line that is one long word (a URL) is set smaller;
- a run of blank lines is a paragraph gap (in double-spaced extractions a single
  empty line only separates lines); `**x**` bold, `*x*` italic, a lone `*` kept
  (footnote mark), `[text](#)` its link text; short lone title-like lines bold;
- a line starting with one space after a non-blank line is the trace of a page
  break (form feed) of the original: a new page starts there;
- running headers left in the text ("46 HOOFDSTUK 3", "EVALUEREND ADVIES
  TECHNIEKPACT 2013-2020 95") are anchors: that printed page starts there, text
  between anchors a and b fills exactly b - a pages (8-10.5 pt per page group),
  every page gets headers in that style, and pages before the first anchor count
  back from it (i, ii, ... below 1). Other documents get a centred page number
  and, from page 2 on, a running header with the short title. /PageLabels hold
  the printed numbers; output is deterministic (reportlab invariant mode);
- footnotes: the extractions keep the original's footnotes as lines at the end
  of a page's text ("11 Gelderblom, A., ..." or "*Technologie omvat ..."). A line
  starting with the next footnote number N (or a `*`) opens a footnote when the
  body text of that page or the two before it holds a glued marker N ("mensen1.",
  "Zuid12", "(2022)6", "vooruitgang.*"); its continuation lines run to the next
  footnote, the page break, a bare page number or a paragraph gap (two blank
  lines, or one before a line that does not read as a continuation). Footnotes
  are set in smaller type (0.75 x) under a short rule at the bottom of the page
  that carries the marker's line (the line and its note move together; a note
  whose marker is on an earlier page goes with the line before it), and the
  glued marker is set as a raised, smaller superscript (text rise; pypdf still
  extracts it in place).

Usage: python corpus/make_pdfs.py [--source-dir ../shared/corpus] [--out-dir corpus]
"""

from __future__ import annotations

import argparse
import functools
import itertools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

HERE = Path(__file__).resolve().parent
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")  # covers ✓ ➢ • ’ “ € and accents
FONT_FILES = {
    "R": "DejaVuSansCondensed.ttf",
    "B": "DejaVuSansCondensed-Bold.ttf",
    "I": "DejaVuSansCondensed-Oblique.ttf",
    "BI": "DejaVuSansCondensed-BoldOblique.ttf",
}
PAGE_W, PAGE_H = A4
LEFT, RIGHT, TOP, BOTTOM = 50, 50, 70, 60
FRAME_W, FRAME_H = PAGE_W - LEFT - RIGHT, PAGE_H - TOP - BOTTOM
LEADING, HEAD_SCALE, GAP_EM = 1.3, 1.15, 0.6  # multiples of the type size
SIZES = [10.5 - 0.25 * i for i in range(11)]  # 10.5 .. 8 pt
GAP = None  # the paragraph-gap item
NOTE_SCALE, NOTE_SEP, NOTE_RULE = 0.75, 9.0, 110.0  # footnote size (x body), space above the notes, rule length (pt)
SUP_SCALE, SUP_RISE = 0.65, 0.35  # superscript marker: size and rise (x type size)
SUP_ON, SUP_OFF = "\x01", "\x02"  # brackets around a marker while the text is parsed
NO_SUP = str.maketrans("", "", SUP_ON + SUP_OFF)

EVEN_ANCHOR = re.compile(r"^(\d+) ((?:HOOFDSTUK|BIJLAGE) [0-9A-Z]+)$")
ODD_ANCHOR = re.compile(r"^((?:[A-Z]{3,} ){2,}[A-Z0-9 -]*[A-Z0-9]) (\d+)$")
CHAPTER = re.compile(r"^(?:(\d+) [A-Z]|Bijlage ([A-Z]) )")
LINK = re.compile(r"\[([^\]\n]*)\]\([^)\n]*\)")
HEADING_START = re.compile(r"^(\d+(\.\d+)*\.?\s+\S|Bouwsteen \d|Bijlage [A-Z])")
NOTE_START = re.compile(r"^(?:(\d{1,3})\s+|(\*))(?=[^\s*])")  # "11 Gelderblom", "1  In", "*Technologie"
MANIFEST_NOTE = (
    "# Written by make_pdfs.py (regenerate, do not edit): `file` is the typeset PDF in\n"
    "# this folder, `source` the text extraction in shared/corpus it was typeset from.\n"
)


@dataclass
class Line:
    runs: list[tuple[str, str]]  # (text, style R/B/I/BI; "^" appended: superscript)
    heading: bool = False
    note: bool = False  # a footnote line: set at the page bottom
    src: int = -1  # raw index of the line; of a note: of its marker's line (-1: none)


@dataclass
class Chunk:  # text from one page break (or anchor) to the next
    raw: list[str] = field(default_factory=list)
    number: int | None = None  # printed page number when it starts at an anchor
    part: str | None = None  # "HOOFDSTUK 3" / "BIJLAGE C", when the anchor says
    items: list = field(default_factory=list)
    notes: dict[int, int] = field(default_factory=dict)  # raw index of a footnote line (or a blank
    # among them) -> raw index of its marker's line in this chunk, or -1


@functools.cache
def char_w(ch: str, style: str) -> float:
    """Width of one character at 1 pt (reportlab does not kern, so widths add)."""
    if style.endswith("^"):
        return SUP_SCALE * char_w(ch, style[:-1])
    return pdfmetrics.stringWidth(ch, f"Corpus-{style}", 1)


def text_shape(raw: list[str]) -> tuple[float, bool]:
    """The largest size at which 90% of the lines fit the frame, and whether
    the text is double-spaced: an empty line after most lines, which then only
    separates lines (not so where lines are whole paragraphs that never fit)."""
    widths = sorted(sum(char_w(c, "R") for c in s.strip()) for s in raw if s.strip())
    p90 = widths[int(0.9 * len(widths))]
    size = next((size for size in SIZES[::2] if p90 * size <= FRAME_W), None)
    pairs = sum(1 for a, b, n in zip(raw, raw[1:], raw[2:]) if a.strip() and b == "" and n.strip())
    return size or SIZES[0], size is not None and pairs > 0.5 * len(widths)


def split_chunks(raw: list[str]) -> tuple[list[Chunk], str | None, str | None]:
    """Cut the text at page-break traces and running-header anchors (which are
    dropped, with the footer line that follows them). Returns the chunks, the
    odd-page header title and the footer line."""
    chunks, odd_title, footer, i = [Chunk()], None, None, 0
    while i < len(raw):
        text = raw[i].strip()
        even, odd = EVEN_ANCHOR.match(text), ODD_ANCHOR.match(text)
        if even or odd:
            chunks.append(Chunk(number=int(even[1] if even else odd[2]), part=even[2] if even else None))
            odd_title = odd[1] if odd else odd_title
            i += 1
            j = next((j for j in range(i, len(raw)) if raw[j].strip()), len(raw))
            if j < len(raw) and raw[j].strip().isupper() and len(raw[j]) < 60:
                footer, i = raw[j].strip(), j + 1  # "SEO ECONOMISCH ONDERZOEK"
            continue
        if (
            re.match(r"^ \S", raw[i])
            and i
            and raw[i - 1].strip()
            and not text.startswith("http")
            and any(s.strip() for s in chunks[-1].raw)
        ):
            chunks.append(Chunk())
        chunks[-1].raw.append(raw[i])
        i += 1
    return [c for c in chunks if c.number or any(s.strip() for s in c.raw)], odd_title, footer


def marker_re(mark: str) -> re.Pattern:
    """A footnote marker glued to the word before it: 'mensen1.', 'Coronacrisis.2',
    'Zuid12', '(2022)6', 'Mathematics).5', 'vooruitgang.*'; not '2022', 'Top-12',
    'CO2-uitstoot', '**'."""
    return re.compile(
        r"(?:(?<=[^\W\d_])|(?<=[^\W\d_][.,;:'’”\"])|(?<=\))|(?<=\)[.,;:]))" + re.escape(mark) + r"(?![\w*-])"
    )


def find_notes(chunks: list[Chunk], double_spaced: bool) -> list[str]:
    """Mark the footnote lines of each chunk in chunk.notes and bracket the glued
    markers they belong to with SUP_ON/SUP_OFF in the raw text. Numbered notes
    run 1, 2, ... through a document; each one needs its marker in the body of
    its page or the two before, after the previous note's marker. Returns the
    marks of the notes found, in order."""
    expected, found, marks = 1, [], []
    last = {"#": (-1, -1, -1), "*": (-1, -1, -1)}  # position of the last marker used, per kind

    def marker(mark: str, ci: int, j: int):
        rx, kind = marker_re(mark), "*" if mark == "*" else "#"
        for cj in range(max(0, ci - 2), ci + 1):
            ch = chunks[cj]
            for k in range(j if cj == ci else len(ch.raw)):
                if k not in ch.notes:
                    for m in rx.finditer(ch.raw[k]):
                        if (cj, k, m.start()) > last[kind]:
                            return cj, k, m.start(), m.end()
        return None

    def note_start(ci: int, j: int):
        raw, text = chunks[ci].raw, chunks[ci].raw[j].strip()
        m = NOTE_START.match(text)
        if not m or (m[1] and int(m[1]) != expected):
            return None
        if m[2]:  # '*': not the start of an italic span
            after = [t for t in raw[j + 1 :] if t.strip()][:3]
            if text.count("*") != 1 or any("*" in t for t in after):
                return None
        pos = marker(m[1] or "*", ci, j)
        return (m[1] or "*", pos) if pos else None

    for ci, ch in enumerate(chunks):
        in_note, blanks, prev, host = False, [], "", -1
        for k, line in enumerate(ch.raw):
            text = line.strip()
            if not text:
                blanks += [k] if in_note else []
                continue
            start = note_start(ci, k)
            if start:
                mark, pos = start
                last["*" if mark == "*" else "#"] = pos[:3]
                marks.append(pos)
                found.append(mark)
                host = pos[1] if pos[0] == ci else -1
                expected += mark != "*"
                in_note = True
            elif in_note:  # a continuation line, or body text again
                if (
                    re.fullmatch(r"\d{1,3}", text)
                    or len(blanks) > 1
                    or (
                        blanks
                        and not double_spaced
                        and not (text[0].islower() or text.startswith(("http", "www")) or re.search(r"[a-z,;-]$", prev))
                    )
                ):
                    in_note = False  # a page number, or a new paragraph
            if in_note:
                ch.notes.update((n, host) for n in blanks + [k])
                prev = text
            blanks = []
    for cj, k, a, b in sorted(marks, reverse=True):  # later offsets first: earlier ones stay valid
        line = chunks[cj].raw[k]
        chunks[cj].raw[k] = line[:a] + SUP_ON + line[a:b] + SUP_OFF + line[b:]
    return found


def superscripts(runs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Runs with the bracketed markers as superscript runs (style + '^')."""
    out, sup = [], False
    for text, style in runs:
        for piece in re.split(f"([{SUP_ON}{SUP_OFF}])", text):
            if piece in (SUP_ON, SUP_OFF):
                sup = piece == SUP_ON
            elif piece:
                out.append((piece, style + "^" if sup else style))
    return out


def markup(par: list[str]) -> list[list[tuple[str, str]]]:
    """Style runs for the lines of one paragraph (markup may span lines)."""
    tokens = re.split(r"(\*\*|\*)", LINK.sub(r"\1", "\n".join(par)))
    use_b, use_i = tokens.count("**") % 2 == 0, tokens.count("*") % 2 == 0
    bold = ital = False
    lines: list[list[tuple[str, str]]] = [[]]
    for tok in tokens:
        if tok == "**" and use_b:
            bold = not bold
        elif tok == "*" and use_i:
            ital = not ital
        else:
            for k, part in enumerate(tok.split("\n")):
                if k:
                    lines.append([])
                if part:
                    lines[-1].append((part, ("B" if bold else "") + ("I" if ital else "") or "R"))
    return lines


def is_heading(text: str, prev: str | None, nxt: str | None) -> bool:
    """A short, title-like line standing alone: after a gap (prev None) or a
    full stop, not continued by a lower-case line."""
    numbered = HEADING_START.match(text)
    if (
        len(text) > 70
        or len(text.split()) > 9
        or not re.search(r"[^\W\d_]", text)
        or text[-1] in ".,;:-–("
        or text[0] in "•-–✓➢("
        or re.search(r"http|\(\d{4}\)", text)
        or (":" in text and not numbered)
        or not (text[0].isupper() or numbered)
    ):
        return False
    return (prev is None or prev[-1] in ".!?") and not (nxt and nxt[0].islower())


def parse_items(raw: list[str], double_spaced: bool, notes: dict[int, int] | None = None) -> list:
    """Lines and paragraph gaps of one chunk; the lines whose index is in notes
    are footnote lines (markup is still read over the whole paragraph)."""
    items: list = []
    par: list[tuple[str, int]] = []
    notes = notes or {}

    def flush():
        plain = [text.translate(NO_SUP) for text, _ in par]
        for j, runs in enumerate(markup([text for text, _ in par]) if par else []):
            if par[j][1] in notes:
                items.append(Line(superscripts(runs), note=True, src=notes[par[j][1]]))
                continue
            bare = [(t, st) for t, st in ((t.translate(NO_SUP), st) for t, st in runs) if t]
            head = bare == [(plain[j], "R")] and is_heading(
                plain[j], plain[j - 1] if j else None, plain[j + 1] if j + 1 < len(par) else None
            )
            items.append(Line(superscripts([(par[j][0], "B")] if head else runs), head, src=par[j][1]))
        par.clear()

    for blank, group in itertools.groupby(enumerate(raw), key=lambda x: not x[1].strip()):
        group = list(group)
        if not blank:
            par.extend((s.strip(), i) for i, s in group)
        elif not (double_spaced and [s for _, s in group] == [""]):
            flush()
            items.append(GAP)
    flush()
    return items


def wrap(line: Line, max_w: float) -> list[list[tuple[str, str]]]:
    """Break a line into visual lines no wider than max_w (in em)."""
    chars = [(c, st) for text, st in line.runs for c in text]
    out, start, w, brk = [], 0, 0.0, None
    for i, (c, st) in enumerate(chars):
        if c == " " and i > start and chars[i - 1][0] != "-":
            brk = i
        w += char_w(c, st)
        if w > max_w and i > start:
            if brk is not None:
                end, nxt = brk, brk + 1
            else:  # one long word: break it, not after '-'
                end = i
                while end > start + 1 and chars[end - 1][0] == "-":
                    end -= 1
                nxt = end
            out.append(chars[start:end])
            start, brk = nxt, None
            w = sum(char_w(*x) for x in chars[start : i + 1])
    out.append(chars[start:])
    return [[("".join(c for c, _ in g), st) for st, g in itertools.groupby(vis, key=lambda x: x[1])] for vis in out]


def boxes(items: list, size: float) -> list[tuple[float, tuple | None, bool, int]]:
    """(height, (runs, type size) or None for a gap, whether a footnote line,
    Line.src) for the items at a size; footnote lines are set at NOTE_SCALE x size."""
    out: list = []
    last = None  # the last body box
    for it in items:
        if it is GAP:
            if last is not None and last[1] is not None:
                last = (GAP_EM * size, None, False, -1)
                out.append(last)
            continue
        fs = size * NOTE_SCALE if it.note else size * HEAD_SCALE if it.heading else size
        longest = max(sum(char_w(ch, st) for ch in w) for t, st in it.runs for w in t.split(" "))
        small = min(fs, max(4.0, FRAME_W / max(longest, 1e-3)))  # a URL: smaller, not broken
        for vis in wrap(it, FRAME_W / small):
            out.append((fs * LEADING, (vis, small), it.note, it.src))
            last = out[-1] if not it.note else last
    end = max((n for n, b in enumerate(out) if b[1] is not None and not b[2]), default=-1)
    return [b for n, b in enumerate(out) if n <= end or b[1] is not None]  # no trailing gap


def units(bx: list) -> list[tuple[tuple | None, list]]:
    """Body boxes, each with the footnote lines that go on its page: those whose
    marker it carries (the last visual line of the marker's source line), else
    those that follow it before the next body line. Notes before any body line
    go with the first one."""
    out: list = []
    pending: list = []
    for b in bx:
        if b[2]:
            text = [u for u in out if u[0][1] is not None]
            host = next((u for u in reversed(text) if u[0][3] == b[3]), text[-1] if text else None)
            (host[1] if host else pending).append(b)
        elif b[1] is None:
            out.append((b, []))
        else:
            out.append((b, pending))
            pending = []
    return out + [(None, pending)] if pending else out


def _need(box, ns: list, body: list, notes: list) -> float:
    """Height a unit (a box and its notes `ns`) adds to a page that holds `body` and `notes` so far."""
    text = box[0] if box is not None and (body or box[1] is not None) else 0.0
    return text + sum(n[0] for n in ns) + (NOTE_SEP if ns and not notes else 0.0)


def greedy(bx: list, cap: float) -> list[tuple[list, list]]:
    """Fill pages of height cap in order: (body boxes, footnote boxes) per page;
    no gap at the top of a page, a page's notes and the space above them count."""
    pages, body, notes, h = [], [], [], 0.0
    for box, ns in units(bx):
        if (body or notes) and h + _need(box, ns, body, notes) > cap:
            pages.append((body, notes))
            body, notes, h = [], [], 0.0
        h += _need(box, ns, body, notes)
        if box is not None and (body or box[1] is not None):
            body.append(box)
        notes.extend(ns)
    return pages + [(body, notes)] if body or notes else pages


def split_exact(bx: list, k: int) -> list[tuple[list, list]] | None:
    """Exactly k pages, as evenly filled as possible; None if it cannot fit."""
    if len(greedy(bx, FRAME_H)) > k:
        return None
    lo, hi = 0.0, FRAME_H
    for _ in range(40):
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if len(greedy(bx, mid)) <= k else (mid, hi)
    pages = greedy(bx, hi)
    return pages + [([], [])] * (k - len(pages))  # too little text: blank (figure) pages


def fit(items: list, k: int | None, cap: float) -> tuple[list[tuple[list, list]], float, bool]:
    """One chunk on exactly k pages at the largest size <= cap that fits, or
    flowing at cap when k is None. Returns pages, size, whether it overflowed."""
    if k is None:
        return greedy(boxes(items, cap), FRAME_H) or [([], [])], cap, False
    for size in SIZES:
        if size <= cap and (pages := split_exact(boxes(items, size), k)) is not None:
            return pages, size, False
    return greedy(boxes(items, SIZES[-1]), FRAME_H), SIZES[-1], True


def allot(chunks: list[Chunk], need: int | None) -> list[int | None]:
    """Pages per chunk so that a segment fills `need` pages: while short, the
    chunk with the most text per page gets another (a page break the extraction
    lost). More chunks than pages cannot be fitted (plan() reports it)."""
    if need is None:
        return [None] * len(chunks)
    heights = [sum(b[0] for b in boxes(c.items, 10)) for c in chunks]
    alloc = [1] * len(chunks)
    while sum(alloc) < need:
        alloc[max(range(len(chunks)), key=lambda n: heights[n] / alloc[n])] += 1
    return alloc


def plan(chunks: list[Chunk], cap: float):
    """Pages (lists of boxes), printed numbers, running-header parts and notes.
    Segments run from anchor to anchor; front matter gets a page per chunk."""
    anchored = [n for n, ch in enumerate(chunks) if ch.number is not None]
    bounds = [0] + anchored + [len(chunks)]
    segs = []
    for s, e in zip(bounds, bounds[1:]):
        if s == e:
            continue
        if chunks[s].number is None:  # front matter: a page per chunk
            need = e - s if anchored else None
        else:  # anchor to anchor; after the last one: flow
            need = chunks[e].number - chunks[s].number if e < len(chunks) else None
        segs.append((chunks[s:e], need))
    pages, numbers, parts, notes, part = [], [], [], [], None
    for i, (seg, need) in enumerate(segs):
        first = seg[0].number
        if first is None:  # document start: count back from an anchor
            first = segs[i + 1][0][0].number - need if i + 1 < len(segs) else 1
        start, sizes = len(pages), []
        for ch, k in zip(seg, allot(seg, need)):
            got, size, over = fit(ch.items, k, cap)
            if over:
                notes.append(f"OVERFLOW: text meant for {k} page(s) at p.{first + len(pages) - start}")
            head = next((it.runs[0][0] for it in ch.items if it is not GAP and not it.note), "")
            m = CHAPTER.match(head)  # chapters start on a new page
            part = ch.part or (f"HOOFDSTUK {m[1]}" if m and m[1] else f"BIJLAGE {m[2]}" if m else part or head.upper())
            parts += [part] * len(got)
            pages += got
            sizes.append(size)
        numbers += range(first, first + len(pages) - start)
        notes.append(
            f"from printed p.{first if first > 0 else 'i'}: {len(pages) - start} pages"
            + ("" if need is None else f" (need {need})")
            + f", {min(sizes):g}-{max(sizes):g} pt"
            + ("" if need in (None, len(pages) - start) else " MISMATCH: numbering is off")
        )
    return pages, numbers, parts, notes


def roman(n: int) -> str:
    out = ""
    for value, sym in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        out, n = out + sym * (n // value), n % value
    return out


def run_w(text: str, style: str, size: float) -> float:
    if style.endswith("^"):
        return SUP_SCALE * pdfmetrics.stringWidth(text, f"Corpus-{style[:-1]}", size)
    return pdfmetrics.stringWidth(text, f"Corpus-{style}", size)


def draw_runs(c: Canvas, x: float, y: float, runs, size: float, align: str = "left") -> None:
    """One visual line; a line with a superscript places each run explicitly
    (the marker raised by text rise, so text extraction keeps it in place)."""
    if align != "left":
        w = sum(run_w(t, st, size) for t, st in runs)
        x -= w if align == "right" else w / 2
    t = c.beginText(x, y)
    placed = any(st.endswith("^") for _, st in runs)
    for text, style in runs:
        sup = style.endswith("^")
        if placed:
            t.setTextOrigin(x, y)
        t.setFont(f"Corpus-{style.rstrip('^')}", size * SUP_SCALE if sup else size)
        if sup:
            t.setRise(SUP_RISE * size)
        t.textOut(text)
        if sup:
            t.setRise(0)
        x += run_w(text, style, size)
    c.drawText(t)


def build(doc: dict, src_dir: Path, out_dir: Path) -> tuple[list[str], list[str]]:
    """Typeset one document; returns its page labels and layout notes."""
    raw = (src_dir / doc["source"]).read_text(encoding="utf-8").split("\n")
    cap, double_spaced = text_shape(raw)
    chunks, odd_title, footer = split_chunks(raw)
    found = find_notes(chunks, double_spaced)
    for ch in chunks:
        ch.items = parse_items(ch.raw, double_spaced, ch.notes)
    seo_style = any(ch.number is not None for ch in chunks)
    pages, numbers, parts, notes = plan(chunks, cap)
    notes.append(
        f"{len(found)} footnotes ({' '.join(found) or '-'}) set at the page bottom on "
        f"{sum(1 for _, ns in pages if ns)} pages"
    )
    notes += [
        f"OVERFULL: page {n + 1}"
        for n, (body, ns) in enumerate(pages)
        if sum(b[0] for b in body + ns) + (NOTE_SEP if ns else 0) > FRAME_H + 1e-6
    ]
    n_front = sum(1 for v in numbers if v < 1)  # before page 1: i, ii, ...
    styled = [("ROMAN_LOWER", k + 1) if k < n_front else ("ARABIC", v) for k, v in enumerate(numbers)]
    labels = [roman(v) if st == "ROMAN_LOWER" else str(v) for st, v in styled]

    c = Canvas(str(out_dir / f"{doc['id']}.pdf"), pagesize=A4, invariant=1, pageCompression=1)
    c.setTitle(doc["title"])
    c.setAuthor(doc["publisher"])
    c.setSubject(
        f"{doc['kind']} ({doc['year']}); beleidsbank demo corpus document {doc['id']}, "
        f"typeset from the text extraction {doc['source']}"
    )
    c.setCreator("beleidsbank corpus/make_pdfs.py")
    for k, (st, v) in enumerate(styled):
        if k == 0 or st != styled[k - 1][0] or v != styled[k - 1][1] + 1:
            c.addPageLabel(k, st, v)
    for k, (page, (_, v), label) in enumerate(zip(pages, styled, labels)):
        c.setFillGray(0.35)
        if seo_style:  # the original's style: header, footer, body
            if v % 2 == 0:
                draw_runs(c, LEFT, PAGE_H - 40, [(f"{label} {parts[k]}", "B")], 8)
            else:
                draw_runs(c, PAGE_W - RIGHT, PAGE_H - 40, [(f"{odd_title} {label}", "B")], 8, "right")
            if footer:
                draw_runs(c, LEFT, 32, [(footer, "R")], 6.5)
        elif k > 0:
            draw_runs(c, PAGE_W - RIGHT, PAGE_H - 40, [(doc["short"], "I")], 7.5, "right")
        c.setFillGray(0)
        body, foot = page
        y = PAGE_H - TOP
        for height, payload, _, _ in body:  # baselines keep the nominal leading
            y -= height
            if payload is not None:
                draw_runs(c, LEFT, y + (LEADING - 1) / LEADING * height, *payload)
        if foot:  # footnotes: from the frame bottom up, under a rule
            y = BOTTOM + sum(b[0] for b in foot)
            c.setLineWidth(0.5)
            c.line(LEFT, y + NOTE_SEP / 2, LEFT + NOTE_RULE, y + NOTE_SEP / 2)
            for height, payload, _, _ in foot:
                y -= height
                draw_runs(c, LEFT, y + (LEADING - 1) / LEADING * height, *payload)
        if not seo_style:
            c.setFillGray(0.35)
            draw_runs(c, PAGE_W / 2, 32, [(label, "R")], 9, "center")
        c.showPage()
    c.save()
    return labels, notes


def write_manifest(src_manifest: Path, out_dir: Path) -> None:
    """The source manifest with a `file` key per document."""
    text = re.sub(
        r'^id = "([^"]+)"\n', r'id = "\1"\nfile = "\1.pdf"\n', src_manifest.read_text(encoding="utf-8"), flags=re.M
    )
    (out_dir / "manifest.toml").write_text(MANIFEST_NOTE + text, encoding="utf-8")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source-dir", type=Path, default=HERE.parent.parent / "shared" / "corpus")
    ap.add_argument("--out-dir", type=Path, default=HERE)
    args = ap.parse_args()
    if not all((FONT_DIR / name).exists() for name in FONT_FILES.values()):
        raise SystemExit(f"fonts missing in {FONT_DIR}: apt-get install fonts-dejavu-core fonts-dejavu-extra")
    for style, name in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(f"Corpus-{style}", str(FONT_DIR / name)))
    manifest = args.source_dir / "manifest.toml"
    args.out_dir.mkdir(parents=True, exist_ok=True)
    for doc in tomllib.loads(manifest.read_text(encoding="utf-8"))["document"]:
        labels, notes = build(doc, args.source_dir, args.out_dir)
        print(f"{doc['id']}.pdf: {len(labels)} pages, labels {labels[0]}..{labels[-1]}")
        for note in notes:
            print(f"  {note}")
    write_manifest(manifest, args.out_dir)


if __name__ == "__main__":
    main()
