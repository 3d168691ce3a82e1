"""Test PDFs with the layouts of real Dutch government documents: a ministry letter with a
letterhead column, a Kamerstuk with its masthead and id/ISSN block, a report with a table
of contents, a Woo e-mail export, and an inventory table.

Every function writes one file and returns its path; module constants hold the body text
that must survive and the furniture that must not reach a passage. The furniture strings
are made up for these tests (no real document's strings). Drawn with reportlab like
`tests/pdf_factory.py`, whose fonts and wrapping they use.
"""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape
from reportlab.pdfgen import canvas

from tests.pdf_factory import BOLD, FONT, PARAGRAPHS, wrap

PAGE_W, PAGE_H = A4


def _canvas(path: Path, size=A4) -> canvas.Canvas:
    return canvas.Canvas(str(path), pagesize=size, invariant=1, initialFontName=FONT)


def _body(c: canvas.Canvas, x: float, y: float, width: float, paras: list[str], size: float = 10.0) -> float:
    """Paragraphs from the top at `y`; returns the y below the last line."""
    for para in paras:
        c.setFont(FONT, size)
        for line in wrap(para, width=width):
            c.drawString(x, y, line)
            y -= 1.5 * size
        y -= size
    return y


# --- a ministry letter: a narrow letterhead column right of the text, on every page --------

LETTER_COLUMN = [
    "Directoraat-Generaal Proefbeleid",
    "Afdeling Voorbeeldzaken",
    "Retouradres Postbus 12345 9999 ZZ Voorbeeldstad",
    "Voorbeeldplein 7",
    "T 012 345 67 89",
    "Ons kenmerk 998877-AB-12",
]


def letterhead_pdf(path: Path, pages: int = 3) -> Path:
    """A letter of `pages` pages: body text at x=72 and 330 pt wide, a 7 pt column at x=450
    with sender, address, phone and reference on every page, and "Pagina n van N" at its
    foot. The column is set on its own grid, half a body line off the text's baselines
    (the reader joins segments that share a baseline into one line)."""
    c = _canvas(path)
    for n in range(1, pages + 1):
        y = PAGE_H - 140
        c.setFont(FONT, 7)
        for k, line in enumerate(LETTER_COLUMN):
            c.drawString(450, y - 7.5 - 15 * k, line)
        c.drawString(450, y - 7.5 - 15 * (len(LETTER_COLUMN) + 1), f"Pagina {n} van {pages}")
        _body(c, 72, y, 330, PARAGRAPHS[n - 1 : n + 1])
        c.showPage()
    c.save()
    return path


# --- a Kamerstuk: masthead and id block in the left margin, footer under the text ----------

KAMERSTUK_FURNITURE = [
    "Tweede Kamer der Voorbeelden",
    "Vergaderjaar 2030–2031",
    "kst-99999-42",
    "ISSN 1234 - 5678",
    "’s-Voorbeeldhage 2031",
    "Tweede Kamer, vergaderjaar 2030–2031, 99 999, nr. 42",
]
KAMERSTUK_BODY = [
    "Voorgesteld 1 februari 2031",
    "constaterende dat regionale samenwerking tussen scholen en bedrijven in veel regio's nog "
    "afhankelijk is van tijdelijke subsidies en daardoor kwetsbaar blijft;",
    "verzoekt de regering, om met de regio's afspraken te maken over structurele financiering van "
    "publiek-private samenwerking in het beroepsonderwijs,",
    "en gaat over tot de orde van de dag.",
]
KAMERSTUK_SIGNERS = ["Anna de Vries", "Bakker"]


def kamerstuk_pdf(path: Path) -> Path:
    """One page: an 18 pt masthead and the session year in the left margin (x=55), the text
    column at x=221, the id/ISSN/place block at the foot of the margin and the running
    footer under the text column, far below the signatures."""
    c = _canvas(path)
    c.setFont(FONT, 18)
    c.drawString(55, 762, KAMERSTUK_FURNITURE[0])
    c.setFont(FONT, 9.5)
    c.drawString(55, 705, KAMERSTUK_FURNITURE[1])
    c.setFont(BOLD, 12)
    c.drawString(221, 653, "Beroepsonderwijs en arbeidsmarkt")
    c.setFont(FONT, 9)
    c.drawString(221, 560, "MOTIE VAN DE LEDEN DE VRIES EN BAKKER")
    y = _body(c, 221, 540, 300, KAMERSTUK_BODY, size=9)
    for k, name in enumerate(KAMERSTUK_SIGNERS):
        c.drawString(221, y - 10 - 11 * k, name)
    c.setFont(FONT, 6)
    for k, line in enumerate(KAMERSTUK_FURNITURE[2:5]):
        c.drawString(55, 82 - 6.5 * k, line)
    c.setFont(FONT, 9)
    c.drawString(221, 69, KAMERSTUK_FURNITURE[5])
    c.showPage()
    c.save()
    return path


# --- a report with a table of contents ---------------------------------------------------

TOC_ENTRIES = [("1", "Inleiding", 3), ("2", "Achtergrond van het onderzoek", 4), ("2.1", "Aanpak", 5)]
TOC_ENTRIES += [("3", "Resultaten", 6), ("4", "Conclusies en aanbevelingen", 8)]


def toc_line(num: str, title: str, page: int) -> str:
    return f"{num} {title} " + ". " * 30 + str(page)


def contents_pdf(path: Path) -> Path:
    """A contents page (entries with dot leaders and page numbers, one in ". . ." and one in
    "....." style), then body pages with numbered headings; a stray leader line also stands
    on a body page (a list of figures)."""
    c = _canvas(path)
    c.setFont(BOLD, 16)
    c.drawString(72, 760, "Inhoudsopgave")
    c.setFont(FONT, 11)
    for k, (num, title, page) in enumerate(TOC_ENTRIES):
        text = toc_line(num, title, page) if k % 2 else f"{num} {title}" + "." * 60 + f" {page}"
        c.drawString(72, 720 - 18 * k, text)
    c.showPage()
    for n, (num, title, _) in enumerate(TOC_ENTRIES[:3]):
        c.setFont(BOLD, 14)
        c.drawString(72, 760, f"{num} {title}")
        _body(c, 72, 730, 450, [PARAGRAPHS[n]], size=11)
        if n == 1:
            c.setFont(FONT, 11)
            c.drawString(72, 300, "Figuur 1 Aantal studenten " + ". " * 25 + "5")
        c.showPage()
    c.save()
    return path


# --- a Woo e-mail export -------------------------------------------------------------------

MAIL_ID = "654321"
MAIL_BODY = [
    "Dank voor je bericht over de planning van de regionale bijeenkomsten.",
    "De notitie over de stageplaatsen sturen we volgende week door naar de regiegroep.",
]
MAIL_HEADERS = [
    "Van: Voorbeeld, J. <j.voorbeeld@voorbeeld.nl>",
    "Verzonden: maandag 5 oktober 2020 10:12",
    "Aan: Team Voorbeeld <team@voorbeeld.nl>",
    "Onderwerp: RE: planning bijeenkomsten",
]
MAIL_SIGNATURE = ["Afdeling Voorbeeldbeleid", "Voorbeeldlaan 3 | 1234 AB Voorbeeldstad"]
REDACTED_LINE = "Het overleg met 5.1.2e is verplaatst naar donderdag."


def mail_pdf(path: Path) -> Path:
    """Two messages of an e-mail thread, each under its header block, the first ending with a
    closing, a redacted name and a signature block; the document id at the top right of
    every page; a second page that only says pages were removed."""
    c = _canvas(path)
    c.setFont(FONT, 9)
    c.drawString(520, 805, MAIL_ID)
    y = 780
    for msg in range(2):
        c.setFont(FONT, 8)
        for line in MAIL_HEADERS:
            c.drawString(48, y, line)
            y -= 10
        y -= 10
        c.setFont(FONT, 9)
        for line in (MAIL_BODY[msg], REDACTED_LINE) if msg == 0 else (MAIL_BODY[msg],):
            c.drawString(53, y, line)
            y -= 12
        if msg == 0:
            for line in ["Met vriendelijke groet,", "5.1.2e", *MAIL_SIGNATURE]:
                c.drawString(53, y, line)
                y -= 11
        y -= 20
    c.showPage()
    c.setFont(FONT, 12)
    c.drawString(30, 800, "Pagina's zijn verwijderd")
    c.setFont(FONT, 9)
    c.drawString(520, 805, MAIL_ID)
    c.drawString(30, 760, "2-3")
    c.drawString(30, 717, "Dubbel")
    c.showPage()
    c.save()
    return path


# --- an inventory table ----------------------------------------------------------------------

INVENTORY_HEADER = ["Nr.", "Datum", "Soort", "Onderwerp", "Beoordeling"]
INVENTORY_ROWS = [
    ["1", "2-3-2020", "Nota", "Voorbereiding overleg stageplaatsen", "Openbaar"],
    ["2", "9-3-2020", "E-mail", "Reactie op de planning van de regiegroep", "Deels openbaar"],
    ["3", "16-3-2020", "Memo", "Evaluatie van de pilots in het voortgezet onderwijs", "Openbaar"],
    ["4", "23-3-2020", "Nota", "Verslag van de bijeenkomst met werkgevers", "Niet openbaar"],
]
INVENTORY_INTRO = "Deze inventarislijst hoort bij het besluit op het verzoek om informatie."
INVENTORY_OUTRO = "De documenten worden na het besluit op de website geplaatst."
COLUMNS = [60, 100, 170, 230, 560]


def inventory_pdf(path: Path) -> Path:
    """A landscape page: a sentence, a header row, numbered rows with cells at five column
    positions (wide gaps between them), and a sentence under the table."""
    c = _canvas(path, size=landscape(A4))
    c.setFont(FONT, 10)
    c.drawString(60, 540, INVENTORY_INTRO)
    c.setFont(BOLD, 9)
    for x, cell in zip(COLUMNS, INVENTORY_HEADER):
        c.drawString(x, 510, cell)
    c.setFont(FONT, 9)
    for k, row in enumerate(INVENTORY_ROWS):
        for x, cell in zip(COLUMNS, row):
            c.drawString(x, 490 - 14 * k, cell)
    c.setFont(FONT, 10)
    c.drawString(60, 490 - 14 * len(INVENTORY_ROWS) - 20, INVENTORY_OUTRO)
    c.showPage()
    c.save()
    return path
