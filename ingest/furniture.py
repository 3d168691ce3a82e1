"""Page furniture: what a page carries besides its text, recognised and removed before
lines become blocks.

Plain data in and out (`pdf_reader.Page` list). Each rule covers a class of layouts:
- running headers and footers (on every page, on only some pages, alternating), page
  numbers in all their forms ("Pagina 3 van 10", "- 4 -", "5/12"), document ids and
  barcodes in the top or bottom zone;
- a margin column beside a text column that stands well in from the page edge (the
  masthead and id/ISSN block of a Kamerstuk) and a narrow column right of the text
  (the letterhead of a ministry letter: "Retouradres", "Postbus", "Ons kenmerk");
- a lone footer line far below the text at the foot of a page;
- tables of contents (lines with dot leaders and a page number, and the page they fill);
- e-mail header blocks of Woo exports ("Van:", "Aan:", "Verzonden:", "Onderwerp:")
  and the signature block after a closing formula ("Met vriendelijke groet,");
- placeholder pages of Woo exports ("Pagina's zijn verwijderd", "Dubbel").
Redaction codes standing where text was blacked out ("5.1.2e") are kept as a marked
redaction (`mark_redactions`), not as loose words.
"""

from __future__ import annotations

import re
from collections import Counter

from .pdf_reader import Line, Page

PAGE_NUMBER_RE = re.compile(
    r"^(?:pagina\s+|page\s+|p\.\s*|blz\.\s*)?[-–—]?\s*(\d{1,4}|[ivxlcdm]{1,7})\s*[-–—]?"
    r"(?:\s*(?:van|/|of)\s*\d{1,4})?$",
    re.IGNORECASE,
)
# "Pagina 3 van 10", "pagina 3/10", "Page 3 of 10", and "Pagina van" where the numbers were fields
PAGE_OF_RE = re.compile(r"^(?:pagina|page|blad|blz\.?)\s*(?:\d{1,4}\s*)?(?:van|of|/)\s*(?:\d{1,4})?$", re.IGNORECASE)
# a document id or barcode on its own: "173990", "kst-32545-143", "02-68226 (E)", "*0268226*"
ID_RE = re.compile(r"^\*?(?=[\w./-]*\d)[\w./-]{5,40}\*?(?:\s*\([A-Z]\))?$")
# a dot leader ("........" or ". . . .") ending in a page number: a line of a table of contents
LEADER_RE = re.compile(r"(?:\.\s?){4,}\s*(?:\d{1,4}|[ivxlcdm]{1,6})$", re.IGNORECASE)
MAIL_LABEL_RE = re.compile(
    r"^(?:van|from|aan|to|cc|bcc|verzonden|sent|onderwerp|subject|received|datum|date|bijlagen?|attachments?)\s*:",
    re.IGNORECASE,
)
CLOSING_RE = re.compile(
    r"^(?:met\s+)?(?:vriendelijke|hartelijke|beste|warme|collegiale)?\s*groet(?:en|jes)?\b"
    r"|^(?:kind\s+|best\s+)?regards\b|^mvg\b",
    re.IGNORECASE,
)
PLACEHOLDER_RE = re.compile(
    r"pagina'?s?\s+(?:zijn|is)\s+verwijderd|\bdubbel\b|niet\s+relevant|buiten\s+(?:de\s+)?reikwijdte"
    r"|intentionally\s+left\s+blank|opzettelijk\s+(?:leeg|blanco)",
    re.IGNORECASE,
)
SENTENCE_END_RE = re.compile(r"[.!?]['’”\")]*$")
CAPTION_RE = re.compile(r"^(bron|figuur|tabel|noot|foto|grafiek|source|figure|table)\b", re.IGNORECASE)
# Woo (5.1.1a-e, 5.1.2a-i) and Wob (10.1a-d, 10.2a-g) grounds for blacking out text
REDACTION_CODE = r"(?:5\.1\.[12]\.?\s?[a-i]|10\.[12]\.?\s?[a-g])"
REDACTION_RE = re.compile(rf"(?<![\w.]){REDACTION_CODE}(?![\w])")
REDACTION_LINE_RE = re.compile(rf"^(?:{REDACTION_CODE}[\s,;|]*)+$")
LIST_BULLETS = {"•", "◦", "▪", "‣", "·", "-", "–", "*"}
# words after which a code is a reference to the law, not a redaction
LAW_WORD_RE = re.compile(
    rf"^(?:artikel|artikelen|art\.?|lid|leden|grond|gronden|grondslag|jo\.?|zie|openbaar|{REDACTION_CODE}[;,]?)$",
    re.IGNORECASE,
)


def furniture_key(text: str) -> str:
    key = re.sub(r"\d+", "#", text.lower())
    key = re.sub(r"\b[ivxlcdm]{1,7}\b", "#", key)
    return re.sub(r"\s+", " ", key).strip()


def _carries_label(text: str, label: str) -> bool:
    """Whether a line is the page's own printed number plus a title: "iv SAMENVATTING EN
    CONCLUSIE" on page iv, "EVALUEREND ADVIES 95" on page 95."""
    if not label:
        return False
    words = text.split()
    return len(words) >= 2 and label in (words[0], words[-1])


def zones(page: Page, n: int = 3) -> tuple[list[int], list[int]]:
    """Indices of lines in the top and bottom zone of a page."""
    if not page.lines:
        return [], []
    ys = [ln.y for ln in page.lines]
    hi, lo = max(ys), min(ys)
    band = max(0.08 * page.height, 30.0)
    order = sorted(range(len(page.lines)), key=lambda i: -page.lines[i].y)
    top = [i for i in order[:n] if page.lines[i].y >= hi - band]
    bottom = [i for i in order[-n:] if page.lines[i].y <= lo + band]
    return top, bottom


def body_size(pages: list[Page]) -> float:
    """The body text size: the size most characters are set in (to half a point)."""
    sizes: Counter[float] = Counter()
    for page in pages:
        for ln in page.lines:
            sizes[round(ln.size * 2) / 2] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def text_column(pages: list[Page]) -> tuple[float, float]:
    """Left and right edge of the body text column: where most body-size text starts,
    and where nine in ten of those lines end."""
    body = body_size(pages)
    starts: Counter[int] = Counter()
    for page in pages:
        for ln in page.lines:
            if abs(ln.size - body) < 1 and len(ln.text) >= 30:
                starts[round(ln.x0 / 4)] += len(ln.text)
    if not starts:
        return 0.0, 1e9
    left = starts.most_common(1)[0][0] * 4
    ends = sorted(ln.x1 for p in pages for ln in p.lines if abs(ln.x0 - left) <= 6 and len(ln.text) >= 30)
    right = ends[int(0.9 * (len(ends) - 1))] if ends else 1e9
    return float(left), float(right)


def _margin_lines(pages: list[Page]) -> list[set[int]]:
    """Per page, the lines of a margin column: left of a text column that stands well in
    from the page edge (a Kamerstuk's masthead and id block), or right of the text
    column (a letterhead). A margin column holds a small share of the text, which tells
    it from the second column of a two-column page."""
    left, right = text_column(pages)
    total = sum(len(ln.text) for p in pages for ln in p.lines) or 1
    out: list[set[int]] = []
    for page in pages:
        top, bottom = zones(page)
        edge = set(top + bottom)
        marks = set()
        for i, ln in enumerate(page.lines):
            starts_left = left >= 0.25 * page.width and ln.x0 < left - 10
            # a line joined across the margin and the column is cut out only in the page's top and bottom zone
            if starts_left and (ln.x1 < left or i in edge):
                marks.add(i)
            elif right <= 0.8 * page.width and ln.x0 > right + 5:
                marks.add(i)
        out.append(marks)
    share = sum(len(p.lines[i].text) for p, marks in zip(pages, out) for i in marks) / total
    return out if share <= 0.35 else [set() for _ in pages]


def _foot_block(page: Page, bottom: list[int], body: float, skip: set[int], n_pages: int) -> set[int]:
    """A few short lines at the foot of a page, set far apart from the text above them:
    a one-page document's footer (which no other page repeats) or an address block
    ("H.E. ... / Advisor / Baghdad"). Footnotes (small type) and captions are no foot block."""
    lines = page.lines
    if len(lines) < 4 or not bottom:
        return set()
    order = sorted((i for i in range(len(lines)) if i not in skip), key=lambda i: lines[i].y)  # bottom up
    if not order:
        return set()
    block = [order[0]]
    for i in order[1:]:
        ln, below = lines[i], lines[block[-1]]
        if ln.y - below.y > 2.2 * max(ln.size, below.size):
            break
        block.append(i)
    # one line alone is a footer only where no other page could repeat it (a one-page document)
    if len(block) > 6 or len(block) == len(order) or (len(block) == 1 and n_pages > 1):
        return set()
    top = lines[block[-1]]
    above = min((lines[j].y for j in order if j not in block and lines[j].y > top.y), default=None)
    foot = [lines[i] for i in block]
    if (
        above is None
        or above - top.y < 4 * top.size
        or top.y > 0.25 * page.height
        or any(len(ln.text) > 120 or SENTENCE_END_RE.search(ln.text) or ln.size < 0.9 * body for ln in foot)
        or any(CAPTION_RE.match(ln.text) for ln in foot)
    ):
        return set()
    return set(block)


def _front_matter(pages: list[Page], body: float) -> list[set[int]]:
    """Cover, title and colophon pages before the first page of running text: their
    small lines (author, faculty, address, credits) are no passages; lines set larger
    than the body (the title) stay."""
    out: list[set[int]] = []
    for page in pages[:3]:
        # running text: three or more body lines starting at one left edge (a title page centres its lines)
        edges = Counter(
            round(ln.x0) for ln in page.lines if len(ln.text) >= 30 and 0.8 * body <= ln.size <= 1.25 * body
        )
        running = any(sum(n for x, n in edges.items() if abs(x - e) <= 2) >= 3 for e in edges)
        if running or len(page.lines) > 25:
            return out + [set() for _ in pages[len(out) :]]
        out.append({i for i, ln in enumerate(page.lines) if ln.size < 1.3 * body})
    if len(out) == len(pages):
        return [set() for _ in pages]  # no page of running text follows: nothing is front matter
    return out + [set() for _ in pages[len(out) :]]


def _joined_to_running(key: str, running: set[str]) -> bool:
    """A running line that the page set on one line with a short piece of other furniture
    ("United Nations" before a resolution's running id)."""
    return any(len(r) >= 10 and (key.startswith(r) or key.endswith(r)) and len(key) - len(r) <= 20 for r in running)


def _zone_furniture(pages: list[Page], body: float) -> list[set[int]]:
    """Running headers and footers, page numbers and ids in each page's top and bottom zone."""
    counts: Counter[str] = Counter()
    page_zones = []
    for page in pages:
        top, bottom = zones(page)
        page_zones.append((top, bottom))
        for i in set(top + bottom):
            counts[furniture_key(page.lines[i].text)] += 1
    min_repeat = max(2, int(0.3 * len(pages)))
    running = {k for k, c in counts.items() if c >= min_repeat and len(k) >= 3 and len(pages) >= 3}
    out = []
    for page, (top, bottom) in zip(pages, page_zones):
        drop = set()
        for i in set(top + bottom):
            text = page.lines[i].text.strip()
            key = furniture_key(text)
            if len(text) < 120 and (key in running or _joined_to_running(key, running)):
                drop.add(i)  # a running line, also where the page joined it to other furniture
            elif PAGE_NUMBER_RE.match(text) or PAGE_OF_RE.match(text) or text == page.label or ID_RE.match(text):
                drop.add(i)
            elif counts[key] >= 2 and len(text) < 120 and _carries_label(text, page.label):
                drop.add(i)  # a header of a few pages only: "ii SAMENVATTING EN CONCLUSIE" on ii, iv, vi
        out.append(drop | _foot_block(page, bottom, body, drop, len(pages)))
    return out


def _is_placeholder(page: Page) -> bool:
    """A page that stands in for removed pages: a few words naming why."""
    text = " ".join(ln.text for ln in page.lines)
    return len(text) < 160 and bool(PLACEHOLDER_RE.search(text))


def _contents(page: Page) -> set[int]:
    """Lines of a table of contents: dot leaders ending in a page number; where they fill
    most of the page, the whole page (chapter lines without leaders, wrapped entries)."""
    leaders = {i for i, ln in enumerate(page.lines) if LEADER_RE.search(ln.text.strip())}
    if len(leaders) >= 3 and len(leaders) >= 0.4 * len(page.lines):
        return set(range(len(page.lines)))
    return leaders


def _mail_headers(lines: list[Line]) -> set[int]:
    """E-mail header blocks: two or more header lines ("Van:", "Onderwerp:") close
    together, with the address lines between them."""
    labels = [i for i, ln in enumerate(lines) if MAIL_LABEL_RE.match(ln.text.strip())]
    drop: set[int] = set()
    for a, b in zip(labels, labels[1:]):
        between = lines[a + 1 : b]
        if b - a <= 5 and all(len(ln.text) < 50 or re.search(r"[@<>;]", ln.text) for ln in between):
            drop.update(range(a, b + 1))
    return drop


def _signature(lines: list[Line], skip: set[int]) -> set[int]:
    """The lines after a closing formula ("Met vriendelijke groet,"): name, function,
    department, address, up to the next header block or running text."""
    drop: set[int] = set()
    for i, ln in enumerate(lines):
        text = ln.text.strip()
        if i in skip or not CLOSING_RE.match(text) or len(text.split()) > 5:
            continue
        for j in range(i + 1, min(len(lines), i + 9)):
            nxt = lines[j].text.strip()
            if j in skip or MAIL_LABEL_RE.match(nxt) or len(nxt) > 90 or SENTENCE_END_RE.search(nxt):
                break
            drop.add(j)
    return drop


def _keep(page: Page, drop: set[int]) -> Page:
    lines = [ln for i, ln in enumerate(page.lines) if i not in drop]
    return Page(
        page.number,
        page.label,
        page.height,
        lines,
        ocr=page.ocr,
        quality=page.quality,
        reasons=page.reasons,
        words=page.words,
        width=page.width,
    )


def remove_furniture(pages: list[Page]) -> list[Page]:
    """Drop page furniture (see the module docstring); returns new Page objects. Margin
    columns go first, so that the top and bottom zones are those of the text column."""
    pages = [_keep(p, drop) for p, drop in zip(pages, _margin_lines(pages))]
    body = body_size(pages)
    out = []
    for page, edge, front in zip(pages, _zone_furniture(pages, body), _front_matter(pages, body)):
        if _is_placeholder(page):
            drop = set(range(len(page.lines)))
        else:
            drop = edge | front | _contents(page)
            drop |= {i for i, ln in enumerate(page.lines) if PAGE_OF_RE.match(ln.text.strip())}
            drop |= _mail_headers(page.lines)
            drop |= _signature(page.lines, drop)
        out.append(_keep(page, drop))
    return out


def _mark(m: re.Match) -> str:
    before = m.string[max(0, m.start() - 60) : m.start()].split()[-4:]
    if any(LAW_WORD_RE.match(w) for w in before):
        return m.group()  # a ground cited as law or listed after a verdict ("Deels openbaar 10.2.e")
    if before and before[-1] in LIST_BULLETS:
        return m.group()  # an item of a list of grounds ("• 10.2.e"): text, not a blacked-out word
    return "[gelakt: " + re.sub(r"\s", "", m.group()) + "]"


def mark_redactions(text: str) -> str:
    """Redaction codes standing alone where text was blacked out ("5.1.2e", "10.2.e")
    become a marked redaction ("[gelakt: 5.1.2e]"); a code cited as law ("artikel
    5.1.2e") stays as it is."""
    if not REDACTION_RE.search(text):
        return text
    if REDACTION_LINE_RE.match(text.strip()):
        codes = [re.sub(r"\s", "", c) for c in REDACTION_RE.findall(text)]
        return " ".join(f"[gelakt: {c}]" for c in codes)
    return REDACTION_RE.sub(_mark, text)
