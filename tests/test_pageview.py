"""Page view: finding a passage on a PDF page and drawing the highlight (real PDFs, pypdfium2)."""

import pytest

from beleidsbank.ui import pageview
from tests import pdf_factory as pf


def test_find_spans_ignores_line_breaks_hyphens_and_headers():
    page = (
        "Evaluatie Techniekpact\r\nHet kabinet investeert in het techniek-\r\nonderwijs op het vmbo, "
        "zodat meer leer\ufffelingen kiezen.\r\n12\r\nEen andere alinea die niet bij de passage hoort."
    )
    passage = "Het kabinet investeert in het techniekonderwijs op het vmbo, zodat meer leerlingen kiezen."
    spans, matched = pageview.find_spans(page, passage)
    assert len(spans) == 1
    a, z = spans[0]
    assert page[a:z].startswith("Het kabinet") and page[a:z].endswith("kiezen.")
    assert matched == sum(c.isalnum() for c in passage)


def test_find_spans_skips_footnote_marker_and_the_part_on_the_next_page():
    page = "Tekst ervoor. Het aantal onbevoegde docenten in de technische vakken is niet gedaald3. Scholen melden dat"
    passage = (
        "Het aantal onbevoegde docenten in de technische vakken is niet gedaald. Scholen melden dat "
        "vooral vacatures voor natuurkunde en wiskunde lang openstaan op de volgende pagina."
    )
    spans, matched = pageview.find_spans(page, passage)
    assert spans and page[spans[0][0] :].startswith("Het aantal")
    assert "Tekst ervoor" not in "".join(page[a:z] for a, z in spans)
    assert 0 < matched < sum(c.isalnum() for c in passage)


def test_find_spans_without_a_match():
    assert pageview.find_spans("Iets heel anders op deze pagina.", "Versterk de regionale samenwerking nu.") == ([], 0)
    assert pageview.find_spans("", "tekst") == ([], 0)


def _yellowish(px) -> bool:
    r, g, b = px[:3]
    return r > 200 and g > 170 and b < 170


def test_render_highlights_the_passage(tmp_path):
    pdf = pf.hyphenation_pdf(tmp_path / "afbreking.pdf")
    view = pageview.render(pdf, 1, pf.HYPHENATION_TEXT, scale=1.0)
    assert view.n_pages == 1 and view.page == 1
    assert view.matched_chars == sum(c.isalnum() for c in pf.HYPHENATION_TEXT)
    assert len(view.rects) >= len(pf.HYPHENATION_LINES) - 1  # one rectangle per text line
    w, h = view.image.size
    assert abs(w - pf.PAGE_W) <= 1 and abs(h - pf.PAGE_H) <= 1
    # the background inside the highlight is yellow, the heading above it is not highlighted
    left, top, right, bottom = view.rects[0]
    assert _yellowish(view.image.getpixel((int(left) + 1, int(top) + 1)))
    plain = pageview.render(pdf, 1, "", scale=1.0)
    assert not plain.rects and not _yellowish(plain.image.getpixel((int(left) + 1, int(top) + 1)))
    heading_y = int(top) - 20
    assert view.image.getpixel((w - 80, heading_y)) == plain.image.getpixel((w - 80, heading_y))


def test_render_other_text_leaves_page_unmarked(tmp_path):
    pdf = pf.hyphenation_pdf(tmp_path / "afbreking.pdf")
    view = pageview.render(pdf, 1, "Deze zin staat nergens in het document en wordt niet gevonden.", scale=0.5)
    assert view.rects == [] and view.spans == []
    assert view.image.tobytes() == pageview.render(pdf, 1, "", scale=0.5).image.tobytes()


def test_missing_file_and_bad_page_are_plain_dutch(tmp_path):
    with pytest.raises(pageview.PageViewError, match="verplaatst, hernoemd of verwijderd"):
        pageview.render(tmp_path / "weg.pdf", 1, "x")
    pdf = pf.hyphenation_pdf(tmp_path / "afbreking.pdf")
    with pytest.raises(pageview.PageViewError, match="Pagina 3 bestaat niet"):
        pageview.render(pdf, 3, "x")
    bad = pf.corrupt_pdf(tmp_path / "kapot.pdf")
    with pytest.raises(pageview.PageViewError, match="kan niet worden geopend"):
        pageview.render(bad, 1, "x")


def test_huge_pages_are_rendered_within_the_pixel_cap(tmp_path):
    from beleidsbank.ui import pageview
    from benchmarks.hostile_pdfs import big_page_pdf

    for points in (14400, 100000):
        view = pageview.render(big_page_pdf(tmp_path / f"groot-{points}.pdf", points), 1, "enorme afmetingen")
        w, h = view.image.size
        assert w * h <= pageview.MAX_PIXELS and w > 100
