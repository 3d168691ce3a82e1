"""Checks, with pypdf only, that each tests.pdf_factory output is what it claims."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from pypdf import PdfReader
from pypdf.errors import EmptyFileError, FileNotDecryptedError, LimitReachedError, PdfReadError, PdfStreamError

from tests import pdf_factory as pf


def norm(text: str) -> str:
    return " ".join(text.split())


def fragments(page) -> list[tuple[str, float, float, float, str]]:
    """(text, x, y, font size, font name) of each non-blank text run on ``page``."""
    out = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            name = str(font_dict.get("/BaseFont", "")) if font_dict else ""
            out.append((text.strip(), tm[4], tm[5], font_size * tm[0], name))

    page.extract_text(visitor_text=visit)
    return out


def lines_of(page) -> list[str]:
    return [ln.strip() for ln in page.extract_text().splitlines() if ln.strip()]


TEXT_FACTORIES = [  # factory, page count, a phrase that must be in the text layer
    (pf.running_header_pdf, 4, "Evaluatie Techniekpact 2013-2020"),
    (pf.hyphenation_pdf, 1, "Techno-"),
    (pf.footnote_pdf, 2, "Bron: CBS Statline, 2019."),
    (pf.two_column_pdf, 2, pf.TWO_COLUMN_HEADING),
    (pf.bullets_pdf, 1, "Aanbevelingen"),
    (pf.headings_pdf, 2, "2.1.1 Knelpunten"),
    (pf.english_pdf, 1, "shortage of technicians"),
    (pf.metadata_pdf, 1, pf.METADATA_HEADING),
    (pf.html_injection_pdf, 1, "<script>alert(1)</script>"),
]


@pytest.mark.parametrize("factory,pages,phrase", TEXT_FACTORIES, ids=[f.__name__ for f, _, _ in TEXT_FACTORIES])
def test_text_pdfs_have_pages_and_text_layer(tmp_path, factory, pages, phrase):
    path = factory(tmp_path / "doc.pdf")
    assert path == tmp_path / "doc.pdf"
    reader = PdfReader(path)
    assert not reader.is_encrypted
    assert len(reader.pages) == pages
    texts = [p.extract_text() for p in reader.pages]
    assert all(len(t.strip()) > 20 for t in texts)
    assert phrase in "\n".join(texts)


@pytest.mark.parametrize("factory", [f for f, _, _ in TEXT_FACTORIES] + [pf.scanned_pdf], ids=lambda f: f.__name__)
def test_output_is_deterministic(factory):
    first, second = io.BytesIO(), io.BytesIO()
    factory(first), factory(second)
    assert first.getvalue() == second.getvalue()


def test_dutch_accents_extract(tmp_path):
    reader = PdfReader(pf.running_header_pdf(tmp_path / "a.pdf"))
    text = "".join(p.extract_text() for p in reader.pages)
    for word in ("ideeën", "coördinatie", "geïnvesteerd", "financiële", "één", "reëel"):
        assert word in text


def test_write_text_pdf_helper(tmp_path):
    path = pf.write_text_pdf(
        tmp_path / "own.pdf",
        [[("Kop één", "h1"), "Eerste regel.", ""], ["Tweede pagina met ë en ï."]],
        header="Kamerbrief",
        footer_numbers=True,
        first_page_number=7,
    )
    reader = PdfReader(path)
    assert lines_of(reader.pages[0]) == ["Kamerbrief", "Kop één", "Eerste regel.", "7"]
    assert lines_of(reader.pages[1]) == ["Kamerbrief", "Tweede pagina met ë en ï.", "8"]
    sizes = {t: s for t, _, _, s, _ in fragments(reader.pages[0])}
    assert sizes["Kop één"] > sizes["Eerste regel."] > sizes["Kamerbrief"]


def test_running_header_and_sentence_across_pages(tmp_path):
    reader = PdfReader(pf.running_header_pdf(tmp_path / "r.pdf"))
    expected = pf.running_header_pages()
    assert len(expected) == 4
    for number, (page, body) in enumerate(zip(reader.pages, expected), start=1):
        frags = fragments(page)
        header = [f for f in frags if f[0] == "Evaluatie Techniekpact 2013-2020"]
        footer = [f for f in frags if f[0] == str(number)]
        assert len(header) == 1 and header[0][2] > 780  # top of the page
        assert len(footer) == 1 and footer[0][2] < 50  # bottom of the page
        assert [t for t, *_ in frags if t not in (header[0][0], str(number))] == [ln for ln in body if ln]
    last_p1, first_p2 = expected[0][-1], expected[1][0]
    assert not last_p1.endswith(".") and first_p2[0].islower()
    # page 3 must not repeat page 1: 4 pages do not cycle the paragraphs
    assert expected[0][0] not in expected[2] + expected[3]


def test_hyphenation_lines_and_expected_joins(tmp_path):
    page = PdfReader(pf.hyphenation_pdf(tmp_path / "h.pdf")).pages[0]
    lines = lines_of(page)
    assert lines[1:] == pf.HYPHENATION_LINES
    raw = page.extract_text()
    for word in pf.EXPECTED_JOINS + pf.EXPECTED_KEPT_HYPHENS + [pf.EXPECTED_SUSPENDED]:
        assert word not in raw  # only an extractor that de-hyphenates produces them
        assert word in pf.HYPHENATION_TEXT
    joined = " ".join(pf.HYPHENATION_LINES)  # HYPHENATION_TEXT follows the documented rules
    for word in pf.EXPECTED_JOINS + pf.EXPECTED_KEPT_HYPHENS:
        broken = next(b for i in range(1, len(word)) if (b := f"{word[:i]}- {word[i:].lstrip('-')}") in joined)
        joined = joined.replace(broken, word)
    assert joined == pf.HYPHENATION_TEXT


def test_footnotes(tmp_path):
    reader = PdfReader(pf.footnote_pdf(tmp_path / "f.pdf"))
    raw = norm("\n".join(p.extract_text() for p in reader.pages))
    assert "gestegen1," in raw and "werktuigbouwkunde2." in raw and "gedaald3." in raw
    for n, note in pf.FOOTNOTES.items():
        assert f"{n} {note}" in raw
    assert pf.FOOTNOTE_MARKERS == {1: "gestegen", 2: "werktuigbouwkunde", 3: "gedaald"}
    assert all("^" not in body for body in pf.FOOTNOTE_BODY)
    frags = fragments(reader.pages[0])
    markers = [f for f in frags if f[0] in ("1", "2")]
    assert [m[3] for m in markers] == [7, 7]  # small digits in the body
    notes = [f for f in frags if f[0].startswith("1 Bron")]
    assert notes and notes[0][3] == 8 and notes[0][2] < 100  # 8 pt at the page bottom


def test_two_column_raw_order_is_not_reading_order(tmp_path):
    reader = PdfReader(pf.two_column_pdf(tmp_path / "c.pdf"))
    page1 = norm(reader.pages[0].extract_text())
    reading = norm(" ".join([pf.TWO_COLUMN_HEADING, pf.LEFT_COLUMN, pf.RIGHT_COLUMN]))
    assert page1 != reading
    assert page1.index(pf.RIGHT_COLUMN) < page1.index(pf.LEFT_COLUMN)  # naive order is wrong
    layout = norm(reader.pages[0].extract_text(extraction_mode="layout"))
    assert layout != reading and pf.LEFT_COLUMN not in layout  # layout mode interleaves lines
    xs = {x for t, x, *_ in fragments(reader.pages[0]) if t != pf.TWO_COLUMN_HEADING}
    assert len(xs) == 2 and max(xs) - min(xs) > 200
    page2 = norm(reader.pages[1].extract_text())
    assert page2 == norm(pf.LEFT_COLUMN_2 + " " + pf.RIGHT_COLUMN_2)


def test_bullets(tmp_path):
    page = PdfReader(pf.bullets_pdf(tmp_path / "b.pdf")).pages[0]
    raw = norm(page.extract_text())
    items = pf.BULLET_ITEMS + pf.DASH_ITEMS + pf.NUMBERED_ITEMS + pf.KNELPUNTEN_ITEMS
    positions = [raw.index(item) for item in items]
    assert positions == sorted(positions)
    assert raw.index("Knelpunten") < raw.index(pf.KNELPUNTEN_ITEMS[0])
    lines = lines_of(page)
    bullet = "•" if pf.FONT != "Helvetica" else "\x7f"  # pypdf reads WinAnsi's 0x7F bullet raw
    assert lines.count(bullet) == 5 and lines.count("-") == 2
    assert [ln for ln in lines if ln in ("1.", "2.", "3.")] == ["1.", "2.", "3."]
    frags = fragments(page)
    for item in items:  # each item wraps over 2-3 lines, all hanging at the same x
        item_lines = pf.wrap(item, pf.PAGE_W - pf.MARGIN - pf.ITEM_TEXT_X)
        assert 2 <= len(item_lines) <= 3
        assert {x for t, x, *_ in frags if t in item_lines} == {pf.ITEM_TEXT_X}
    assert {x for t, x, *_ in frags if t in ("•", "-", "1.")} == {pf.ITEM_X}


def test_headings(tmp_path):
    reader = PdfReader(pf.headings_pdf(tmp_path / "h.pdf"))
    frags = [f for p in reader.pages for f in fragments(p)]
    headings = [t for t, _, _, size, font in frags if size > pf.BODY_SIZE and "Bold" in font]
    assert headings == [path[-1] for path in pf.EXPECTED_SECTION_PATHS]
    trap = [f for f in frags if f[0].startswith("40 procent")]
    assert trap and trap[0][3] == pf.BODY_SIZE and "Bold" not in trap[0][4]
    for path in pf.EXPECTED_SECTION_PATHS:  # numbering is consistent with nesting
        numbers = [h.split()[0] for h in path]
        assert all(child.startswith(parent + ".") for parent, child in zip(numbers, numbers[1:]))


def test_scanned_has_images_and_no_text(tmp_path):
    reader = PdfReader(pf.scanned_pdf(tmp_path / "s.pdf", pages=3))
    assert len(reader.pages) == 3
    for page in reader.pages:
        assert page.extract_text().strip() == ""
        assert len(page.images) == 1
        ops = page.get_contents().get_data().split()
        assert not {b"Tj", b"TJ", b"'", b'"'} & set(ops)  # no text-showing operators
        if pf.FONT != "Helvetica":  # with DejaVu not even an empty BT/ET or a font
            assert b"BT" not in ops and not page["/Resources"]["/Font"].get_object()


def test_encrypted_with_user_password(tmp_path):
    reader = PdfReader(pf.encrypted_pdf(tmp_path / "e.pdf"))
    assert reader.is_encrypted
    with pytest.raises(FileNotDecryptedError):
        reader.pages[0].extract_text()
    assert reader.decrypt("geheim")
    assert norm(pf.ENCRYPTED_TEXT) in norm(reader.pages[0].extract_text())
    assert PdfReader(tmp_path / "e.pdf").decrypt("eigenaar").name == "OWNER_PASSWORD"
    assert str(reader.trailer["/Encrypt"]["/CF"]["/StdCF"]["/CFM"]) == "/AESV2"


def test_encrypted_with_empty_user_password(tmp_path):
    reader = PdfReader(pf.encrypted_pdf(tmp_path / "e.pdf", user_password=""))
    assert reader.is_encrypted
    assert norm(pf.ENCRYPTED_TEXT) in norm(reader.pages[0].extract_text())


def _read_everything(path):
    reader = PdfReader(path)
    return [page.extract_text() for page in reader.pages]


@pytest.mark.parametrize(
    "make,error",
    [
        (pf.corrupt_pdf, PdfReadError),
        (pf.truncated_pdf, PdfStreamError),
        (pf.empty_file, EmptyFileError),
        (pf.not_a_pdf, PdfReadError),
        (lambda p: pf.not_a_pdf(p, kind="html"), PdfReadError),
    ],
    ids=["corrupt", "truncated", "empty", "zip", "html"],
)
def test_broken_files_raise(tmp_path, make, error):
    path = make(tmp_path / "broken.pdf")
    assert path.exists()
    with pytest.raises(error):
        _read_everything(path)


def test_broken_files_look_plausible(tmp_path):
    assert pf.corrupt_pdf(tmp_path / "c.pdf").read_bytes().startswith(b"%PDF-")
    full = pf.running_header_pdf(io.BytesIO()).getvalue()
    cut = pf.truncated_pdf(tmp_path / "t.pdf").read_bytes()
    assert full.startswith(cut) and len(cut) == int(len(full) * 0.6)
    assert pf.empty_file(tmp_path / "e.pdf").stat().st_size == 0
    assert zipfile.is_zipfile(pf.not_a_pdf(tmp_path / "z.pdf"))
    with pytest.raises(PdfReadError):
        PdfReader(pf.truncated_pdf(tmp_path / "s.pdf"), strict=True)


def test_malformed_loops(tmp_path):
    with pytest.raises(PdfReadError, match="cyclic"):
        _read_everything(pf.malformed_loop_pdf(tmp_path / "k.pdf"))
    reader = PdfReader(pf.malformed_loop_pdf(tmp_path / "p.pdf", kind="parent"))
    assert len(reader.pages) == 1
    with pytest.raises(LimitReachedError, match="cycle"):
        reader.pages[0].extract_text()
    assert not issubclass(LimitReachedError, PdfReadError)  # callers must catch PyPdfError
    prev_loop = pf.malformed_loop_pdf(tmp_path / "x.pdf", kind="prev")
    assert _read_everything(prev_loop) == ["Hallo wereld"]


def test_metadata_title_differs_from_first_heading(tmp_path):
    reader = PdfReader(pf.metadata_pdf(tmp_path / "m.pdf"))
    assert reader.metadata.title == pf.METADATA_TITLE
    assert reader.metadata.author == "Ministerie van OCW"
    assert lines_of(reader.pages[0])[0] == pf.METADATA_HEADING != pf.METADATA_TITLE
    assert PdfReader(pf.metadata_pdf(tmp_path / "n.pdf", title="Anders")).metadata.title == "Anders"
    assert PdfReader(pf.bullets_pdf(tmp_path / "b.pdf")).metadata.title == "untitled"


def test_html_injection_strings_survive_extraction(tmp_path):
    page = PdfReader(pf.html_injection_pdf(tmp_path / "i.pdf")).pages[0]
    text = page.extract_text()
    for s in pf.INJECTION_STRINGS:
        assert s in text
    assert any(ln.startswith("=HYPERLINK(") for ln in lines_of(page))


def test_english_pdf_is_mostly_english(tmp_path):
    words = PdfReader(pf.english_pdf(tmp_path / "en.pdf")).pages[0].extract_text().lower().split()
    english = sum(w in {"the", "and", "of", "for", "in", "to"} for w in words)
    dutch = sum(w in {"de", "het", "een", "en", "van", "voor"} for w in words)
    assert english > 10 * max(dutch, 1)


def test_large_pdf_is_fast(tmp_path):
    start = time.perf_counter()
    path = pf.large_pdf(tmp_path / "large.pdf")
    elapsed = time.perf_counter() - start
    assert elapsed < 30, f"large_pdf took {elapsed:.1f} s"
    reader = PdfReader(path)
    assert len(reader.pages) == 1200
    last = lines_of(reader.pages[-1])
    assert "Deel 1200" in last and last[-1] == "1200"
