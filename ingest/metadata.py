"""Title, year, publisher and document type of a PDF without a manifest entry.

Plain data in (the first pages' positioned lines, the PDF info dictionary, the file
name), plain data out. The rules are the ones a person uses on a first page: a
parliamentary masthead with its item title, an "Onderwerp"/"Betreft"/"Subject" line,
a dated line ("Datum", "Sent", "Voorgesteld"), the organisation in the letterhead, the
largest text on the title page; the info-dictionary title only when it is not junk.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .manifest import guess_year
from .metadata_patterns import (
    VERGADERJAAR,
    confirmed,
    is_date_line,
    labelled_year,
    line_year,
    ministry_from_abbreviation,
    ministry_name,
    organisation_author,
    organisations,
    plain_words,
    recase,
    session_year,
    shout,
    usable_title,
    worded_date_line,
)

FIRST_PAGES = 3  # the title page is one of these (covers and colophons come first)


@dataclass
class Extracted:
    title: str = ""
    year: int | None = None
    publisher: str = ""
    kind: str = ""  # short Dutch lower-case document type ("" when unknown)


_BARE_LABEL = re.compile(
    r"^(Datum|Date|Dated|Sent|Verzonden|Verstuurd|Voorgesteld|Onderwerp|Betreft|Subject|Inzake)\s*:?$", re.I
)


def labelled_lines(page) -> list[str]:
    """The page's line texts, a bare label ("Betreft:", "Datum") joined to the value on its
    baseline to the right: OCR and column layouts read label and value as separate lines."""
    out = []
    for ln in page.lines:
        beside = []
        if _BARE_LABEL.match(ln.text.strip()):
            tol = 0.5 * max(ln.size, 6.0)
            beside = [x for x in page.lines if x is not ln and abs(x.y - ln.y) <= tol and x.x0 > ln.x0]
        out.append(f"{ln.text} {min(beside, key=lambda x: x.x0).text}" if beside else ln.text)
    return out


def find_year(pages: list, title: str, filename: str) -> int | None:
    first = [text for p in pages[:2] for text in labelled_lines(p)]
    text = " ".join(ln.text for ln in pages[0].lines) if pages else ""
    candidates = [labelled_year(first), session_year(text)]
    candidates += [line_year(ln.text) for p in pages[:FIRST_PAGES] for ln in p.lines if worded_date_line(ln.text)]
    candidates += [guess_year(title), guess_year(Path(filename).stem)]
    return next((y for y in candidates if y), None)


# --- titles ------------------------------------------------------------------------


_MASTHEAD = re.compile(r"^(Tweede|Eerste) Kamer der Staten-Generaal\b")
_ITEM_NR = re.compile(r"^Nr\.\s*\d+\b\s*")
_QUESTIONS = re.compile(r"^Vragen van (het lid|de leden)\b")


def _kamerstuk(page) -> tuple[str, str] | None:
    """(title, kind) of a parliamentary paper: the masthead "Tweede Kamer der Staten-Generaal"
    with "Vergaderjaar"; written questions take the "Vragen van ..." sentence, other papers
    the item title beside "Nr. 143", or their citation ("Kamerstuk 35 538, nr. 3") where the
    item title only names a part every bill has ("Memorie van toelichting")."""
    lines = page.lines
    if not any(_MASTHEAD.match(ln.text) for ln in lines) or not any(VERGADERJAAR.search(ln.text) for ln in lines):
        return None
    for i, ln in enumerate(lines):
        if _QUESTIONS.match(ln.text):
            parts = [ln.text]
            for x in lines[i + 1 : i + 6]:  # the sentence runs on until the date it was sent in
                if abs(x.size - ln.size) > 0.5 or re.match(r"(Vraag|Antwoord|Mededeling)\b", x.text):
                    break
                parts.append(x.text)
            text = re.split(r"\s*\((ingezonden|ontvangen)\b", " ".join(parts))[0]
            return _tidy(text), "kamervragen"
    title = _item_title(page)
    cited = _CITATION.search(" ".join(ln.text for ln in lines))
    if cited and (not title or _GENERIC_ITEM.fullmatch(title.strip(" ."))):
        return f"Kamerstuk {cited.group(1)}, nr. {cited.group(2)}", _paper_kind(title) if title else "kamerstuk"
    return (title, _paper_kind(title)) if title else None


# "Tweede Kamer, vergaderjaar 2019–2020, 35 538, nr. 3" (the footer of every page)
_CITATION = re.compile(r"vergaderjaar \d{4}\s*[–-]\s*\d{4}, (\d{2} \d{3}(?: [A-Z]{1,4})?), nr\. (\d+)", re.I)
_GENERIC_ITEM = re.compile(
    r"((tweede|derde|vierde|gewijzigd) )?(memorie van toelichting|voorstel van wet|(nader )?verslag|"
    r"nota naar aanleiding van het (nader )?verslag|nota van wijziging|lijst van vragen en antwoorden|"
    r"koninklijke boodschap)",
    re.I,
)


def _item_title(page) -> str:
    """The title beside "Nr. 57" (on its line or in the next column), continued by lines in
    the same capitals below it; recased."""
    lines = page.lines
    for ln in lines:
        if not _ITEM_NR.match(ln.text):
            continue
        rest = _ITEM_NR.sub("", ln.text)
        if rest:
            head = ln
        else:
            beside = [x for x in lines if abs(x.y - ln.y) < 2 and x.x0 > ln.x1 and x is not ln]
            if not beside:
                continue
            head = min(beside, key=lambda x: x.x0)
            rest = head.text
        parts = [rest]
        below = sorted((x for x in lines if head.y - 3 * head.size < x.y < head.y), key=lambda x: -x.y)
        for x in below:  # capitals continue the title; the first other line ends it
            if not shout(x.text) or abs(x.size - head.size) > 0.5:
                break
            parts.append(x.text)
        title = " ".join(parts)
        return recase(title, [page]) if shout(title) else title
    return ""


def _paper_kind(title: str) -> str:
    first = title.split()[0].casefold() if title.split() else ""
    if first in ("motie", "gewijzigde") and "motie" in title.casefold():
        return "motie"
    if first == "advies" or title.casefold().startswith("nader rapport"):
        return "advies"
    if first == "brief":
        return "kamerbrief"
    if first == "amendement":
        return "amendement"
    return "kamerstuk"


# with a colon any value; without one ("Betreft Voortgang ...") only a value that starts like a
# title, so that a sentence ("Onderwerp van dit rapport is ...") is not taken for the field
_SUBJECT = re.compile(r"^((?i:Onderwerp|Betreft|Subject|Inzake))(\s*:\s*(?=\S)|\s+(?=[A-Z0-9‘'\"“]))")
_MAIL_HEADER = re.compile(r"^(From|To|Cc|Sent|Subject|Van|Aan|Verzonden|Onderwerp|Date|Datum)\s*:", re.I)


def _subject(page) -> str:
    for text in labelled_lines(page):
        m = _SUBJECT.match(text)
        if m and len(text) - m.end() >= 4:
            return text[m.end() :].strip()
    return ""


def _is_mail(page) -> bool:
    labels = {_MAIL_HEADER.match(ln.text).group(1).casefold() for ln in page.lines[:25] if _MAIL_HEADER.match(ln.text)}
    return len(labels) >= 3


def _resolution(page) -> str:
    for ln in page.lines[:30]:
        if re.fullmatch(r"(Resolution|Resolutie|Besluit) \d+ \((19|20)\d\d\)", ln.text.strip()):
            return ln.text.strip()
    return ""


def _title_like(text: str) -> bool:
    words = re.findall(r"[^\W\d_]{2,}", text)
    return (
        len(words) >= 1
        and len(text) <= 250
        and not is_date_line(text)
        and not _MAIL_HEADER.match(text)
        and not _MASTHEAD.match(text)
        and not re.match(r"^(Ministerie van|Pagina \d)", text)
        and sum(len(n) for n in organisations(text)) < 0.6 * len(text.strip())  # a letterhead name
    )


def _display_block(page, body: float) -> tuple[float, str] | None:
    """The largest text on a page (one title over several lines), if it stands out from the body."""
    lines = [ln for ln in page.lines if _title_like(ln.text)]
    if not lines:
        return None
    top = max(ln.size for ln in lines)
    if top < 1.2 * body:
        return None
    start = next(i for i, ln in enumerate(page.lines) if ln.size == top and _title_like(ln.text))
    block = [page.lines[start]]
    for ln in page.lines[start + 1 :]:
        if abs(ln.size - top) > 0.03 * top or not 0 < block[-1].y - ln.y < 2.2 * top:
            break
        block.append(ln)
    return top, " ".join(ln.text for ln in block)


def _body_size(pages: list) -> float:
    sizes: Counter = Counter()
    for p in pages[:FIRST_PAGES]:
        for ln in p.lines:
            sizes[round(ln.size, 1)] += len(ln.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


def largest_text(pages: list) -> str:
    """The title on the title page: the largest text on one of the first pages. A cover with
    a line or two (an author's name, a logo caption) gives way to a later page with text as large."""
    body = _body_size(pages)
    found = [(i, b) for i, p in enumerate(pages[:FIRST_PAGES]) if (b := _display_block(p, body))]
    for n, (i, (size, text)) in enumerate(found):
        sparse = len(pages[i].lines) < 3
        if sparse and any(s >= 0.9 * size for _, (s, _t) in found[n + 1 :]):
            continue
        return _tidy(recase(text, pages[i : i + 1]) if shout(text) else text)
    return ""


def _tidy(title: str) -> str:
    # a word hyphenated over two lines ("notificatie- applicatie"); not "Woo- en Wob-verzoeken"
    title = re.sub(r"([a-zà-ÿ])- (?!(en|of|and|or|tot)\b)([a-zà-ÿ])", r"\1\3", " ".join(title.split()))
    return title.strip(" .:;,")[:200]


# --- publisher and kind ------------------------------------------------------------


_ADDRESSEE = re.compile(r"^(Aan|To)\b|\bVoorzitter van de\b", re.I)


def _letterhead(page) -> str:
    """The lines in the top fifth of a page's text area (or its first lines, when positions are
    unknown: every line at the same height), without the addressee ("Aan de Voorzitter van de
    Tweede Kamer" and the line under it): a letter names its receiver there too."""
    ys = [ln.y for ln in page.lines]
    flat = max(ys) - min(ys) < 1
    top = page.lines[:5] if flat else [ln for ln in page.lines if ln.y >= max(ys) - 0.2 * page.height]
    kept, skip = [], False
    for ln in top:
        addressee = bool(_ADDRESSEE.search(ln.text))
        if not (addressee or skip):
            kept.append(ln.text)
        skip = addressee
    return "\n".join(kept)


def find_publisher(pages: list, title: str, kind: str, filename: str, info: dict) -> str:
    """The letterhead's organisation; for an advice, the adviser its title names; else a
    ministry abbreviation in the file name or title ("VWS-WOO-173990"); else the info
    dictionary's author when it is an organisation; else the one the first pages name most."""
    if not pages:
        return ""
    named = organisations(title)
    if kind == "advies" and named:
        return named[0]
    writer = re.match(
        r"Brief van de (?:minister|staatssecretaris)s? van (.+?)(?: en (?:de )?(?:minister|staats).*)?$", title, re.I
    )
    if kind == "kamerbrief" and writer:  # the letter of a minister: the ministry
        return ministry_name("Ministerie van " + writer.group(1))
    head = organisations(_letterhead(pages[0]))
    if head:
        return head[0]
    abbreviated = ministry_from_abbreviation(Path(filename).stem) or ministry_from_abbreviation(title)
    if abbreviated:
        return abbreviated
    author = organisation_author(info.get("author", ""))
    if author:
        return author
    return next((named for p in pages[:FIRST_PAGES] if (named := _named_on(p))), "")


def _named_on(page) -> str:
    """The organisation a page names most often, counting only one named twice or more or one
    standing (nearly) alone on its line (a signature, an affiliation): an organisation that a
    sentence mentions once is the subject of the text, not its maker."""
    names, alone = [], set()
    for ln in page.lines:
        for name in organisations(ln.text):
            names.append(name)
            if len(name) >= 0.5 * len(ln.text.strip()):
                alone.add(name)
    counts = Counter(names)
    names = [n for n in names if counts[n] >= 2 or n in alone]
    return max(names, key=lambda n: (counts[n], -names.index(n))) if names else ""


_KIND_WORDS = [
    (re.compile(r"\bWo[ob]-?(deel)?besluit|\bbesluit op (uw|het) Wo[ob]-verzoek|\bdeelbesluit\b", re.I), "woo-besluit"),
    (re.compile(r"\binventaris(lijst)?\b", re.I), "inventarislijst"),
    (re.compile(r"\bfiche\b", re.I), "fiche"),
    (re.compile(r"^advies\b|\badvies (van|over|inzake|aan)\b", re.I), "advies"),
    (re.compile(r"\b(rapport|report|jaarverslag|evaluati[eo]n?|analys[ei]s?|verkenning|onderzoek)\b", re.I), "rapport"),
]


def find_kind(pages: list, title: str, mail: bool, released: bool = False) -> str:
    """The document type from its title and first pages (Kamerstukken are typed earlier).
    `released`: the file is a document released under the Woo (named "VWS-WOO-173990")."""
    for rx, kind in _KIND_WORDS[:3]:
        if rx.search(title):
            return kind
    if mail:
        return "e-mail"
    if released:
        return "woo-document"
    first = "\n".join(ln.text for p in pages[:FIRST_PAGES] for ln in p.lines)
    if re.search(r"\b(bachelor|master)?scriptie\b|\b(bachelor|master)'?s? thesis\b|\bafstudeer", first, re.I):
        return "scriptie"
    if re.search(r"^Geachte\b", first, re.M) and re.search(r"^(Betreft|Onderwerp)\b", first, re.M | re.I):
        addressed = re.search(r"Voorzitter van de (Tweede|Eerste) Kamer", first)
        return "kamerbrief" if addressed else "brief"
    for rx, kind in _KIND_WORDS[3:]:
        if rx.search(title):
            return kind
    return ""


# --- the whole extraction ----------------------------------------------------------


def _spelled_by_file_name(pages: list, filename: str) -> str:
    """A line (or two) of the first pages that the file name spells out ("fiche-5-herziening-
    ...-financiele-instrumenten.pdf"): people name files after titles; the page has the
    title's own spelling (accents, capitals, punctuation). Ids in the name are left out."""
    words = [w for w in plain_words(Path(filename).stem).split() if not re.fullmatch(r"[0-9a-f]{16,}", w)]
    stem = " ".join(words)
    if len(words) < 3 or len(stem) < 15:
        return ""
    for p in pages[:FIRST_PAGES]:
        texts = [ln.text for ln in p.lines]
        for candidate in texts + [f"{a} {b}" for a, b in zip(texts, texts[1:])]:
            plain = plain_words(candidate)
            short, long_ = sorted((plain, stem), key=len)
            if len(short) >= 15 and short in long_ and len(short) >= 0.8 * len(long_):
                return _tidy(candidate)
    return ""


def _title_and_kind(pages: list, info: dict, filename: str) -> tuple[str, str, bool]:
    """(title, kind found by the title's rule, whether the first page is an e-mail)."""
    page = pages[0]
    mail = _is_mail(page)
    paper = _kamerstuk(page)
    if paper:
        return paper[0], paper[1], mail
    resolution = _resolution(page)
    if resolution:
        return resolution, "resolutie", mail
    subject = _subject(page)
    if subject:
        return _tidy(subject), "", mail
    spelled = _spelled_by_file_name(pages, filename)
    if spelled:
        return spelled, "", mail
    meta_title = usable_title(info.get("title", ""))
    if meta_title and confirmed(meta_title, pages):
        return meta_title, "", mail
    return largest_text(pages) or meta_title, "", mail


def extract(pages: list, info: dict, filename: str) -> Extracted:
    """Title, year, publisher and kind from the first pages (objects with `lines`, `height`;
    lines with `text`, `size`, `x0`, `x1`, `y`), the PDF info dictionary (keys title, author,
    subject, creation_date, producer) and the file name."""
    pages = [p for p in pages if p.lines][:FIRST_PAGES] or pages[:1]
    if not pages:
        return Extracted()
    title, kind, mail = _title_and_kind(pages, info, filename)
    released = bool(re.search(r"(^|[^a-z])wo[ob][-_ ]?\d{4,}", Path(filename).stem, re.I))
    kind = kind or find_kind(pages, title, mail, released)
    return Extracted(
        title=title,
        year=find_year(pages, title, filename),
        publisher=find_publisher(pages, title, kind, filename, info),
        kind=kind,
    )
