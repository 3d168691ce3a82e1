"""Test PDFs for metadata extraction: first pages laid out as real document types are
(a ministry's Kamerbrief with its letterhead, written parliamentary questions and a motion
with the parliamentary masthead, a report title page, a released Woo e-mail, an English
report, a UN resolution, an inventory list). Each maker draws text at given positions and
sizes, writes one file and returns its path; the module constants say what a reader should
find. The names, subjects and dates are made up.
"""

from __future__ import annotations

from pathlib import Path

from tests.pdf_factory import BOLD, FONT, PAGE_H, _canvas

# one drawn line: (x, distance from the top edge, font size, text[, bold])
Item = tuple


def draw(path: Path, pages: list[list[Item]], **info) -> Path:
    """One PDF page per entry of `pages`; `info`: title / author / subject for the info dict."""
    c = _canvas(path, **info)
    for items in pages:
        for x, top, size, text, *bold in items:
            c.setFont(BOLD if bold and bold[0] else FONT, size)
            c.drawString(x, PAGE_H - top, text)
        c.showPage()
    c.save()
    return path


def _body(top: float, lines: list[str], x: float = 72, size: float = 10, step: float = 14) -> list[Item]:
    return [(x, top + i * step, size, text) for i, text in enumerate(lines)]


BODY = [
    "In deze brief informeer ik uw Kamer over de voortgang van de plannen die in 2019 zijn",
    "aangekondigd. Sinds 1 januari 2020 werken gemeenten en provincies samen aan de uitvoering,",
    "en de eerste resultaten zijn bemoedigend. Ik ga hieronder in op de belangrijkste stappen.",
    "De Algemene Rekenkamer heeft in haar rapport van 12 mei 2020 aanbevelingen gedaan.",
]

KAMERBRIEF = {
    "title": "Voortgang programma digitale dienstverlening",
    "year": 2021,
    "publisher": "Ministerie van Binnenlandse Zaken en Koninkrijksrelaties",
    "kind": "kamerbrief",
}


def kamerbrief_pdf(path: Path) -> Path:
    """A ministry's letter to parliament: the letterhead over two lines at the top right, a
    return address, the addressee, "Datum" and "Betreft" with their values on the same line
    (label and value drawn apart), a body that mentions other dates and organisations. The
    info title is a Word file name (junk)."""
    page = [
        (330, 60, 11, "Ministerie van Binnenlandse Zaken en"),
        (330, 74, 11, "Koninkrijksrelaties"),
        (72, 150, 7, "> Retouradres Postbus 20011 2500 EA Den Haag"),
        (72, 170, 10, "Aan de Voorzitter van de Tweede Kamer"),
        (72, 184, 10, "der Staten-Generaal"),
        (72, 198, 10, "Postbus 20018"),
        (72, 212, 10, "2500 EA Den Haag"),
        (420, 170, 7, "Directie Digitale Overheid"),
        (420, 182, 7, "Kenmerk 2021-0000123456"),
        (72, 270, 10, "Datum"),
        (150, 270, 10, "15 maart 2021"),
        (72, 284, 10, "Betreft"),
        (150, 284, 10, KAMERBRIEF["title"]),
        (72, 330, 10, "Geachte voorzitter,"),
        *_body(360, BODY),
    ]
    return draw(path, [page], title="Microsoft Word - Kamerbrief voortgang v3.docx", author="jansenp")


KAMERVRAGEN = {
    "title": (
        "Vragen van het lid Bakker (CDA) aan de Minister van Infrastructuur en Waterstaat over "
        "geluidsoverlast langs snelwegen"
    ),
    "year": 2022,
    "publisher": "Tweede Kamer",
    "kind": "kamervragen",
}


def _masthead(session: str, extra: str = "") -> list[Item]:
    return [
        (55, 79, 18, "Tweede Kamer der Staten-Generaal", True),
        (520, 79, 18, "2", True),
        (55, 136, 9.6, f"Vergaderjaar {session} {extra}".strip()),
        (55, 760, 6, "ISSN 0921 - 7371"),
        (55, 773, 6, f"’s-Gravenhage {session[-4:]}"),
    ]


def kamervragen_pdf(path: Path) -> Path:
    """Written questions with answers (Aanhangsel van de Handelingen): the masthead, the series
    heading, the number, then "Vragen van het lid ... (ingezonden ...)" over two lines and the
    answer's "(ontvangen ...)" date, in the next calendar year of the session."""
    page = [
        *_masthead("2021–2022", "Aanhangsel van de Handelingen"),
        (221, 193, 9.1, "Vragen gesteld door de leden der Kamer, met de daarop door de"),
        (221, 203, 9.1, "regering gegeven antwoorden"),
        (221, 304, 12.8, "1234"),
        (221, 333, 8.5, "Vragen van het lid Bakker (CDA) aan de Minister van Infrastructuur en Waterstaat"),
        (221, 342, 8.5, "over geluidsoverlast langs snelwegen (ingezonden 14 december 2021)."),
        (221, 357, 8.5, "Antwoord van Minister De Groot (Infrastructuur en Waterstaat) (ontvangen"),
        (221, 366, 8.5, "20 januari 2022)."),
        (221, 386, 8.5, "Vraag 1"),
        (221, 396, 8.5, "Bent u bekend met het bericht over de toegenomen geluidsoverlast?"),
        (221, 416, 8.5, "Antwoord 1"),
        (221, 426, 8.5, "Ja."),
    ]
    return draw(path, [page], title="", author="Tweede Kamer der Staten-Generaal")


MOTIE = {"title": "Motie van het lid De Vries", "year": 2022, "publisher": "Tweede Kamer", "kind": "motie"}


def motie_pdf(path: Path) -> Path:
    """A motion: the masthead, the dossier number and name, "Nr. 57" in the left column with
    the item title in capitals beside it, "Voorgesteld ...", the motion and its signature
    (where the member's name is written in normal case)."""
    page = [
        *_masthead("2022–2023"),
        (55, 189, 12.3, "36 200"),
        (221, 189, 12.3, "Vaststelling van de begrotingsstaten van het Ministerie"),
        (221, 202, 12.3, "van Onderwijs, Cultuur en Wetenschap voor het jaar 2023"),
        (55, 282, 9.1, "Nr. 57"),
        (221, 282, 9.1, "MOTIE VAN HET LID DE VRIES"),
        (221, 293, 9.1, "Voorgesteld 9 november 2022"),
        (221, 314, 9.1, "De Kamer,"),
        (221, 335, 9.1, "gehoord de beraadslaging,"),
        (221, 356, 9.1, "constaterende dat veel scholen kampen met een tekort aan leraren;"),
        (221, 377, 9.1, "verzoekt de regering, een plan op te stellen voor het aantrekken van zij-instromers,"),
        (221, 398, 9.1, "en gaat over tot de orde van de dag."),
        (221, 419, 9.1, "De Vries"),
    ]
    return draw(path, [page])


ADVIES = {
    "title": "Advies Algemene Rekenkamer over de uitvoering van de begroting",
    "year": 2023,
    "publisher": "Algemene Rekenkamer",
    "kind": "advies",
}


def advies_pdf(path: Path) -> Path:
    """An advice printed as a parliamentary paper: "Nr. 4" and the capitals title on one line,
    continued in capitals on the next; the body names the adviser in normal case."""
    page = [
        *_masthead("2022–2023"),
        (55, 189, 12.3, "36 250"),
        (221, 189, 12.3, "Wijziging van de Comptabiliteitswet"),
        (55, 295, 9.1, "Nr. 4 ADVIES ALGEMENE REKENKAMER OVER DE UITVOERING"),
        (221, 306, 9.1, "VAN DE BEGROTING"),
        (221, 327, 9.1, "Hieronder is het advies van de Algemene Rekenkamer opgenomen, gedateerd"),
        (221, 338, 9.1, "3 februari 2023, over de uitvoering van de begroting."),
    ]
    return draw(path, [page])


REPORT = {
    "title": "Verkenning van de toekomst van het openbaar vervoer in Nederland",
    "year": 2023,
    "publisher": "Universiteit Utrecht",
    "kind": "rapport",
}


def report_pdf(path: Path) -> Path:
    """A report: a title page with the title in large type over two lines, a date line in
    large type, and the panel's members with their affiliations; a text page follows, with
    a heading smaller than the title."""
    title_page = [
        (90, 180, 22, "Verkenning van de toekomst van het", True),
        (90, 206, 22, "openbaar vervoer in Nederland", True),
        (220, 280, 16, "maart 2023"),
        (150, 640, 11, "Prof.dr. A. Bakker, Universiteit Utrecht (voorzitter)"),
        (150, 655, 11, "Dr. B. Smit, Universiteit Utrecht"),
        (150, 670, 11, "Dr. C. Visser, Rijksuniversiteit Groningen"),
    ]
    text_page = [(72, 90, 16, "Samenvatting", True), *_body(120, BODY, size=11)]
    return draw(path, [title_page, text_page], title="untitled")


THESIS = {"title": "Open data bij gemeenten", "year": 2021, "publisher": "Universiteit Leiden", "kind": "scriptie"}


def thesis_pdf(path: Path) -> Path:
    """A thesis: a cover with only the author's name in large type, a colophon page, then the
    title page (title as large as the name, subtitle, degree, university, date)."""
    cover = [(200, 600, 24, "Anna Jansen")]
    colophon = [(40, 700, 10, "Opmaak: door de auteur.")]
    title_page = [
        (130, 110, 24, THESIS["title"]),
        (100, 140, 14, "Een onderzoek naar de publicatie van open data door gemeenten"),
        (250, 260, 11, "Masterscriptie Bestuurskunde"),
        (240, 400, 11, "Universiteit Leiden"),
        (250, 620, 11, "12 augustus 2021"),
    ]
    return draw(path, [cover, colophon, title_page])


MAIL = {
    "title": "RE: planning evaluatie crisisstructuur",
    "year": 2021,
    "publisher": "Ministerie van Justitie en Veiligheid",
    "kind": "e-mail",
}
MAIL_FILE = "JENV-WOO-123456-RE_planning_evaluatie.pdf"


def woo_mail_pdf(path: Path) -> Path:
    """A released e-mail thread (export with its document id at the top right): English
    header fields with "Subject:" and a US-style "Sent:" date, then an earlier message with
    Dutch fields. Save it under MAIL_FILE: the ministry is in the file name only."""
    page = [
        (520, 40, 9.4, "123456"),
        (48, 55, 7.7, "To: @example.nl]"),
        (48, 64, 7.7, "From: ]"),
        (48, 73, 7.7, "Sent: Thu 3/11/2021 4:12:09 PM"),
        (48, 82, 7.7, "Subject: " + MAIL["title"]),
        (48, 91, 7.7, "Received: Thu 3/11/2021 4:12:10 PM"),
        (53, 110, 7.0, "Dank, ik zet het op de agenda van het overleg met het RIVM."),
        (48, 140, 7.7, "Van: 5.1.2e"),
        (48, 149, 7.7, "Verzonden: woensdag 10 maart 2021 17:30"),
        (48, 158, 7.7, "Onderwerp: planning evaluatie crisisstructuur"),
        (53, 175, 7.0, "Zie de planning in de bijlage. De evaluatie start op 1 april 2021."),
    ]
    return draw(path, [page])


ENGLISH = {
    "title": "Evaluation of the Digital Skills Pilot Programme",
    "year": 2022,
    "publisher": "European Commission",
    "kind": "rapport",
}


def english_report_pdf(path: Path) -> Path:
    """An English report: the organisation at the top, the title in large type, "Final
    report", a place-and-date line."""
    page = [
        (72, 60, 10, "European Commission"),
        (72, 200, 24, ENGLISH["title"], True),
        (72, 240, 14, "Final report"),
        (72, 300, 11, "Brussels, 4 May 2022"),
        *_body(380, ["This report evaluates the pilot programme that started in 2019."], size=11),
    ]
    return draw(path, [page], title="Final_report_v7")


RESOLUTION = {
    "title": "Resolution 2601 (2021)",
    "year": 2021,
    "publisher": "United Nations Security Council",
    "kind": "resolutie",
}


def resolution_pdf(path: Path) -> Path:
    """A UN resolution: "United Nations" and the symbol at the top, the organ's name in the
    largest type, the issue date, then the resolution's number and its adoption line."""
    page = [
        (123, 65, 14, "United Nations"),
        (400, 65, 14, "S/RES/2601 (2021)"),
        (123, 94, 20, "Security Council", True),
        (397, 106, 10, "29 October 2021"),
        (123, 234, 14, "Resolution 2601 (2021)", True),
        (123, 260, 12, "Adopted by the Security Council at its 8889th meeting, on"),
        (123, 273, 12, "29 October 2021"),
        (147, 298, 10, "The Security Council,"),
        (147, 316, 10, "Recalling its resolutions 2143 (2014) and 2427 (2018),"),
    ]
    return draw(path, [page], author="DGACM User")


INVENTORY = {"title": "Inventarislijst EZK windparken", "year": None, "kind": "inventarislijst"}
INVENTORY_PUBLISHER = "Ministerie van Economische Zaken en Klimaat"


def inventory_pdf(path: Path) -> Path:
    """A printed spreadsheet: a title in large type, then table rows with the dates of the
    listed documents (the list itself is not dated). The info title is the spreadsheet's name."""
    rows = [
        f"{i} {d}-{m}-2020 Nota Overleg windpark {name} Deels openbaar 5.1.2e EZK"
        for i, (d, m, name) in enumerate([(3, 2, "Noord"), (17, 3, "Zuid"), (9, 6, "Oost"), (30, 9, "West")], 1)
    ]
    page = [
        (30, 60, 16.5, INVENTORY["title"], True),
        (30, 90, 9.4, "Nr. Datum Soort Onderwerp Beoordeling Grond Afzender"),
        *_body(110, rows, x=30, size=9.4, step=12.5),
    ]
    return draw(path, [page], title="Inventarislijst windparken.xlsx", author="BuiterP")


MINISTER_LETTER = {
    "title": "Brief van de Minister van Volksgezondheid, Welzijn en Sport",
    "year": 2021,
    "publisher": "Ministerie van Volksgezondheid, Welzijn en Sport",
    "kind": "kamerbrief",
}


def minister_letter_pdf(path: Path) -> Path:
    """A minister's letter printed as a parliamentary paper: the item title in capitals over two
    lines after "Nr. 12", the place-and-date line, the signature in normal case, the footer
    citation."""
    page = [
        *_masthead("2020–2021"),
        (55, 189, 12.3, "35 300 XVI"),
        (221, 189, 12.3, "Vaststelling van de begrotingsstaten voor het jaar 2021"),
        (55, 282, 9.1, "Nr. 12"),
        (221, 282, 9.1, "BRIEF VAN DE MINISTER VAN VOLKSGEZONDHEID, WELZIJN EN"),
        (221, 293, 9.1, "SPORT"),
        (221, 314, 9.1, "Aan de Voorzitter van de Tweede Kamer der Staten-Generaal"),
        (221, 335, 9.1, "Den Haag, 15 maart 2021"),
        (221, 356, 9.1, "Hierbij informeer ik uw Kamer over de stand van zaken."),
        (221, 377, 9.1, "De Minister van Volksgezondheid, Welzijn en Sport,"),
        (221, 773, 9.1, "Tweede Kamer, vergaderjaar 2020–2021, 35 300 XVI, nr. 12"),
    ]
    return draw(path, [page])


EXPLANATORY = {"title": "Kamerstuk 35 400, nr. 3", "year": 2020, "publisher": "Tweede Kamer", "kind": "kamerstuk"}


def explanatory_memorandum_pdf(path: Path) -> Path:
    """A bill's explanatory memorandum: its item title names only the part ("MEMORIE VAN
    TOELICHTING"), so the paper is cited by dossier and number (from the footer)."""
    page = [
        *_masthead("2019–2020"),
        (55, 189, 12.3, "35 400"),
        (221, 189, 12.3, "Wijziging van de Wet op het onderwijstoezicht"),
        (55, 282, 9.1, "Nr. 3"),
        (221, 282, 9.1, "MEMORIE VAN TOELICHTING"),
        (221, 303, 9.1, "Dit wetsvoorstel regelt het toezicht op het onderwijs opnieuw."),
        (221, 773, 9.1, "Tweede Kamer, vergaderjaar 2019–2020, 35 400, nr. 3"),
    ]
    return draw(path, [page])
