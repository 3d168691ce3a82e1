"""What metadata rules look for in a document's text: dates in Dutch and English (and the
years they give), and publishing organisations: Dutch ministries (by name and by their usual
abbreviation), parliament, advisory bodies and planning offices, municipalities, provinces,
universities, and the United Nations with its organs; and what makes a title usable (junk
info-dictionary titles, capitals recased as the page writes its words)."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

# The ministries' usual abbreviations (current and recent cabinets) and their names.
MINISTRIES = {
    "AZ": "Algemene Zaken",
    "BZ": "Buitenlandse Zaken",
    "BZK": "Binnenlandse Zaken en Koninkrijksrelaties",
    "DEF": "Defensie",
    "EZ": "Economische Zaken",
    "EZK": "Economische Zaken en Klimaat",
    "FIN": "Financiën",
    "IENM": "Infrastructuur en Milieu",
    "IENW": "Infrastructuur en Waterstaat",
    "JENV": "Justitie en Veiligheid",
    "VENJ": "Veiligheid en Justitie",
    "KGG": "Klimaat en Groene Groei",
    "LNV": "Landbouw, Natuur en Voedselkwaliteit",
    "LVVN": "Landbouw, Visserij, Voedselzekerheid en Natuur",
    "OCW": "Onderwijs, Cultuur en Wetenschap",
    "SZW": "Sociale Zaken en Werkgelegenheid",
    "VRO": "Volkshuisvesting en Ruimtelijke Ordening",
    "VWS": "Volksgezondheid, Welzijn en Sport",
}

# Bodies with a fixed name (longest names first where one contains another).
_BODIES = [
    "Raad van State",
    "Algemene Rekenkamer",
    "Nationale ombudsman",
    "Gezondheidsraad",
    "Sociaal-Economische Raad",
    "Wetenschappelijke Raad voor het Regeringsbeleid",
    "Centraal Planbureau",
    "Sociaal en Cultureel Planbureau",
    "Planbureau voor de Leefomgeving",
    "Centraal Bureau voor de Statistiek",
    "Rijksinstituut voor Volksgezondheid en Milieu",
    "Rathenau Instituut",
    "Autoriteit Persoonsgegevens",
    "Onderzoeksraad voor Veiligheid",
    "Raad voor het Openbaar Bestuur",
    "Adviesraad Internationale Vraagstukken",
    "College voor de Rechten van de Mens",
    "De Nederlandsche Bank",
    "Europese Commissie",
    "European Commission",
    "Council of Europe",
    "Raad van Europa",
    "Kiesraad",
]
_UN_ORGANS = ["Security Council", "General Assembly", "Economic and Social Council", "Human Rights Council"]

_NAME = r"[A-Z][\w'’-]+"
_PATTERNS = [
    re.compile(rf"\bMinisterie van {_NAME}(?:(?:,| en) {_NAME})*"),
    re.compile(r"\b(Tweede|Eerste) Kamer(?= der Staten-Generaal)"),
    re.compile(r"\b(?:[Gg]emeente|[Pp]rovincie|[Ww]aterschap|[Hh]oogheemraadschap) " + _NAME),
    re.compile(rf"\b(?:Rijks)?[Uu]niversiteit (?:van |voor )?{_NAME}|\b{_NAME} Universiteit(?: {_NAME})?\b"),
    re.compile(rf"\bUniversity of {_NAME}|\b{_NAME} University\b"),
    re.compile(r"\bHogeschool (?:van )?" + _NAME),
    re.compile(r"\b(?:" + "|".join(re.escape(b) for b in _BODIES + _UN_ORGANS) + r")\b"),
]


def ministry_name(found: str) -> str:
    """'Ministerie van Volksgezondheid,' (a letterhead broken over lines) or 'Ministerie van
    VWS' -> the ministry's full name when the table knows it; otherwise `found` itself."""
    rest = found.removeprefix("Ministerie van ").strip(" ,")
    if rest.upper().replace(" ", "") in MINISTRIES:
        return "Ministerie van " + MINISTRIES[rest.upper().replace(" ", "")]
    for name in MINISTRIES.values():
        start = name.casefold().startswith(rest.casefold())
        if rest and start and (len(rest) == len(name) or not name[len(rest)].isalpha()):
            return "Ministerie van " + name
    return "Ministerie van " + rest


def ministry_from_abbreviation(text: str) -> str:
    """'VWS-WOO-173990', 'Inventarislijst LNV ...': a ministry's abbreviation as a word of its own
    (in capitals, as ministries write it) -> 'Ministerie van ...'."""
    for token in re.findall(r"[A-Za-z]+", text or ""):
        key = token.upper()
        if key in MINISTRIES and len(key) >= 3 and (token.isupper() or token in ("IenW", "JenV", "VenJ", "IenM")):
            return "Ministerie van " + MINISTRIES[key]
    return ""


def organisations(text: str) -> list[str]:
    """The organisations named in `text`, in order of appearance (repeats kept)."""
    found = []
    for rx in _PATTERNS:
        for m in rx.finditer(text):
            name = m.group(0)
            if name.startswith("Ministerie van"):
                name = ministry_name(name)
            elif name.endswith("Kamer"):
                name = m.group(1) + " Kamer"
            found.append((m.start(), name[:1].upper() + name[1:]))
    if "United Nations" in text:
        pos = text.index("United Nations")
        organ = next((o for o in _UN_ORGANS if o in text), "")
        found.append((pos, f"United Nations {organ}".strip()))
    return [name for _, name in sorted(found)]


# --- dates -------------------------------------------------------------------------

_MONTHS = {
    **dict.fromkeys(["januari", "january", "jan"], 1),
    **dict.fromkeys(["februari", "february", "feb", "febr"], 2),
    **dict.fromkeys(["maart", "march", "mrt", "mar"], 3),
    **dict.fromkeys(["april", "apr"], 4),
    **dict.fromkeys(["mei", "may"], 5),
    **dict.fromkeys(["juni", "june", "jun"], 6),
    **dict.fromkeys(["juli", "july", "jul"], 7),
    **dict.fromkeys(["augustus", "august", "aug"], 8),
    **dict.fromkeys(["september", "sep", "sept"], 9),
    **dict.fromkeys(["oktober", "october", "okt", "oct"], 10),
    **dict.fromkeys(["november", "nov"], 11),
    **dict.fromkeys(["december", "dec"], 12),
}
_MONTH = "(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_YEAR = r"((?:19|20)\d\d)"
# "15 maart 2021", "0 9 AUG 2022" (stamped, OCR spaces the digits), "November 8, 2002",
# "29-9-2020", "9/29/2020", "2020-09-29"
_DATE_RES = [
    re.compile(rf"\b\d ?\d?\.?\s+{_MONTH}\s+{_YEAR}\b", re.I),
    re.compile(rf"\b{_MONTH}\s+\d{{1,2}},?\s+{_YEAR}\b", re.I),
    re.compile(rf"\b\d{{1,2}}[-/.]\d{{1,2}}[-/.]{_YEAR}\b"),
    re.compile(rf"\b{_YEAR}-\d\d-\d\d\b"),
]
_MONTH_YEAR = re.compile(rf"^(?:[A-Z][\w'’.-]+,?\s+)?{_MONTH}\s+{_YEAR}$", re.I)
# a label that dates the document itself (not a date mentioned in the text)
_DATE_LABEL = re.compile(
    r"^(datum|date|dated|sent|verzonden|verstuurd|voorgesteld|vastgesteld|gedateerd|ondertekend)\b\s*:?\s*", re.I
)
_PLACE_DATE = re.compile(r"^[A-Z][\w'’ -]{1,30},\s*(?=\d)")
VERGADERJAAR = re.compile(r"vergaderjaar\s+((?:19|20)\d\d)\s*[-–/]\s*((?:19|20)\d\d)", re.I)


def dates_in(text: str) -> list[tuple[int, int]]:
    """(position, year) of each full date in `text`, in order of appearance."""
    found = []
    for rx in _DATE_RES:
        found += [(m.start(), int(m.group(1))) for m in rx.finditer(text)]
    return sorted(found)


def years_in(text: str) -> list[int]:
    """The years of the full dates in `text`, in order of appearance."""
    return [y for _, y in dates_in(text)]


def worded_date_line(text: str) -> bool:
    """A line that is only a date with the month in words, as title pages write it (a date in
    digits alone on a line is more often a table cell)."""
    return is_date_line(text) and bool(re.search(rf"(?<![^\W\d_]){_MONTH}(?![^\W\d_])", text, re.I))


def is_date_line(text: str) -> bool:
    """A line that is only a date ("14 juli 2020", "Den Haag, 3 mei 2021", "juni 2019")."""
    text = text.strip(" .()")
    rest = _PLACE_DATE.sub("", text)
    for rx in _DATE_RES:
        m = rx.search(rest)
        if m and m.start() == 0 and m.end() >= len(rest) - 1:
            return True
    return bool(_MONTH_YEAR.match(text))


def line_year(text: str) -> int | None:
    years = years_in(text) or [int(m.group(1)) for m in _MONTH_YEAR.finditer(text.strip(" .()"))]
    return years[0] if years else None


def labelled_year(lines: list[str]) -> int | None:
    """The date on a "Datum"/"Sent"/"Voorgesteld" line (or the line under a bare label)."""
    for i, text in enumerate(lines):
        m = _DATE_LABEL.match(text)
        if not m:
            continue
        rest = text[m.end() :]
        # the date follows the label, at most after a weekday ("Sent: Tue 9/29/2020")
        dates = [y for pos, y in dates_in(rest) if pos <= 12]
        year = dates[0] if dates else None
        if year is None and not rest.strip() and i + 1 < len(lines) and is_date_line(lines[i + 1]):
            year = line_year(lines[i + 1])
        if year:
            return year
    return None


def session_year(text: str) -> int | None:
    """A parliamentary paper: its latest date within the session ("vergaderjaar 2020–2021"),
    else the printing year ("'s-Gravenhage 2021")."""
    m = VERGADERJAAR.search(text)
    if not m:
        return None
    first, last = int(m.group(1)), int(m.group(2))
    inside = [y for y in years_in(text) if first <= y <= last]
    if inside:
        return max(inside)
    printed = re.search(r"[’']s-Gravenhage\s+((?:19|20)\d\d)\b", text)
    return int(printed.group(1)) if printed else last


# --- titles and authors ----------------------------------------------------------


_JUNK_TITLES = {"untitled", "anonymous", "document", "titel", "title", "none", "unknown", "naamloos", "sjabloon"}
_FILE_EXT = re.compile(r"\.(docx?|xlsx?|pptx?|pdf|indd|odt|ods|rtf|txt|msg|eml|html?|tiff?|jpe?g|png)$", re.I)


def usable_title(title: str) -> str:
    """A PDF info-dictionary title worth showing, or "": tools write file names, template
    names and ids there ("Microsoft Word - nota_v3.docx", "171436", "kst-32545-143")."""
    title = re.sub(r"^Microsoft (Word|PowerPoint|Excel) - ", "", (title or "").strip())
    title = " ".join(title.split())
    words = re.findall(r"[^\W\d_]{2,}", title)
    if (
        len(title) < 4
        or title.casefold() in _JUNK_TITLES
        or _FILE_EXT.search(title)
        or not words  # an id ("171436")
        or len(title.split()) < 2  # a code or one word ("Notitie"): not a title a person cites
        or (" " not in title and re.search(r"[_\d]", title))
        or re.match(r"^(C:|/|\\\\)", title)
    ):
        return ""
    return title


def recase(caps: str, pages: list) -> str:
    """An ALL-CAPS title in the casing its words have elsewhere on the page: runs of words as
    the page writes them together ("DE VRIES" -> "De Vries", "RAAD VAN STATE" -> "Raad van
    State"), other words in their most frequent form; words not found are lower-cased."""
    text = " ".join(ln.text for p in pages[:2] for ln in p.lines if not shout(ln.text))
    forms = Counter(w for w in re.findall(r"\w+", text) if not w.isupper())
    words, out, i = caps.split()[:40], [], 0
    while i < len(words):
        for j in range(len(words), i + 1, -1):  # the longest run the page has, two words or more
            run = r"(?<!\w)" + r"\s+".join(map(re.escape, words[i:j])) + r"(?!\w)"
            m = next((m for m in re.finditer(run, text, re.I) if not shout(m.group(0))), None)
            if m:
                out += m.group(0).split()
                i = j
                break
        else:
            seen = [(n, f) for f, n in forms.items() if f.casefold() == words[i].casefold()]
            out.append(max(seen)[1] if seen else words[i].lower())
            i += 1
    return " ".join([out[0][:1].upper() + out[0][1:], *out[1:]]) if out else ""


def shout(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 4 and all(c.isupper() for c in letters)


_ORG_WORD = re.compile(
    r"\b(Ministerie|Ministry|Kamer|Raad|Council|Commissie|Commission|Inspectie|Autoriteit|Agentschap|Dienst|"
    r"Instituut|Institute|Bureau|Planbureau|Universiteit|University|Hogeschool|Academie|Academy|Stichting|"
    r"Foundation|Vereniging|Association|Platform|Gemeente|Provincie|Waterschap|Werkgroep|Centrum|Centre|Center)\b"
)


def organisation_author(author: str) -> str:
    """The info dictionary's author when it names an organisation (not a login like "jansenp")."""
    known = organisations(author)
    if known:
        return known[0]
    return author if len(author.split()) >= 2 and _ORG_WORD.search(author) else ""


def confirmed(title: str, pages: list) -> bool:
    """Most of the title's words appear on the first pages (a stale template title does not)."""
    words = {w.casefold() for w in re.findall(r"\w{3,}", title)}
    text = " ".join(ln.text for p in pages[:3] for ln in p.lines).casefold()
    return bool(words) and sum(w in text for w in words) >= 0.6 * len(words)


def plain_words(text: str) -> str:
    """Lower case without accents or punctuation, for comparing a file name with page text."""
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.casefold()).split())
