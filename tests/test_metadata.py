"""Metadata of PDFs without a manifest entry: title, year, publisher and document type from
the first pages and the info dictionary, by the rules a person would use."""

from __future__ import annotations

import pytest

from beleidsbank.ingest.document import parse_pdf
from beleidsbank.ingest.metadata import extract, largest_text, recase, usable_title
from beleidsbank.ingest.metadata_patterns import is_date_line, ministry_from_abbreviation, organisations, years_in
from beleidsbank.ingest.pdf_reader import Line, Page, read_pdf
from tests import pdfs_metadata as m

CASES = [
    ("kamerbrief.pdf", m.kamerbrief_pdf, m.KAMERBRIEF),
    ("kamervragen.pdf", m.kamervragen_pdf, m.KAMERVRAGEN),
    ("motie.pdf", m.motie_pdf, m.MOTIE),
    ("advies.pdf", m.advies_pdf, m.ADVIES),
    ("brief-minister.pdf", m.minister_letter_pdf, m.MINISTER_LETTER),
    ("memorie.pdf", m.explanatory_memorandum_pdf, m.EXPLANATORY),
    ("verkenning.pdf", m.report_pdf, m.REPORT),
    ("scriptie.pdf", m.thesis_pdf, m.THESIS),
    (m.MAIL_FILE, m.woo_mail_pdf, m.MAIL),
    ("final-report.pdf", m.english_report_pdf, m.ENGLISH),
    ("resolutie.pdf", m.resolution_pdf, m.RESOLUTION),
    ("inventaris.pdf", m.inventory_pdf, {**m.INVENTORY, "publisher": m.INVENTORY_PUBLISHER}),
]


@pytest.mark.parametrize("name, make, want", CASES, ids=[c[0] for c in CASES])
def test_metadata_from_the_first_pages(tmp_path, name, make, want):
    content = read_pdf(make(tmp_path / name))
    got = extract(content.pages, content.info, name)
    assert (got.title, got.year, got.publisher, got.kind) == (
        want["title"],
        want["year"],
        want["publisher"],
        want["kind"],
    )


def test_parse_pdf_fills_the_document_metadata(tmp_path):
    doc = parse_pdf(m.kamerbrief_pdf(tmp_path / "brief.pdf"))
    assert doc.meta.title == m.KAMERBRIEF["title"] and doc.meta.short == m.KAMERBRIEF["title"][:60]
    assert (doc.meta.year, doc.meta.publisher, doc.meta.kind) == (2021, m.KAMERBRIEF["publisher"], "kamerbrief")


def test_a_manifest_entry_still_wins(tmp_path):
    m.kamerbrief_pdf(tmp_path / "brief.pdf")
    (tmp_path / "manifest.toml").write_text(
        '[[document]]\nid = "brief"\nfile = "brief.pdf"\ntitle = "Titel uit het manifest"\nyear = 2019\n'
        'publisher = "Uitgever"\nkind = "brief"\n',
        encoding="utf-8",
    )
    meta = parse_pdf(tmp_path / "brief.pdf").meta
    assert (meta.title, meta.year, meta.publisher, meta.kind) == ("Titel uit het manifest", 2019, "Uitgever", "brief")


def test_the_info_dictionary_is_read(tmp_path):
    content = read_pdf(m.resolution_pdf(tmp_path / "r.pdf"))
    assert content.info["author"] == "DGACM User" and content.info["creation_date"].startswith("D:")
    assert set(content.info) == {"title", "author", "subject", "creation_date", "producer"}


# --- the rules one by one, on plain data ------------------------------------------


def _page(lines: list[tuple[float, float, str]], number: int = 1, height: float = 842.0) -> Page:
    """A page from (size, y, text) triples, all at x=72."""
    return Page(number, str(number), height, [Line(t, 72.0, 72.0 + 5 * len(t), y, s) for s, y, t in lines])


@pytest.mark.parametrize(
    "title, usable",
    [
        ("Microsoft Word - nota_v3.docx", ""),
        ("Inventarislijst windparken.xlsx", ""),
        ("171234", ""),
        ("kst-36200-12", ""),
        ("untitled", ""),
        ("Notitie", ""),
        ("Microsoft Word - Jaarverslag 2021", "Jaarverslag 2021"),
        ("Evaluatie van de Wet open overheid", "Evaluatie van de Wet open overheid"),
    ],
)
def test_junk_info_titles_are_refused(title, usable):
    assert usable_title(title) == usable


def test_a_confirmed_info_title_wins_and_a_stale_one_does_not(tmp_path):
    heading = [(16.0, 760, "Samenvatting"), (10.0, 740, "De evaluatie van het programma verkeersveiligheid laat zien")]
    page = _page(heading + [(10.0, 726, "dat de rapportage over 2022 op tijd was.")])
    good = extract([page], {"title": "Rapportage verkeersveiligheid 2022"}, "x.pdf")
    stale = extract([page], {"title": "Sjabloon notitie directie"}, "x.pdf")
    assert good.title == "Rapportage verkeersveiligheid 2022"
    assert stale.title == "Samenvatting"


def test_ocr_letterhead_and_stamped_date():
    """A scanned letter read by OCR: the ministry's name broken over two lines, a date stamp
    whose digits OCR spaces apart, a "Betreft:" line with a colon."""
    page = _page(
        [
            (11.5, 750, "Ministerie van Onderwijs, Cultuur"),
            (11.0, 735, "en Wetenschap"),
            (13.5, 512, "Datum: 1 4 MRT 2023 Ons kenmerk"),
            (9.5, 501, "Betreft: Besluit op uw Woo-verzoek over leerlingenvervoer"),
            (9.0, 453, "Geachte heer,"),
            (9.0, 430, "Op 3 januari 2022 heeft u een verzoek gedaan."),
        ]
    )
    got = extract([page], {}, "scan.pdf")
    assert got.title == "Besluit op uw Woo-verzoek over leerlingenvervoer"
    assert (got.year, got.publisher, got.kind) == (
        2023,
        "Ministerie van Onderwijs, Cultuur en Wetenschap",
        "woo-besluit",
    )


def test_dates_in_dutch_and_english():
    assert years_in("op 15 maart 2021 en 8 November 2002, May 4, 2019, 29-9-2020, 9/29/2020, 2018-01-31") == [
        2021,
        2002,
        2019,
        2020,
        2020,
        2018,
    ]
    assert all(is_date_line(t) for t in ["14 juli 2020", "Den Haag, 3 mei 2021", "juni 2019", "Brussels, 4 May 2022"])
    assert not any(is_date_line(t) for t in ["Op 14 juli 2020 is besloten", "Nota 2013-2020", "1234"])


def test_organisations_and_ministry_abbreviations():
    assert organisations("Ministerie van Volksgezondheid,\nWelzijn en Sport") == [
        "Ministerie van Volksgezondheid, Welzijn en Sport"
    ]
    assert organisations("Tweede Kamer der Staten-Generaal") == ["Tweede Kamer"]
    assert organisations("Prof. X, Universiteit Twente; Y, University of Oxford") == [
        "Universiteit Twente",
        "University of Oxford",
    ]
    assert organisations("de Minister van Financiën antwoordt") == []  # a minister is no ministry
    assert ministry_from_abbreviation("OCW-WOO-000123-nota") == "Ministerie van Onderwijs, Cultuur en Wetenschap"
    assert ministry_from_abbreviation("besluit-ocw-over-iets") == ""  # only as ministries write it


def test_capitals_take_the_casing_of_the_page():
    page = _page([(9, 700, "X"), (9, 690, "Het advies van de Raad van State over de Wet"), (9, 680, "Jansen")])
    assert recase("ADVIES RAAD VAN STATE OVER MOTIE JANSEN", [page]) == "Advies Raad van State over motie Jansen"


def test_a_sparse_cover_gives_way_to_the_title_page_but_a_lone_title_stays():
    cover = _page([(24, 600, "Anna Jansen")])
    title_page = _page([(24, 700, "Open data"), (11, 600, "Universiteit Leiden"), (11, 500, "2021")], 2)
    assert largest_text([cover, title_page]) == "Open data"
    body = _page([(10, 700, "Tekst van het eerste hoofdstuk."), (10, 680, "Meer tekst."), (10, 660, "En meer.")], 2)
    assert largest_text([_page([(24, 600, "Jaarverslag 2021")]), body]) == "Jaarverslag 2021"


def test_a_bare_label_takes_the_value_on_its_baseline():
    """OCR (and some column layouts) read "Datum:" and "Betreft:" apart from their values,
    which may even come first in reading order."""
    lines = [
        (11.5, 750, "Gemeente Zwolle"),
        (17.0, 513, "2 1 SEP 2023"),
        (10.0, 501, "Besluit op uw verzoek om informatie over de kermis"),
        (10.0, 512, "Datum:"),
        (10.0, 501, "Betreft:"),
        (10.0, 455, "Geachte heer,"),
    ]
    page = Page(1, "1", 842.0, [Line(t, 81.0 if t.endswith(":") else 150.0, 400.0, y, s) for s, y, t in lines])
    got = extract([page], {}, "scan.pdf")
    assert (got.title, got.year, got.publisher) == (lines[2][2], 2023, "Gemeente Zwolle")


def test_the_addressee_is_not_the_publisher():
    """A letter whose ministry logo is an image: the parliament it is addressed to is not its maker."""
    page = _page(
        [
            (7, 700, "> Retouradres Postbus 20011 2500 EA Den Haag"),
            (10, 680, "De Voorzitter van de Tweede Kamer der Staten-Generaal"),
            (10, 666, "Postbus 20018"),
            (10, 600, "Datum 3 april 2024"),
            (10, 586, "Betreft Voortgang van het programma"),
            (10, 550, "Geachte voorzitter,"),
        ]
    )
    got = extract([page], {"author": "pietersj"}, "brief.pdf")
    assert (got.title, got.year, got.publisher, got.kind) == ("Voortgang van het programma", 2024, "", "kamerbrief")


def test_a_date_alone_in_a_table_cell_does_not_date_the_document():
    page = _page([(16, 780, "Overzicht documenten"), (9, 760, "Nr. Datum Onderwerp"), (9, 748, "1 Nota overleg")])
    page.lines.append(Line("12-3-2020", 200.0, 240.0, 736.0, 9.0))
    assert extract([page], {}, "overzicht.pdf").year is None


def test_an_organisation_in_large_type_is_not_the_title():
    page = _page(
        [
            (14, 780, "United Nations"),
            (20, 750, "General Assembly"),
            (14, 700, "Strengthening of the coordination of emergency assistance"),
            (10, 680, "The General Assembly, recalling its resolutions,"),
            (10, 668, "Adopted on 16 December 2021."),
        ]
    )
    got = extract([page], {}, "a-res.pdf")
    assert (got.title, got.publisher) == (
        "Strengthening of the coordination of emergency assistance",
        "United Nations General Assembly",
    )


def test_a_line_the_file_name_spells_out_is_the_title():
    """A word-processor page whose title is no larger than its text: the file name was made
    from the title, the page gives its spelling (accents, colon, capitals)."""
    title = "Fiche 7: Herziening richtlijn over de energieprestatie van gebouwen en coördinatie"
    page = _page([(11, 780, title), (11, 760, "1. Algemene gegevens"), (11, 740, "a) Titel voorstel")])
    name = "fiche-7-herziening-richtlijn-over-de-energieprestatie-van-gebouwen-en-coordinatie.pdf"
    got = extract([page], {}, name)
    assert (got.title, got.kind) == (title, "fiche")
    assert extract([page], {}, "3f2a9c0d1e2b3c4d5e6f7a8b9c0d1e2f_nota.pdf").title != title
