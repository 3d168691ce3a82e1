"""Clean extracted PDF lines into blocks: headings, paragraphs, list items, footnotes.

Plain data in (`pdf_reader.Page` list), plain data out (`Block` list). Steps:
- running headers, footers and page numbers are recognised by recurrence at the
  top and bottom of pages and removed;
- footnotes (small type at the page bottom, starting with a marker) are moved
  out of the text flow;
- lines are joined into paragraphs, undoing end-of-line hyphenation;
- bullets and numbered items become one block each;
- headings are recognised (numbering, larger type) and give every block its
  section path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .furniture import CLOSING_RE, body_size, mark_redactions, remove_furniture
from .pdf_reader import Line, Page
from .tables import TableRow, find_rows

BULLET_RE = re.compile(r"^\s*([•●▪■□◦○➢►▶✓✔\-–—*·]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")
GLYPH_BULLET_RE = re.compile(r"^\s*[•●▪■□◦○➢►▶✓✔\-–—*·]\s+")
NUMBERED_HEADING_RE = re.compile(
    r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,3}|[A-Z](?:\.\d{1,2}){0,2}|[IVX]{1,4}\.?)\.?\s+(?P<title>[A-ZÀ-Ýa-zà-ÿ'‘\"“(].*)$"
)
SENTENCE_END_RE = re.compile(r"[.!?:;…]['’”\")]*$")
# Prefixes that are kept with their hyphen when a line breaks after them
# ("mbo-" / "instellingen" -> "mbo-instellingen").
KEEP_HYPHEN_PREFIXES = {
    "mbo",
    "hbo",
    "wo",
    "vmbo",
    "havo",
    "vwo",
    "vo",
    "po",
    "ict",
    "stem",
    "bèta",
    "mkb",
    "hbo-",
    "r&d",
    "ai",
    "eu",
    "oeso",
    "vso",
    "pro",
    "bbl",
    "bol",
    "lob",
}
CONJUNCTIONS_AFTER_HYPHEN = {"en", "of", "tot", "noch", "als", "t/m"}


@dataclass
class Block:
    kind: str  # heading | paragraph | list_item | footnote | table_row
    text: str
    page: int  # physical page of the first character
    level: int = 0  # heading level (1 = chapter)
    section: tuple[str, ...] = ()
    page_marks: list[tuple[int, int]] = field(default_factory=list)  # (offset in text, page)
    x0: float = 0.0  # left edge of the first line (for hanging indents)


# --- line classification ------------------------------------------------------


def _is_footnote_start(line: Line, body: float) -> bool:
    return line.size < 0.9 * body and bool(re.match(r"^(\d{1,3}|\*|†)\s*\S", line.text))


def split_footnotes(page: Page, body: float) -> tuple[list[Line], list[Line]]:
    """Separate footnote lines (small type, bottom of page, marker first)."""
    lines = page.lines
    start = None
    # walk up from the bottom while lines are small; the topmost small line
    # starting with a marker opens the footnote area.
    for i in range(len(lines) - 1, -1, -1):
        if lines[i].size >= 0.9 * body:
            break
        if _is_footnote_start(lines[i], body):
            start = i
    if start is None:
        return lines, []
    return lines[:start], lines[start:]


def heading_level(line: Line, body: float) -> int:
    """0 if the line is not a heading, else its level (1 = chapter)."""
    text = line.text.strip()
    words = text.split()
    if not text or len(words) > 16 or len(text) > 130:
        return 0
    if text.endswith((",", ";")) or GLYPH_BULLET_RE.match(text):
        return 0
    larger = line.size >= 1.12 * body
    m = NUMBERED_HEADING_RE.match(text)
    if m:
        num = m.group("num").rstrip(".")
        numeric = re.fullmatch(r"\d{1,2}(?:\.\d{1,2}){0,3}", num)
        plausible = m.group("title")[:1].isupper() and not SENTENCE_END_RE.search(text) and len(words) <= 12
        if numeric and "." in num and plausible:
            return num.count(".") + 1
        if larger and (numeric or re.fullmatch(r"[A-Z]|[IVX]{1,4}", num)):
            return num.count(".") + 1 if numeric else 1
    if larger and not text.endswith("."):
        return 0 if len(words) > 12 else -1  # unnumbered heading: level set by context
    return 0


# --- joining lines ---------------------------------------------------------------


def _last_word(text: str) -> str:
    """The run of word characters at the end of `text`, found walking back from the end
    (linear: a regex search for it retries at every start of one very long word)."""
    i = len(text)
    while i > 0 and (text[i - 1].isalnum() or text[i - 1] == "_"):
        i -= 1
    return text[i:]


def join_hyphenated(left: str, right: str) -> str:
    """Join two lines, undoing end-of-line hyphenation where it is one."""
    left = left.rstrip()
    right = right.lstrip()
    word = _last_word(left[:-1]) if left.endswith("-") else ""
    if word and right:
        first = right.split()[0]
        if first.lower().strip(",.;:") in CONJUNCTIONS_AFTER_HYPHEN:
            return left + " " + right  # "metaal- en elektrotechniek"
        if (
            right[0].islower()
            and word.lower() not in KEEP_HYPHEN_PREFIXES
            and not word.isupper()
            and not any(ch.isdigit() for ch in word)
        ):
            return left[:-1] + right
        return left + right
    return left + " " + right


def _starts_item(text: str) -> bool:
    return bool(BULLET_RE.match(text))


CAPTION_RE = re.compile(r"^(bron|figuur|tabel|noot|zie|foto|grafiek|source)\b", re.IGNORECASE)


def typical_width(pages: list[Page], body: float) -> float:
    widths = sorted(ln.x1 - ln.x0 for p in pages for ln in p.lines if abs(ln.size - body) < 0.6)
    return widths[int(0.8 * (len(widths) - 1))] if widths else 0.0


GLUED_NUMBER_RE = re.compile(r"^(\d{1,2})(?=[A-Z])")  # "10Stimuleer ...": a priority's number glued on


NAME_PARTICLES = frozenset("van de der den ten ter het du da la le von en & mw. dhr. mr. dr. drs. ir. prof.".split())


def _name_like(words: list[str]) -> bool:
    """Words that read as names: each capitalised, an initial ("T.") or a particle ("van")."""
    return all(w[:1].isupper() or w.lower() in NAME_PARTICLES for w in words)


def standalone_title(
    ln: Line, nxt: Line | None, cur: Block | None, width: float, nxt_on_next_page: bool = False
) -> bool:
    """A short body-size line standing alone between a finished block and a new
    sentence: a heading set in the body font ("Begin vroeg met technologie"). A longer
    one (up to 12 words) counts where a paragraph gap sets it off from the text below;
    at the foot of a page, the next page's first line is the text below."""
    text = GLUED_NUMBER_RE.sub("", ln.text.strip())
    words = text.split()
    if not (2 <= len(words) <= 12) or not text[:1].isupper() or re.search(r"[.,;:!]$", text):
        return False
    alpha = [w for w in words if re.search(r"[^\W\d_]{2}", w)]
    if len(alpha) < 2 or len(alpha) < 0.6 * len(words):
        return False  # a row of figures ("Mbo 3 30"), not a title
    if _starts_item(text) or CAPTION_RE.match(text) or nxt is None or not width:
        return False
    if not nxt.text.strip()[:1].isupper() or (not nxt_on_next_page and nxt.y >= ln.y):
        return False
    if _name_like(words) and not nxt_on_next_page and nxt.x1 - nxt.x0 < 0.6 * width:
        return False  # names over a short line: a signature or a list of names, no title
    short = len(words) <= 10 and ln.x1 - ln.x0 <= 0.6 * width
    set_off = not nxt_on_next_page and ln.y - nxt.y > 1.6 * max(ln.size, nxt.size) and ln.x1 - ln.x0 <= 0.85 * width
    if not (short or set_off):
        return False
    # after a finished block, or after the bare number of a priority set on a line of its own
    return (
        cur is None
        or cur.kind == "heading"
        or bool(SENTENCE_END_RE.search(cur.text))
        or bool(re.fullmatch(r"\d{1,2}", cur.text.strip()))
    )


def _unnumbered_level(section: list[tuple[int, str]], priorities: set[str] = frozenset()) -> int:
    """Level of an unnumbered heading: below a numbered one, beside an unnumbered one."""
    if not section:
        return 1
    level, title = section[-1]
    # "7Versterk ..." (`priorities`: its number was glued on in the PDF) is no numbered section
    return level + 1 if title[:1].isdigit() and title not in priorities and not GLUED_NUMBER_RE.match(title) else level


# words a line cannot end on when its text goes on: "over de versterking van de" / "Nederlandse ..."
OPEN_ENDS = frozenset(
    "de het een en of van in op voor met aan te door bij naar om over tot uit die dat als zoals "
    "en/of maar dan zijn is wordt worden the and of to for in with".split()
)


def _continues(cur: Block, prev: Line, ln: Line, new_page: bool, width: float = 0.0) -> bool:
    """Whether line `ln` continues block `cur` (whose last line was `prev`)."""
    text = ln.text.strip()
    if cur.kind == "heading" or _starts_item(text) or CLOSING_RE.match(prev.text.strip()):
        return False  # a closing formula ("Met vriendelijke groet,") ends a letter or message
    ended = bool(SENTENCE_END_RE.search(cur.text))
    lower = text[:1].islower()
    if lower or cur.text.endswith("-"):
        return True
    # a short line that ends no sentence, then a capital: the cells of a table or the labels of
    # a figure set line under line ("Snel verouderde technische kennis" / "Stijgende vraag naar
    # ..."), not one sentence; in running text only a paragraph's last line is this short
    if (
        width
        and not new_page
        and prev.x1 - prev.x0 < 0.6 * width
        and not ended
        and not re.search(r"[,–—-]$", cur.text)
        and cur.kind == "paragraph"
        and cur.text.split()[-1].lower() not in OPEN_ENDS
    ):
        return False
    gap = 0.0 if new_page else prev.y - ln.y
    big_gap = gap > 1.7 * max(ln.size, prev.size)
    if cur.kind == "list_item":
        # an upper-case line continues an item only under a hanging indent
        return ln.x0 > cur.x0 + 2 and not big_gap
    if new_page:
        return not ended
    return not (big_gap and ended)


@dataclass
class _BlockBuilder:
    """What build_blocks keeps while it walks the lines: the finished blocks, the open one,
    the previous line and the section path."""

    body: float  # the body text size
    width: float  # the typical width of a body line
    blocks: list[Block] = field(default_factory=list)
    footnotes: list[Block] = field(default_factory=list)
    cur: Block | None = None
    prev: Line | None = None
    section: list[tuple[int, str]] = field(default_factory=list)  # (level, title)
    # titles whose number was glued on ("10Stimuleer" -> "10 Stimuleer")
    priorities: set[str] = field(default_factory=set)

    def path(self) -> tuple[str, ...]:
        return tuple(t for _, t in self.section)

    def flush(self) -> None:
        if self.cur is not None and self.cur.text.strip():
            self.blocks.append(self.cur)
        self.cur = None

    def add_footnotes(self, notes: list[Line], page_no: int) -> None:
        for ln in notes:
            if _is_footnote_start(ln, self.body) or not self.footnotes:
                self.footnotes.append(
                    Block("footnote", ln.text, page_no, section=("Voetnoten",), page_marks=[(0, page_no)])
                )
            else:
                self.footnotes[-1].text = join_hyphenated(self.footnotes[-1].text, ln.text)

    def add_line(self, ln: Line, nxt: Line | None, last: bool, page_no: int, new_page: bool) -> None:
        """Line `ln` (not blank) of page `page_no`; `nxt` is the line after it (overleaf when `last`)."""
        text = ln.text.strip()
        cur, prev = self.cur, self.prev
        level = heading_level(ln, self.body)
        if not level and standalone_title(ln, nxt, cur, self.width, last):
            level = -1
        wraps = (
            level == -1
            and cur is not None
            and cur.kind == "heading"
            and prev is not None
            and not new_page
            and 0 < prev.y - ln.y < 1.6 * max(ln.size, prev.size)
            and abs(prev.size - ln.size) < 0.5
        )
        if wraps:  # a heading set over two lines
            if cur.text in self.priorities:
                self.priorities.add(join_hyphenated(cur.text, text))
            cur.text = join_hyphenated(cur.text, text)
            self.section[-1] = (self.section[-1][0], cur.text)
            cur.section = self.path()
        elif level:
            self._heading(text, level, page_no)
        elif cur is not None and prev is not None and _continues(cur, prev, ln, new_page, self.width):
            cur.text = join_hyphenated(cur.text, text)
            if cur.page_marks[-1][1] != page_no:
                cur.page_marks.append((len(cur.text) - len(text), page_no))
        else:
            self.flush()
            kind = "list_item" if _starts_item(text) else "paragraph"
            self.cur = Block(kind, text, page_no, section=self.path(), page_marks=[(0, page_no)], x0=ln.x0)
        self.prev = ln

    def add_row(self, row: TableRow, last: Line, page_no: int) -> None:
        """A table row: one block of its own, never joined to text around it nor a heading."""
        self.flush()
        self.blocks.append(Block("table_row", row.text, page_no, section=self.path(), page_marks=[(0, page_no)]))
        self.prev = last

    def _heading(self, text: str, level: int, page_no: int) -> None:
        """A new heading: numbered (`level` from its number) or standalone (-1)."""
        self.flush()
        if level == -1:
            level = _unnumbered_level(self.section, self.priorities)
            if GLUED_NUMBER_RE.match(text):  # the number set apart, as a reader sees it
                text = GLUED_NUMBER_RE.sub(r"\1 ", text)
                self.priorities.add(text)
        while self.section and self.section[-1][0] >= level:
            self.section.pop()
        self.section.append((level, text))
        self.cur = Block("heading", text, page_no, level=level, section=self.path(), page_marks=[(0, page_no)])


def build_blocks(pages: list[Page]) -> list[Block]:
    """Turn pages into blocks with section paths."""
    pages = remove_furniture(pages)
    body = body_size(pages)
    builder = _BlockBuilder(body, typical_width(pages, body))
    bodies = [split_footnotes(page, body) for page in pages]
    for pi, page in enumerate(pages):
        lines, notes = bodies[pi]
        # the first line of the next page's text, for a heading at the foot of this page
        overleaf = next((ln for later in bodies[pi + 1 : pi + 2] for ln in later[0] if ln.text.strip()), None)
        builder.add_footnotes(notes, page.number)
        rows = find_rows(lines, builder.width, join_hyphenated)
        starts = {min(r.lines): r for r in rows}
        in_rows = {i for r in rows for i in r.lines}
        new_page = True
        for i, ln in enumerate(lines):
            if i in starts:
                builder.add_row(starts[i], lines[max(starts[i].lines)], page.number)
            if i in in_rows or not ln.text.strip():
                continue
            ln = replace(ln, text=mark_redactions(ln.text))
            last = i + 1 >= len(lines)
            builder.add_line(ln, overleaf if last else lines[i + 1], last, page.number, new_page)
            new_page = False
    builder.flush()
    return builder.blocks + builder.footnotes
