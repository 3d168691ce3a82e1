"""Factory for test PDFs with the layouts of real Dutch policy documents.

Every public function takes ``path`` (a ``pathlib.Path``; a BytesIO also works
for the reportlab-drawn ones), writes one file and returns ``path``. Text is
drawn with reportlab's canvas (DejaVu Sans if installed, else Helvetica) with
``invariant=1``: the same call gives byte-identical output, except for the
encrypted files (pypdf adds a random /ID and AES salt). Module constants hold
the text an extractor should recover, so tests can import them.

Unless a title is passed, reportlab writes ``/Title (untitled)`` and
``/Author (anonymous)``: like in many real PDFs, that metadata is junk.
Needs only reportlab, pypdf and Pillow, none of the ingestion code.
"""

from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path

from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")


def _register_fonts() -> tuple[str, str]:
    try:
        pdfmetrics.registerFont(TTFont("BB-Sans", str(_DEJAVU / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("BB-Sans-Bold", str(_DEJAVU / "DejaVuSans-Bold.ttf")))
        return "BB-Sans", "BB-Sans-Bold"
    except Exception:  # no DejaVu: standard fonts (WinAnsi still has ë é ï)
        return "Helvetica", "Helvetica-Bold"


FONT, BOLD = _register_fonts()
PAGE_W, PAGE_H = A4
MARGIN, BODY_SIZE = 72.0, 11.0
TEXT_W = PAGE_W - 2 * MARGIN
# line style -> (font, size, vertical advance); headings get their extra space above
STYLES = {
    "body": (FONT, BODY_SIZE, 15.0),
    "bold": (BOLD, BODY_SIZE, 15.0),
    "h1": (BOLD, 16.0, 28.0),
    "h2": (BOLD, 13.5, 24.0),
    "h3": (BOLD, 12.0, 20.0),
    "small": (FONT, 8.0, 10.0),
    "gap": (FONT, BODY_SIZE, 8.0),
}


def _paras(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.strip().split("\n\n")]


PARAGRAPHS = _paras("""
Het Techniekpact is in 2013 gesloten door het kabinet, werkgevers, werknemers, onderwijsinstellingen
en regio's met als doel het tekort aan technisch geschoolde vakmensen terug te dringen. De partners
spraken af om meer jongeren te laten kiezen voor techniek, om meer studenten in een technische
opleiding te laten afstuderen en om meer werkenden te behouden voor de technische sector. Deze
evaluatie beschrijft welke resultaten in de periode 2013-2020 zijn bereikt en welke ideeën de
partners hebben voor de jaren na 2020.

Het tekort aan technici is de afgelopen jaren verder opgelopen. Volgens het UWV stonden er eind
2019 ruim 45.000 technische vacatures open die moeilijk vervulbaar waren, vooral voor monteurs,
installateurs en ict-specialisten. Werkgevers in de metaal- en elektrotechnische industrie geven
aan dat zij opdrachten moeten weigeren omdat zij onvoldoende gekwalificeerd personeel kunnen
vinden. De energietransitie en de woningbouwopgave zullen de vraag naar technisch opgeleide
vakmensen de komende tien jaar naar verwachting nog verder doen stijgen.

Tegelijkertijd kampt het technisch onderwijs met een groeiend lerarentekort. Vooral in het vmbo en
het mbo is het lastig om vacatures voor docenten techniek, natuurkunde en wiskunde te vervullen.
Scholen lossen dit op met zij-instromers uit het bedrijfsleven, met hybride docenten die deels in
het onderwijs en deels bij een bedrijf werken, en soms met grotere klassen. De coördinatie van
deze oplossingen verschilt sterk per regio, waardoor de kwaliteit van het onderwijs niet overal
gelijk is.

De doorstroom van het mbo naar het hbo verdient extra aandacht. Studenten met een technische
mbo-opleiding op niveau 4 stromen minder vaak door dan studenten uit andere sectoren, en wie wel
doorstroomt, valt in het eerste jaar relatief vaak uit. Hogescholen en mbo-instellingen hebben
daarom doorlopende leerlijnen ontwikkeld, waarin keuzedelen in het mbo aansluiten op de propedeuse
van het hbo. De eerste resultaten zijn bemoedigend: het studiesucces van deelnemende studenten
ligt hoger dan gemiddeld.

De regionale aanpak vormt de kern van het Techniekpact. In elke regio werken scholen, bedrijven en
gemeenten samen in een regionaal techniekpact, vaak ondersteund met middelen uit het Regionaal
Investeringsfonds mbo. In totaal is sinds 2014 ruim 100 miljoen euro geïnvesteerd in
publiek-private samenwerking. De financiële bijdrage van het bedrijfsleven, in geld en in natura,
bedroeg in dezelfde periode ongeveer één derde van het totaal.

Het aandeel meisjes dat kiest voor een technisch profiel is licht gestegen, maar blijft achter bij
de ambities. In het havo en vwo kiest inmiddels bijna de helft van de leerlingen een profiel met
natuurkunde, terwijl in het mbo nog geen vijftien procent van de studenten techniek een vrouw is.
Campagnes en gastlessen van technische bedrijven dragen bij aan een positiever beeld, maar meisjes
en leerlingen met een migratieachtergrond worden nog onvoldoende bereikt. Een reëel en eigentijds
beeld van technische beroepen blijft daarom een belangrijke opgave.
""")
ENGLISH_PARAGRAPHS = _paras("""
The Technology Pact was concluded in 2013 by the government, employers, trade unions and education
institutions in order to reduce the shortage of technically skilled workers. This summary
describes the main results of the evaluation and the recommendations for the period after 2020.

The shortage of technicians has increased in recent years. Employers report that vacancies for
installers, mechanics and software engineers remain open for months, while the energy transition
will further raise demand. At the same time, vocational schools struggle to hire qualified
teachers for physics, mathematics and engineering subjects.
""")


def wrap(text: str, width: float = TEXT_W, style: str = "body") -> list[str]:
    """Break ``text`` into lines that fit ``width`` points in ``style``."""
    font, size, _ = STYLES[style]
    return simpleSplit(text, font, size, width)


def _style(line) -> str:
    return line[1] if isinstance(line, tuple) else ("body" if line else "gap")


def flow(blocks: list[tuple[str, str]], height: float = PAGE_H - 2 * MARGIN) -> list[list]:
    """Wrap ``(style, text)`` blocks into pages of lines for :func:`write_text_pdf`;
    a gap follows each body block; a heading is never last on a page."""
    lines: list = []
    for style, text in blocks:
        lines += [(ln, style) for ln in wrap(text, style=style)] + [""] * (style == "body")
    pages, cur, used = [], [], 0.0
    for line in lines:
        adv = STYLES[_style(line)][2]
        orphan = _style(line).startswith("h") and used + adv + 30 > height
        if cur and (used + adv > height or orphan):
            pages, cur, used = pages + [cur], [], 0.0
        if line or cur:
            cur.append(line)
            used += adv
    return pages + [cur] if cur else pages


def _canvas(path, *, compress: bool = True, **meta):
    target = path if hasattr(path, "write") else str(path)
    c = canvas.Canvas(
        target, pagesize=A4, invariant=1, pageCompression=int(compress), initialFontName=FONT
    )  # a TTF here avoids an empty "BT /F1 ... ET"
    for key, value in meta.items():  # title / author / subject
        if value is not None:
            getattr(c, "set" + key.capitalize())(value)
    return c


def write_text_pdf(
    path: Path,
    pages: list[list],
    *,
    header: str | None = None,
    footer_numbers: bool = False,
    first_page_number: int = 1,
    title: str | None = None,
    author: str | None = None,
    subject: str | None = None,
    compress: bool = True,
) -> Path:
    """One PDF page per entry of ``pages``; each entry is a list of lines.

    A line is a ``str`` (11 pt body text; ``""`` is a paragraph gap) or a
    ``(text, style)`` tuple, style a key of :data:`STYLES` (``h1``/``h2``/``h3``
    bold headings, ``bold``, ``small``). Lines are not wrapped (use :func:`wrap`
    or :func:`flow`) and are drawn top-down from the top margin at x=72. Optional: a
    9 pt ``header`` line with a rule at the top of every page and the printed
    page number (from ``first_page_number``) centred at the bottom. Content
    stream order: header, body lines, page number. An extractor gets the
    lines back in order, with headings recognisable by their bold/larger font."""
    c = _canvas(path, compress=compress, title=title, author=author, subject=subject)
    for number, lines in enumerate(pages, start=first_page_number):
        if header:
            c.setFont(FONT, 9)
            c.drawString(MARGIN, PAGE_H - 42, header)
            c.setLineWidth(0.5)
            c.line(MARGIN, PAGE_H - 48, PAGE_W - MARGIN, PAGE_H - 48)
        y = PAGE_H - MARGIN
        for line in lines:
            font, size, adv = STYLES[_style(line)]
            y -= adv
            if line:
                c.setFont(font, size)
                c.drawString(MARGIN, y + 0.25 * size, line[0] if isinstance(line, tuple) else line)
        if footer_numbers:
            c.setFont(FONT, 9)
            c.drawCentredString(PAGE_W / 2, 36, str(number))
        c.showPage()
    c.save()
    return path


def running_header_pages(pages: int = 4, lines_per_page: int = 13) -> list[list[str]]:
    """Body lines per page as :func:`running_header_pdf` draws them ("" = gap)."""
    stream: list[str] = []
    while len(stream) < pages * lines_per_page + 4:  # cycles PARAGRAPHS after ~4 pages
        stream += wrap(PARAGRAPHS[stream.count("") % len(PARAGRAPHS)]) + [""]
    out = []
    for n in range(pages):
        cut = lines_per_page
        if n == pages - 1:  # the last page ends with a whole paragraph
            cut = max((i for i in range(1, cut) if stream[i] == ""), default=cut)
        while n < pages - 1 and cut > 1 and ("" in stream[cut - 1 : cut + 1] or stream[cut - 1][-1] == "."):
            cut -= 1  # other pages end mid-sentence; the sentence continues overleaf
        out.append(stream[:cut])
        stream = stream[cut:]
    return out


def running_header_pdf(
    path: Path,
    pages: int = 4,
    header: str = "Evaluatie Techniekpact 2013-2020",
    footer_numbers: bool = True,
    first_page_number: int = 1,
    lines_per_page: int = 13,
) -> Path:
    """Pages with the same 9 pt ``header`` line (and a rule) at the top, the
    printed page number centred at the bottom and body paragraphs between.

    Every page but the last ends mid-sentence, so the first body line of page
    2 continues the sentence of page 1's last line. Raw pypdf gives each page
    as header, page number, body. An extractor should drop the repeated header
    and the numbers from the body and join the sentence across the page break.
    Expected body lines per page: ``running_header_pages(pages, lines_per_page)``."""
    return write_text_pdf(
        path,
        running_header_pages(pages, lines_per_page),
        header=header,
        footer_numbers=footer_numbers,
        first_page_number=first_page_number,
    )


HYPHENATION_LINES = [
    "Het kabinet investeert de komende jaren extra in het techniek-",
    "onderwijs op het vmbo, zodat meer leerlingen kiezen voor een tech-",
    "nisch profiel. Scholen werken daarbij samen met Techno-",
    "polis en met bedrijven uit Noord-",
    "Brabant. Ook de doorstroom mbo-",
    "hbo krijgt aandacht: samen met de mbo-",
    "instellingen ontwikkelen hogescholen doorlopende leerlijnen voor metaal-",
    "en elektrotechniek. Zo ontstaat een sterkere aansluiting op de arbeids-",
    "markt.",
]
EXPECTED_JOINS = ["techniekonderwijs", "technisch", "Technopolis", "arbeidsmarkt"]  # drop hyphen
EXPECTED_KEPT_HYPHENS = ["Noord-Brabant", "mbo-hbo", "mbo-instellingen"]  # keep hyphen, no space
EXPECTED_SUSPENDED = "metaal- en elektrotechniek"  # keep hyphen and space
HYPHENATION_TEXT = (  # the paragraph as a correct extractor joins it
    "Het kabinet investeert de komende jaren extra in het techniekonderwijs op het vmbo, zodat "
    "meer leerlingen kiezen voor een technisch profiel. Scholen werken daarbij samen met "
    "Technopolis en met bedrijven uit Noord-Brabant. Ook de doorstroom mbo-hbo krijgt "
    "aandacht: samen met de mbo-instellingen ontwikkelen hogescholen doorlopende leerlijnen "
    "voor metaal- en elektrotechniek. Zo ontstaat een sterkere aansluiting op de arbeidsmarkt."
)


def hyphenation_pdf(path: Path) -> Path:
    """One page: heading "Samenwerking in de regio", then :data:`HYPHENATION_LINES`.

    Word breaks to join without hyphen: "techniek-"/"onderwijs", "tech-"/"nisch",
    "Techno-"/"polis", "arbeids-"/"markt" -> :data:`EXPECTED_JOINS`. Real
    hyphens to keep (joined without space): "Noord-"/"Brabant" (capital
    after), "mbo-"/"hbo" and "mbo-"/"instellingen" (abbreviation before) ->
    :data:`EXPECTED_KEPT_HYPHENS`. "metaal-"/"en" is a suspended compound
    that keeps hyphen and space. Correctly joined paragraph: :data:`HYPHENATION_TEXT`."""
    return write_text_pdf(path, [[("Samenwerking in de regio", "h2")] + HYPHENATION_LINES])


# "^n" marks a footnote reference, drawn as a raised 7 pt digit
FOOTNOTE_PAGES = [
    (
        "Het aantal studenten in het technisch mbo is tussen 2013 en 2019 met ruim acht procent "
        "gestegen^1, terwijl de totale mbo-populatie in dezelfde periode licht daalde. Ook in het "
        "hbo nam de instroom in technische opleidingen toe, vooral bij ict en werktuigbouwkunde^2. "
        "Daarmee is een belangrijke doelstelling van het Techniekpact gehaald.",
        {1: "Bron: CBS Statline, 2019.", 2: "Zie de Monitor Techniekpact 2020, tabel 3.4."},
    ),
    (
        "Het aantal onbevoegde docenten in de technische vakken is niet gedaald^3. Scholen melden "
        "dat vooral vacatures voor natuurkunde en wiskunde lang openstaan.",
        {3: "Ministerie van OCW, Trendrapportage arbeidsmarkt leraren, 2020."},
    ),
]
FOOTNOTES = {n: note for _, notes in FOOTNOTE_PAGES for n, note in notes.items()}
FOOTNOTE_BODY = [re.sub(r"\^\d+", "", body) for body, _ in FOOTNOTE_PAGES]  # one per page
FOOTNOTE_MARKERS = {
    int(m[2]): m[1]
    for body, _ in FOOTNOTE_PAGES  # number -> word before it
    for m in re.finditer(r"(\w+)\^(\d+)", body)
}


def footnote_pdf(path: Path) -> Path:
    """Two pages of body text with footnote references drawn as raised 7 pt
    digits glued to a word (:data:`FOOTNOTE_MARKERS`: 1 after "gestegen", 2
    after "werktuigbouwkunde", 3 after "gedaald"); at each page bottom a short
    rule and the notes in 8 pt ("1 Bron: CBS Statline, 2019.").

    Raw pypdf gives "gestegen1," in the body. An extractor should yield the
    body without the digits (:data:`FOOTNOTE_BODY`, one string per page) and
    the notes (:data:`FOOTNOTES`) apart from it, not glued into the body."""
    c = _canvas(path)
    for body, notes in FOOTNOTE_PAGES:
        for i, line in enumerate(wrap(body)):
            t = c.beginText(MARGIN, PAGE_H - MARGIN - BODY_SIZE - 15 * i)
            for part in re.split(r"(\^\d+)", line):
                raised = part.startswith("^")
                t.setFont(FONT, 7 if raised else BODY_SIZE)
                t.setRise(4 if raised else 0)
                t.textOut(part.lstrip("^"))
            c.drawText(t)
        y = 60 + 11 * len(notes)
        c.setLineWidth(0.5)
        c.line(MARGIN, y + 8, MARGIN + 140, y + 8)
        c.setFont(FONT, 8)
        for n, note in notes.items():
            y -= 11
            c.drawString(MARGIN, y, f"{n} {note}")
        c.showPage()
    c.save()
    return path


TWO_COLUMN_HEADING = "Regionale samenwerking in het beroepsonderwijs"
LEFT_COLUMN, RIGHT_COLUMN = PARAGRAPHS[4], PARAGRAPHS[2]  # page 1
LEFT_COLUMN_2, RIGHT_COLUMN_2 = PARAGRAPHS[3], PARAGRAPHS[5]  # page 2
COLUMN_W = (TEXT_W - 24) / 2  # 24 pt gutter


def two_column_pdf(path: Path) -> Path:
    """Page 1: a bold 15 pt heading across the full width, then two columns
    (LEFT_COLUMN at x=72, RIGHT_COLUMN at x~307) starting at the same height,
    the right column's lines drawn FIRST in the content stream. Page 2: no
    heading, LEFT_COLUMN_2 and RIGHT_COLUMN_2, drawn left first.

    Reading order: heading, LEFT_COLUMN, RIGHT_COLUMN, LEFT_COLUMN_2,
    RIGHT_COLUMN_2. Raw pypdf extract_text() gives page 1 as heading, right
    column, left column (and layout mode interleaves the columns line by
    line), so an extractor must order text by x/y position."""
    c = _canvas(path)
    for heading, cols in (
        (TWO_COLUMN_HEADING, [(1, RIGHT_COLUMN), (0, LEFT_COLUMN)]),
        (None, [(0, LEFT_COLUMN_2), (1, RIGHT_COLUMN_2)]),
    ):
        top = PAGE_H - MARGIN
        if heading:
            c.setFont(BOLD, 15)
            c.drawString(MARGIN, top - 15, heading)
            top -= 40
        c.setFont(FONT, BODY_SIZE)
        for col, text in cols:
            for i, line in enumerate(wrap(text, COLUMN_W)):
                c.drawString(MARGIN + col * (COLUMN_W + 24), top - BODY_SIZE - 15 * i, line)
        c.showPage()
    c.save()
    return path


BULLETS_INTRO = "Op basis van de evaluatie doen wij de volgende aanbevelingen."
BULLET_ITEMS = _paras("""
Zet het Techniekpact na 2020 voort met een gezamenlijke agenda van kabinet, werkgevers en
onderwijs, en leg de afspraken over de financiering voor ten minste vier jaar vast.

Versterk de regionale samenwerking tussen vmbo, mbo en hbo, zodat leerlingen zonder onnodige
overstappen een doorlopende technische leerroute kunnen volgen.
""")
DASH_ITEMS = _paras("""
Gemeenten en provincies nemen techniek op in hun regionale economische agenda en verbinden daar
concrete afspraken over stageplaatsen en leerbanen aan.

Werkgevers bieden werkenden in technische beroepen jaarlijks ruimte voor bij- en omscholing, in
het bijzonder op het gebied van digitalisering en de energietransitie.
""")
NUMBERED_ITEMS = _paras("""
Het ministerie van OCW ontwikkelt samen met de sectorraden een landelijk dashboard waarin instroom,
doorstroom en uitstroom in het technisch onderwijs per regio zichtbaar worden.

Mbo-instellingen en hogescholen breiden de doorlopende leerlijnen uit naar alle technische
opleidingen op niveau 4, met speciale aandacht voor studenten die in het eerste jaar dreigen uit
te vallen.

Het kabinet onderzoekt in 2021 of de subsidieregeling voor zij-instromers kan worden verruimd voor
docenten techniek, natuurkunde en wiskunde, en informeert de Tweede Kamer over de uitkomst.
""")
KNELPUNTEN_ITEMS = _paras("""
Het aantal leerlingen in het vmbo daalt door demografische krimp, waardoor technische opleidingen
in sommige regio's moeilijk in stand te houden zijn.

Het lerarentekort in de technische vakken is het grootst in de Randstad en in Noord-Nederland,
juist waar de vraag naar technici snel toeneemt.

Veel praktijklokalen zijn verouderd; de kosten van moderne apparatuur zijn voor individuele scholen
vaak niet op te brengen.
""")
ITEM_X, ITEM_TEXT_X = MARGIN + 6, MARGIN + 26  # marker x; item text x (hanging indent)


def bullets_pdf(path: Path) -> Path:
    """One page: bold 14 pt heading "Aanbevelingen", an intro line, BULLET_ITEMS
    with "•", DASH_ITEMS with "-", NUMBERED_ITEMS with "1.", "2.", "3."; then
    heading "Knelpunten" and KNELPUNTEN_ITEMS with "•". The marker is its own
    string at x=78, the item text starts at x=98 and wraps over 2-3 lines
    that hang at x=98 without a marker (pypdf puts the marker on its own line;
    in the Helvetica fallback it extracts "•" as "\x7f").

    An extractor should give each item as one string equal to its constant
    (lines joined with a space), in order, with its list type."""
    c = _canvas(path)
    y = PAGE_H - MARGIN
    numbers = [f"{i}." for i in range(1, len(NUMBERED_ITEMS) + 1)]
    for kind, content, markers in (
        ("h", "Aanbevelingen", None),
        ("p", BULLETS_INTRO, None),
        ("l", BULLET_ITEMS, "••"),
        ("l", DASH_ITEMS, "--"),
        ("l", NUMBERED_ITEMS, numbers),
        ("h", "Knelpunten", None),
        ("l", KNELPUNTEN_ITEMS, "•••"),
    ):
        if kind != "l":
            c.setFont(BOLD if kind == "h" else FONT, 14 if kind == "h" else BODY_SIZE)
            c.drawString(MARGIN, y - 14, content)
            y -= 30
            continue
        c.setFont(FONT, BODY_SIZE)
        for text, marker in zip(content, markers):
            c.drawString(ITEM_X, y - BODY_SIZE, marker)
            for line in wrap(text, PAGE_W - MARGIN - ITEM_TEXT_X):
                c.drawString(ITEM_TEXT_X, y - BODY_SIZE, line)
                y -= 15
            y -= 5
        y -= 10
    c.showPage()
    c.save()
    return path


_S2, _S21, _S3 = ("2 Instroom in het technisch onderwijs", "2.1 Kiezen voor techniek", "3 Tekort aan technici")
HEADING_TRAP = (
    "40 procent van de technische bedrijven gaf in 2019 aan dat vacatures langer dan "
    "drie maanden openstaan. Dat laat zien hoe sterk de instroom in het technisch "
    "onderwijs de arbeidsmarkt bepaalt."
)
HEADING_SECTIONS = [  # (section path, body paragraph under its last heading), in order
    (("1 Inleiding",), PARAGRAPHS[0]),
    ((_S2,), HEADING_TRAP),
    ((_S2, _S21), PARAGRAPHS[5]),
    ((_S2, _S21, "2.1.1 Knelpunten"), PARAGRAPHS[2]),
    ((_S2, "2.2 Doorstroom mbo-hbo"), PARAGRAPHS[3]),
    ((_S3,), PARAGRAPHS[1]),
    ((_S3, "3.1 Regionale aanpak"), PARAGRAPHS[4]),
]
EXPECTED_SECTION_PATHS = [list(p) for p, _ in HEADING_SECTIONS]


def headings_pdf(path: Path) -> Path:
    """Two pages of numbered headings in bold (level 1: 16 pt, level 2:
    13.5 pt, level 3: 12 pt) with 11 pt body paragraphs: "1 Inleiding", "2
    Instroom ...", "2.1 Kiezen voor techniek", "2.1.1 Knelpunten", "2.2
    Doorstroom mbo-hbo", "3 Tekort aan technici", "3.1 Regionale aanpak"; the
    2.1.1 paragraph runs over the page break.

    Trap: the paragraph under heading 2 starts "40 procent van de ..." in the
    body font, a number-led line that is NOT a heading. Expected: each body
    paragraph gets the section path in :data:`HEADING_SECTIONS`
    (:data:`EXPECTED_SECTION_PATHS`)."""
    blocks = [block for sec, body in HEADING_SECTIONS for block in ((f"h{len(sec)}", sec[-1]), ("body", body))]
    return write_text_pdf(path, flow(blocks, height=460))


def scanned_pdf(path: Path, pages: int = 2, turned: int = 0) -> Path:
    """``pages`` pages that are each one full-page greyscale raster image (~100
    dpi) of rendered Dutch text: no text operators and an empty /Font dict
    (in the Helvetica fallback reportlab adds an empty "BT /F1 12 Tf ET" and
    an unused font). pypdf extracts "" on every page; an extractor should
    report the file as scanned / needing OCR. ``turned`` (90, 180, 270): the
    text was scanned that many degrees clockwise off upright (a landscape page
    fed in sideways, for 90 and 270)."""
    from PIL import Image, ImageDraw, ImageFont

    try:
        font = ImageFont.truetype(str(_DEJAVU / "DejaVuSans.ttf"), 15)
    except OSError:
        font = ImageFont.load_default()
    c = _canvas(path)
    for n in range(pages):
        img = Image.new("L", (1169, 827) if turned in (90, 270) else (827, 1169), 255)
        lines = [ln for p in PARAGRAPHS[n % 3 : n % 3 + 3] for ln in wrap(p) + [""]]
        for i, line in enumerate(lines):
            ImageDraw.Draw(img).text((100, 100 + 22 * i), line, fill=0, font=font)
        img = img.rotate(-turned, expand=True) if turned else img
        c.drawImage(ImageReader(img), 0, 0, PAGE_W, PAGE_H)
        c.showPage()
    c.save()
    return path


def picture_scan_pdf(path: Path, pages: int = 1) -> Path:
    """``pages`` pages that are each one full-page greyscale raster image of a
    picture without any text (shaded boxes, circles, lines: a photo or a
    drawing scanned): no text layer, and OCR finds nothing to read either."""
    from PIL import Image, ImageDraw

    rng = random.Random(7)
    c = _canvas(path)
    for _ in range(pages):
        img = Image.new("L", (827, 1169), 255)
        draw = ImageDraw.Draw(img)
        for _ in range(12):
            x, y = rng.randrange(60, 700), rng.randrange(60, 1050)
            w, h = rng.randrange(40, 200), rng.randrange(40, 200)
            shade = rng.randrange(40, 220)
            if rng.random() < 0.5:
                draw.ellipse((x, y, x + w, y + h), fill=shade)
            else:
                draw.rectangle((x, y, x + w, y + h), fill=shade)
        draw.line((60, 1100, 760, 1120), fill=0, width=3)
        c.drawImage(ImageReader(img), 0, 0, PAGE_W, PAGE_H)
        c.showPage()
    c.save()
    return path


ENCRYPTED_TEXT = PARAGRAPHS[1]


def encrypted_pdf(
    path: Path, user_password: str = "geheim", owner_password: str = "eigenaar", algorithm: str = "AES-128"
) -> Path:
    """A one-page text PDF (heading "Vertrouwelijk", then ENCRYPTED_TEXT),
    encrypted by pypdf's writer with ``algorithm`` (RC4-128 when pypdf lacks
    the ``cryptography`` package) and an owner password. With ``user_password=""``
    it opens without a password: pypdf decrypts it silently and text
    extracts, yet is_encrypted is True. With "geheim", PdfReader() succeeds
    but page access raises FileNotDecryptedError until decrypt("geheim")."""
    buf = io.BytesIO()
    write_text_pdf(buf, [[("Vertrouwelijk", "h2")] + wrap(ENCRYPTED_TEXT)])
    writer = PdfWriter(clone_from=PdfReader(buf))
    try:
        writer.encrypt(user_password, owner_password, algorithm=algorithm)
    except Exception:  # pypdf.errors.DependencyError: no AES without cryptography
        writer.encrypt(user_password, owner_password, algorithm="RC4-128")
    with open(path, "wb") as fh:
        writer.write(fh)
    return path


def corrupt_pdf(path: Path) -> Path:
    """A "%PDF-1.7" header and a final "%%EOF" around 4 KiB of seeded random
    bytes: no objects, xref or trailer. pypdf 7.1: PdfReader() raises
    PdfReadError "startxref not found"."""
    garbage = random.Random(2013).randbytes(4096)
    Path(path).write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + garbage + b"\n%%EOF\n")
    return path


def truncated_pdf(path: Path, fraction: float = 0.6) -> Path:
    """The 4-page running_header_pdf cut after ``fraction`` of its bytes: no
    xref, trailer or %%EOF. pypdf 7.1 does not try to rebuild it: PdfReader()
    raises PdfStreamError "Stream has ended unexpectedly" (after logging
    "EOF marker not found"), or PdfReadError "EOF marker not found" with
    strict=True, at any fraction from 0.3 to 0.99."""
    buf = io.BytesIO()
    data = running_header_pdf(buf).getvalue()
    Path(path).write_bytes(data[: int(len(data) * fraction)])
    return path


def empty_file(path: Path) -> Path:
    """A zero-byte file. pypdf raises EmptyFileError (a PdfReadError)."""
    Path(path).write_bytes(b"")
    return path


def not_a_pdf(path: Path, kind: str = "zip") -> Path:
    """A file named .pdf that is no PDF: ``kind="zip"`` a small deterministic
    ZIP (a fake .docx), ``kind="html"`` the HTML 404 page a portal serves.
    pypdf 7.1 logs "invalid pdf header" and PdfReader() raises PdfStreamError."""
    if kind == "html":
        Path(path).write_text(
            '<!DOCTYPE html>\n<html lang="nl"><head><title>Pagina niet gevonden'
            "</title></head><body><h1>404</h1></body></html>\n",
            encoding="utf-8",
        )
        return path
    with zipfile.ZipFile(path, "w") as zf:
        info = zipfile.ZipInfo("word/document.xml", date_time=(2020, 1, 1, 0, 0, 0))
        zf.writestr(info, "<w:document><w:body><w:p>Techniekpact</w:p></w:body></w:document>")
    return path


def english_pdf(path: Path) -> Path:
    """One page: the Dutch-titled heading "Samenvatting (English summary)"
    and ENGLISH_PARAGRAPHS. A language detector should say English."""
    return write_text_pdf(
        path, flow([("h2", "Samenvatting (English summary)")] + [("body", p) for p in ENGLISH_PARAGRAPHS])
    )


def large_pdf(path: Path, pages: int = 1200) -> Path:
    """``pages`` pages with running header and page numbers, each a bold line
    "Deel N" then all PARAGRAPHS (~45 lines, wrapped once and reused).
    1200 pages take about 2.5-5 s to write (~3.2 MiB, Flate-compressed
    streams); note that pypdf then needs ~14 s to extract_text() all pages."""
    body = [ln for p in PARAGRAPHS for ln in wrap(p) + [""]]
    return write_text_pdf(
        path,
        [[(f"Deel {n}", "bold")] + body for n in range(1, pages + 1)],
        header="Monitor Techniekpact - bijlagen",
        footer_numbers=True,
    )


def malformed_loop_pdf(path: Path, kind: str = "kids") -> Path:
    """A hand-built one-page PDF, xref offsets correct, whose defect is a cycle.

    kind="kids": the root /Pages node lists itself in /Kids [3 0 R 2 0 R].
      pypdf 7.1 opens it; len(reader.pages) raises PdfReadError "Detected
      cyclic page references".
    kind="parent": the page is its own /Parent and lacks /Resources and
      /MediaBox. pypdf counts 1 page; extract_text() raises LimitReachedError
      "Detected cycle in /Parent hierarchy" (a PyPdfError, NOT a PdfReadError).
    kind="prev": the trailer's /Prev points at its own xref table. pypdf logs
      "Circular xref chain detected" and reads the page ("Hallo wereld")."""
    content = b"BT /F1 12 Tf 72 720 Td (Hallo wereld) Tj ET"
    inherited = b" /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids %s >>" % (b"[3 0 R 2 0 R] /Count 2" if kind == "kids" else b"[3 0 R] /Count 1"),
        b"<< /Type /Page /Parent 3 0 R /Contents 4 0 R >>"
        if kind == "parent"
        else b"<< /Type /Page /Parent 2 0 R /Contents 4 0 R%s >>" % inherited,
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    from beleidsbank.ingest.limits import _assemble_pdf  # the writer of the ingest's warm-up PDF

    data = _assemble_pdf(objs)
    if kind == "prev":  # the trailer's /Prev points at the file's own (only) xref table
        xref = data.rindex(b"\nxref\n") + 1
        data = data.replace(b" /Root 1 0 R >>", b" /Root 1 0 R /Prev %d >>" % xref)
    Path(path).write_bytes(data)
    return path


METADATA_TITLE = "Eindrapport evaluatie Techniekpact"
METADATA_HEADING = "Samenvatting en conclusies"


def metadata_pdf(path: Path, title: str = METADATA_TITLE) -> Path:
    """Info dict /Title ``title``, /Author "Ministerie van OCW", /Subject
    "Techniekpact"; page 1 opens with the bold 16 pt heading METADATA_HEADING,
    which differs from the title, then two body paragraphs. An extractor that
    prefers metadata reports ``title``; the first heading is METADATA_HEADING."""
    blocks = [("h1", METADATA_HEADING), ("body", PARAGRAPHS[0]), ("body", PARAGRAPHS[3])]
    return write_text_pdf(path, flow(blocks), title=title, author="Ministerie van OCW", subject="Techniekpact")


INJECTION_STRINGS = [
    "<script>alert(1)</script>",
    "**bold**",
    "[link](javascript:alert(1))",
    '=HYPERLINK("https://example.org/x";"Klik hier")',
]


def html_injection_pdf(path: Path) -> Path:
    """Consultation responses whose text contains HTML, Markdown and a
    spreadsheet formula: every INJECTION_STRINGS entry appears verbatim in
    the extracted text, and the =HYPERLINK( one starts its own line. A UI or
    CSV export must escape them, never render or evaluate them."""
    lines = [
        ("Bijlage: reacties uit de internetconsultatie", "h2"),
        *wrap(
            "De onderstaande reacties zijn letterlijk overgenomen uit de "
            "internetconsultatie over het wetsvoorstel techniekonderwijs."
        ),
        "",
        f"Reactie 12: {INJECTION_STRINGS[0]} graag meer aandacht voor techniek.",
        f"Reactie 13: dit is {INJECTION_STRINGS[1]} een belangrijk punt voor het mbo.",
        f"Reactie 14: zie {INJECTION_STRINGS[2]} voor onze visie.",
        "Reactie 15:",
        INJECTION_STRINGS[3],
    ]
    return write_text_pdf(path, [lines])
