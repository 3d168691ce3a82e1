"""Layouts of real documents (issue 14): page furniture stays out of passages, names are no
headings, tables are kept as rows. PDFs from tests/pdfs_layout.py."""

import re
import time

from beleidsbank.ingest.clean import build_blocks, join_hyphenated
from beleidsbank.ingest.furniture import mark_redactions
from beleidsbank.ingest.passages import make_passages
from beleidsbank.ingest.pdf_reader import Line, Page, read_pdf
from beleidsbank.ingest.tables import find_rows
from tests import pdfs_layout as L


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def passages_of(path):
    pages = read_pdf(path).pages
    return make_passages(build_blocks(pages), {p.number: p.label for p in pages}).passages


def all_text(passages) -> str:
    return squash(" ".join(p.text for p in passages))


def test_letterhead_column_and_page_of_pages_removed(tmp_path):
    text = all_text(passages_of(L.letterhead_pdf(tmp_path / "letter.pdf")))
    for furniture in L.LETTER_COLUMN + ["Pagina 1 van 3", "Pagina 3 van 3"]:
        assert furniture not in text
    assert "Het Techniekpact is in 2013 gesloten" in text


def test_kamerstuk_masthead_id_block_and_footer_removed(tmp_path):
    passages = passages_of(L.kamerstuk_pdf(tmp_path / "kst.pdf"))
    text = all_text(passages)
    for furniture in L.KAMERSTUK_FURNITURE:
        assert furniture.lower() not in text.lower()
    for sentence in L.KAMERSTUK_BODY:
        assert any(squash(sentence) in squash(p.text) for p in passages)
    # the signatures are no section of their own
    assert not any(p.section.startswith(L.KAMERSTUK_SIGNERS[0]) for p in passages)


def test_contents_with_dot_leaders_removed(tmp_path):
    passages = passages_of(L.contents_pdf(tmp_path / "toc.pdf"))
    assert not any(re.search(r"(\. ?){4,}", p.text) for p in passages)
    assert "Inhoudsopgave" not in all_text(passages)
    assert [p.section_path for p in passages][:2] == ["1 Inleiding", "2 Achtergrond van het onderzoek"]


def test_mail_headers_signature_placeholder_and_id_removed(tmp_path):
    passages = passages_of(L.mail_pdf(tmp_path / "mail.pdf"))
    text = all_text(passages)
    for furniture in L.MAIL_HEADERS + L.MAIL_SIGNATURE + [L.MAIL_ID, "Pagina's zijn verwijderd", "Dubbel"]:
        assert furniture not in text
    for sentence in L.MAIL_BODY:
        assert sentence in text
    # the redacted name is marked, not left as a loose code in the sentence
    assert "Het overleg met [gelakt: 5.1.2e] is verplaatst naar donderdag." in text
    # a message ends at its closing formula: the next message is a passage unit of its own
    assert not any("groet," in p.text and L.MAIL_BODY[1] in p.text.split("groet,")[0] for p in passages)


def test_inventory_rows_are_units_of_a_table_passage(tmp_path):
    passages = passages_of(L.inventory_pdf(tmp_path / "inv.pdf"))
    rows = [" ".join(r) for r in L.INVENTORY_ROWS]
    tables = [p for p in passages if p.kind == "table"]
    assert tables
    for row in rows:  # each row whole inside a table passage, as one unit
        holder = [p for p in tables if row in p.text]
        assert holder
        assert any(p.text[a:b] == row for p in holder for a, b in p.sentences)
    # the sentences around the table are not run into its rows
    assert not any(L.INVENTORY_OUTRO in p.text or L.INVENTORY_INTRO in p.text for p in tables)


class SegLine(Line):
    """A line with the reader's segments (text, x0, x1), as the table finder uses them."""

    def __init__(self, segments, y, size=9.0):
        super().__init__(" ".join(t for t, _, _ in segments), segments[0][1], segments[-1][2], y, size)
        self.segments = segments


def test_table_cells_wrapped_and_hyphenated_are_joined_into_their_row():
    cols = [60, 120, 300]
    rows = [
        ["1", "Nota", "Voorbereiding overleg"],
        ["2", "E-mail", "Reactie op het be-"],
        ["3", "Memo", "Evaluatie pilots"],
    ]
    lines = []
    y = 700.0
    for k, row in enumerate(rows):
        lines.append(SegLine([(c, x, x + 40) for c, x in zip(row, cols)], y))
        y -= 11
        if k == 1:  # the third cell of row 2 goes on on a line of its own
            lines.append(SegLine([("stand van de regiegroep", 300, 400)], y))
            y -= 11
    found = find_rows(lines, 400, join_hyphenated)
    assert [r.text for r in found] == [
        "1 Nota Voorbereiding overleg",
        "2 E-mail Reactie op het bestand van de regiegroep",
        "3 Memo Evaluatie pilots",
    ]


def test_two_tables_side_by_side_are_not_interleaved():
    """Rows of a table are cut by column starts, so a cell of one column never joins another."""
    lines = [
        SegLine([(f"{k}", 60, 70), (f"links {k}", 120, 200), (f"rechts {k}", 330, 420)], 700 - 11 * k) for k in range(4)
    ]
    found = find_rows(lines, 400, join_hyphenated)
    assert [r.cells for r in found] == [[f"{k}", f"links {k}", f"rechts {k}"] for k in range(4)]


def test_running_text_is_no_table():
    words = "het tekort aan technici is de afgelopen jaren verder opgelopen en vraagt om een aanpak".split()
    lines = [Line(f"{k} " + " ".join(words), 72, 500, 700 - 13 * k, 10) for k in range(1, 3)]
    lines += [Line(" ".join(words), 72, 500, 660 - 13 * k, 10) for k in range(4)]
    assert find_rows(lines, 430, join_hyphenated) == []


def test_redaction_codes_marked_unless_cited():
    assert mark_redactions("5.1.2e") == "[gelakt: 5.1.2e]"
    assert mark_redactions("5.1.2.e 5.1.2.i") == "[gelakt: 5.1.2.e] [gelakt: 5.1.2.i]"
    assert mark_redactions("bij het team door 5.1.2e toegelicht") == "bij het team door [gelakt: 5.1.2e] toegelicht"
    assert mark_redactions("op grond van artikel 5.1.2e van de Woo") == "op grond van artikel 5.1.2e van de Woo"
    assert mark_redactions("Deels openbaar 10.2.e; 10.2.g") == "Deels openbaar 10.2.e; 10.2.g"
    assert mark_redactions("paragraaf 5.1 en 10.2") == "paragraaf 5.1 en 10.2"
    assert mark_redactions("weigergronden: • 10.2.e • 10.2.g") == "weigergronden: • 10.2.e • 10.2.g"


def test_signature_names_are_no_headings():
    body = "de Kamer verzoekt de regering om met de regio's afspraken te maken over de financiering."
    lines = [
        Line("Motie over het beroepsonderwijs", 72, 400, 780, 14),
        Line(body, 72, 500, 750, 10),
        Line("Inge de Vries", 72, 150, 720, 10),
        Line("Bakker", 72, 110, 709, 10),
    ]
    blocks = build_blocks([Page(1, "1", 842, lines)])
    assert [b.text for b in blocks if b.kind == "heading"] == ["Motie over het beroepsonderwijs"]


def test_join_hyphenated_is_linear_on_one_long_word():
    start = time.perf_counter()
    join_hyphenated("a" * 40000 + "-", "b")
    assert time.perf_counter() - start < 0.5


def test_table_rows_are_never_headings_and_the_section_stays():
    """A short row of a record table looks like a title set in the body font; as a table row
    it is none, so the text after the table keeps the section of the heading above it."""
    rows = ["1 2-3-2020 Nota Openbaar", "2 9-3-2020 Memo Voorbereiding overleg met de regio Deels openbaar"]
    rows += ["3 16-3-2020 Nota Verslag van de bijeenkomst met werkgevers Openbaar"]
    body = "De documenten in deze lijst zijn beoordeeld op grond van de wet en worden openbaar gemaakt."
    lines = [Line("2 Inventaris", 72, 200, 800, 14)]
    lines += [Line(r, 72, 72 + 4.6 * len(r), 770 - 13 * k, 10) for k, r in enumerate(rows)]
    lines += [Line(body, 72, 500, 700 - 13 * k, 10) for k in range(3)]
    blocks = build_blocks([Page(1, "1", 842, lines)])
    assert [b.text for b in blocks if b.kind == "heading"] == ["2 Inventaris"]
    assert [b.text for b in blocks if b.kind == "table_row"] == rows
    assert all(b.section == ("2 Inventaris",) for b in blocks)
