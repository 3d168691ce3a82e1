"""Text you can trust (issue 14): letters in order, words apart, private-use glyphs and
ligatures repaired, and a quality verdict on every page. PDFs from tests/pdfs_text.py."""

from __future__ import annotations

import pytest

from beleidsbank.ingest import text_check as tc
from beleidsbank.ingest.pdf_reader import Line, Page, read_pdf
from tests import pdf_factory as f
from tests import pdfs_text as t


def _texts(pdf) -> list[str]:
    return [ln.text for ln in read_pdf(pdf).pages[0].lines]


def test_kerned_runs_keep_letter_order(tmp_path):
    pdf = t.kerned_pdf(tmp_path / "kerned.pdf")
    assert _texts(pdf) == t.KERNED
    assert read_pdf(pdf).pages[0].quality == "goed"


def test_word_spaces_made_by_kerning_are_kept(tmp_path):
    assert _texts(t.glued_pdf(tmp_path / "glued.pdf")) == t.GLUED


def test_private_use_glyphs_repaired_from_glyph_names(tmp_path):
    page = read_pdf(t.pua_pdf(tmp_path / "pua.pdf")).pages[0]
    assert [ln.text for ln in page.lines] == t.PUA_LINES
    assert page.quality == "goed" and page.reasons == []


def test_ligatures_split(tmp_path):
    assert _texts(t.ligature_pdf(tmp_path / "lig.pdf")) == t.LIGATURE_LINES


def test_unrepairable_private_use_glyphs_flag_the_page(tmp_path):
    page = read_pdf(t.unmappable_pua_pdf(tmp_path / "pua.pdf")).pages[0]
    assert page.quality == "slecht"
    assert tc.REASON_PUA in page.reasons


def test_ordinary_pages_are_good(tmp_path):
    pdf = f.write_text_pdf(tmp_path / "plain.pdf", f.flow([("body", p) for p in f.PARAGRAPHS]), header="Evaluatie")
    pages = read_pdf(pdf).pages
    assert [p.quality for p in pages] == ["goed"] * len(pages)
    assert all(p.reasons == [] for p in pages)


def test_pypdf_font_warnings_are_silenced(tmp_path, capfd):
    read_pdf(t.pua_pdf(tmp_path / "pua.pdf"))
    assert "fontTools" not in capfd.readouterr().err


# --- the cross-check on lines the reader got wrong (a second reading stands in for pdfium) ---


class _Reading:
    """A second reading whose text within any line's box is `within`."""

    def __init__(self, text: str, within: dict[str, str]):
        self.text = text
        self._within = within

    def within(self, line: Line, flip: bool = False, band: bool = False) -> str:
        return self._within.get(line.text, "")


def _page(*texts: str) -> Page:
    lines = [Line(text, 72.0, 500.0, 700.0 - 15 * i, 11.0) for i, text in enumerate(texts)]
    return Page(number=1, label="1", height=842.0, lines=lines)


GOOD = "Het kabinet legt de afspraken over het toezicht op de zorg vast in een convenant met de partners."
SCRAMBLED = "Het kabinet legt de afpsraken oevr het toezcihtop de zorg vast ni een convenant met de partners."
GLUED_LINE = "Het kabinet legtde afspraken overhet toezicht op dezorg vast in een convenant met departners."


@pytest.mark.parametrize(
    "bad, reason", [(SCRAMBLED, tc.REASON_ORDER), (GLUED_LINE, tc.REASON_GLUED)], ids=["order", "glued"]
)
def test_line_repaired_from_the_second_reading(bad, reason):
    page = _page(bad, GOOD)
    tc.check_page(page, _Reading(f"{GOOD}\n{GOOD}", {bad: GOOD}))
    assert [ln.text for ln in page.lines] == [GOOD, GOOD]
    assert page.quality == "goed"
    # the position stays the line reader's
    assert page.lines[0].y == 700.0 and page.lines[0].x0 == 72.0


@pytest.mark.parametrize(
    "bad, reason", [(SCRAMBLED, tc.REASON_ORDER), (GLUED_LINE, tc.REASON_GLUED)], ids=["order", "glued"]
)
def test_unrepaired_line_sets_the_verdict(bad, reason):
    page = _page(bad, bad)
    tc.check_page(page, _Reading(f"{GOOD}\n{GOOD}", {}))  # no reading inside the line's box
    assert page.quality in ("matig", "slecht")
    assert reason in page.reasons


def test_letter_spaced_second_reading_does_not_split_words():
    text = '"properties": { "required": [ "identifier", "title" ] }'
    spaced = '" p r o p e r t i e s " : { " r e q ui r e d " : [ " i d e n t i f i e r " , " t i t l e " ] }'
    page = _page(text)
    tc.check_page(page, _Reading(spaced, {text: spaced}))
    assert page.lines[0].text == text


def test_second_reading_with_other_glyphs_is_not_taken():
    page = _page("Het kabinet stuurt de brief.")
    tc.check_page(page, _Reading("Het kabinet stuurt de brieven.", {"Het kabinet stuurt de brief.": "Het kabinet"}))
    assert page.lines[0].text == "Het kabinet stuurt de brief."


def test_private_use_bullet_becomes_a_bullet():
    text = "\uf0b7 Eerste punt van de lijst met afspraken over het toezicht op de zorg."
    page = _page(text)
    tc.check_page(page, _Reading(text, {}))
    assert page.lines[0].text == "• " + text[2:]
    assert page.quality == "goed"


def test_private_use_ligatures_split():
    page = _page("De \uf001nanciële \uf002exibiliteit van het plan is geregeld in de begroting van de gemeente.")
    tc.check_page(page, None)
    assert page.lines[0].text == "De financiële flexibiliteit van het plan is geregeld in de begroting van de gemeente."
    assert page.quality == "goed"


def test_cross_check_repairs_a_reader_that_misplaces_pieces(tmp_path, monkeypatch):
    """A line reader that places each second piece of a line before its predecessor (what
    pypdf's placement did to kerned runs) is put right by the second reading."""
    from beleidsbank.ingest import pdf_reader

    real = pdf_reader.fragments

    def misplaced(page):
        frags = real(page)
        for a, b in zip(frags[::2], frags[1::2]):
            if a["ty"] == b["ty"]:
                wa, wb = a["displaced_tx"] - a["tx"], b["displaced_tx"] - b["tx"]
                a["tx"], b["tx"] = b["tx"], a["tx"]
                a["displaced_tx"], b["displaced_tx"] = a["tx"] + wa, b["tx"] + wb
        return frags

    monkeypatch.setattr(pdf_reader, "fragments", misplaced)
    page = read_pdf(t.kerned_pdf(tmp_path / "kerned.pdf")).pages[0]
    assert [ln.text for ln in page.lines] == t.KERNED
    monkeypatch.setattr(tc, "check_pages", lambda path, pages: None)
    assert [ln.text for ln in read_pdf(tmp_path / "kerned.pdf").pages[0].lines] != t.KERNED
