"""Cleaning and passage cutting on small PDFs with real-world layouts (made by pdf_factory)."""

import re

import pytest

from beleidsbank.ingest.clean import build_blocks, join_hyphenated
from beleidsbank.ingest.passages import MAX_WORDS, make_passages
from beleidsbank.ingest.pdf_reader import read_pdf
from tests import pdf_factory as f


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def blocks_of(path):
    return build_blocks(read_pdf(path).pages)


def body_text(blocks):
    return squash(" ".join(b.text for b in blocks if b.kind != "footnote"))


def test_running_header_and_page_numbers_removed(tmp_path):
    path = f.running_header_pdf(tmp_path / "rh.pdf", pages=4)
    blocks = blocks_of(path)
    text = body_text(blocks)
    assert "Evaluatie Techniekpact 2013-2020" not in text
    expected = squash(" ".join(" ".join(ln for ln in page if ln) for page in f.running_header_pages(4)))
    assert text == expected  # nothing lost, nothing added, sentences joined across pages
    assert not any(re.fullmatch(r"\d+", b.text) for b in blocks)


def test_sentence_continues_across_page_break(tmp_path):
    path = f.running_header_pdf(tmp_path / "rh.pdf", pages=3)
    pages = f.running_header_pages(3)
    last_line_p1, first_line_p2 = pages[0][-1], pages[1][0]
    blocks = blocks_of(path)
    holder = [b for b in blocks if last_line_p1 in b.text]
    assert holder and first_line_p2 in holder[0].text
    assert [p for _, p in holder[0].page_marks] == [1, 2]


def test_hyphenation_joined(tmp_path):
    text = body_text(blocks_of(f.hyphenation_pdf(tmp_path / "h.pdf")))
    for word in f.EXPECTED_JOINS + f.EXPECTED_KEPT_HYPHENS:
        assert re.search(rf"\b{re.escape(word)}\b", text), word
    assert f.EXPECTED_SUSPENDED in text
    assert "Techno-" not in text and "tech- nisch" not in text


@pytest.mark.parametrize(
    "left,right,joined",
    [
        ("het Techno-", "polis rapport", "het Technopolis rapport"),
        ("basis-", "en voortgezet", "basis- en voortgezet"),
        ("Noord-", "Holland", "Noord-Holland"),
        ("de mbo-", "instellingen", "de mbo-instellingen"),
        ("2013-", "2020", "2013-2020"),
        ("zonder", "afbreking", "zonder afbreking"),
    ],
)
def test_join_hyphenated_rules(left, right, joined):
    assert join_hyphenated(left, right) == joined


def test_footnotes_separated(tmp_path):
    blocks = blocks_of(f.footnote_pdf(tmp_path / "fn.pdf"))
    notes = [b for b in blocks if b.kind == "footnote"]
    assert [squash(b.text) for b in notes] == [f"{n} {t}" for n, t in sorted(f.FOOTNOTES.items())]
    body = body_text(blocks)
    for expected in f.FOOTNOTE_BODY:
        assert squash(expected) in body  # markers dropped, text intact
    assert "Bron: CBS" not in body


def test_two_columns_read_in_order(tmp_path):
    blocks = blocks_of(f.two_column_pdf(tmp_path / "2c.pdf"))
    assert blocks[0].kind == "heading" and blocks[0].text == f.TWO_COLUMN_HEADING
    text = body_text(blocks)
    order = [f.LEFT_COLUMN, f.RIGHT_COLUMN, f.LEFT_COLUMN_2, f.RIGHT_COLUMN_2]
    positions = [text.find(squash(p)) for p in order]
    assert all(p >= 0 for p in positions), positions
    assert positions == sorted(positions)


def test_bullets_and_numbered_items_are_units(tmp_path):
    blocks = blocks_of(f.bullets_pdf(tmp_path / "b.pdf"))
    items = [squash(re.sub(r"^(•|-|\d+\.)\s+", "", b.text)) for b in blocks if b.kind == "list_item"]
    expected = f.BULLET_ITEMS + f.DASH_ITEMS + f.NUMBERED_ITEMS + f.KNELPUNTEN_ITEMS
    assert items == [squash(x) for x in expected]
    sections = {b.section[-1] for b in blocks if b.kind == "list_item"}
    assert sections == {"Aanbevelingen", "Knelpunten"}


def test_heading_section_paths(tmp_path):
    blocks = blocks_of(f.headings_pdf(tmp_path / "hd.pdf"))
    paths = [list(b.section) for b in blocks if b.kind == "heading"]
    assert paths == f.EXPECTED_SECTION_PATHS
    trap = next(b for b in blocks if b.text.startswith("40 procent"))
    assert trap.kind == "paragraph"  # a sentence starting with a number is no heading


def test_passages_offsets_sections_and_size(tmp_path):
    path = f.headings_pdf(tmp_path / "hd.pdf")
    content = read_pdf(path)
    doc = make_passages(build_blocks(content.pages), {p.number: p.label for p in content.pages})
    assert doc.passages
    for p in doc.passages:
        assert doc.text[p.start : p.end] == p.text
        assert len(p.text.split()) <= MAX_WORDS * 1.3 + 20
        for s, e in p.sentences:
            assert 0 <= s < e <= len(p.text)
    knelpunten = [p for p in doc.passages if p.section == "2.1.1 Knelpunten"]
    assert knelpunten and knelpunten[0].section_path.endswith("2.1 Kiezen voor techniek > 2.1.1 Knelpunten")
    assert knelpunten[0].text.startswith("2.1.1 Knelpunten")  # heading kept with its first passage


def test_page_labels_from_pdf(tmp_path):
    import pypdf

    src = f.running_header_pdf(tmp_path / "rh.pdf", pages=3, first_page_number=7)
    writer = pypdf.PdfWriter(clone_from=str(src))
    writer.set_page_label(0, 2, style="/D", start=7)
    labelled = tmp_path / "labelled.pdf"
    writer.write(str(labelled))
    content = read_pdf(labelled)
    assert [p.label for p in content.pages] == ["7", "8", "9"]
    doc = make_passages(build_blocks(content.pages), {p.number: p.label for p in content.pages})
    last = doc.passages[-1]
    assert (last.page, last.page_label) == (3, "9")


def test_reference_markers_stay_with_their_sentence():
    from beleidsbank.ingest.nlp import sentence_spans

    text = (
        "Slechts 19 procent werkt in een technologisch beroep. (1,2) Ook later gaat talent verloren. "
        "Zie ook (Bron, 2020) voor meer."
    )
    sents = [text[a:b] for a, b in sentence_spans([text])[0]]
    assert sents == [
        "Slechts 19 procent werkt in een technologisch beroep. (1,2)",
        "Ook later gaat talent verloren.",
        "Zie ook (Bron, 2020) voor meer.",
    ]


def test_running_header_of_a_few_pages_is_dropped():
    """A header that stands on only a few of many pages ("ii SAMENVATTING EN CONCLUSIE" on the
    summary's even pages) is furniture when it carries the page's own printed number; a
    heading at the top of a page that happens to start with a number is kept."""
    from beleidsbank.ingest.clean import remove_furniture
    from beleidsbank.ingest.pdf_reader import Line, Page

    def page(n: int, label: str, top: str) -> Page:
        body = [Line(f"Gewone tekst regel {k} op pagina {n}.", 72, 500, 700 - 14 * k, 10) for k in range(1, 30)]
        return Page(n, label, 842, [Line(top, 72, 400, 800, 9)] + body)

    labels = ["i", "ii", "iii", "iv", "v", "vi"] + [str(k) for k in range(1, 25)]
    WORDS = dict(
        enumerate(
            "aanpak beleid cijfers doelen effecten financiering groei hbo instroom jongeren kennis "
            "leraren mbo netwerken onderwijs praktijk regio scholen talent uitstroom vmbo werkgevers "
            "zij-instroom arbeid bedrijven curricula doorstroom evaluatie techniek inclusie".split(),
            start=1,
        )
    )
    pages = [
        page(
            n,
            lab,
            f"{lab} SAMENVATTING EN CONCLUSIE"
            if n in (2, 4, 6)
            else ("3 Methoden van onderzoek" if lab == "3" else f"Hoofdstuk over {WORDS[n]}"),
        )
        for n, lab in enumerate(labels, start=1)
    ]
    out = remove_furniture(pages)
    tops = {p.label: p.lines[0].text for p in out}
    assert all("SAMENVATTING" not in p.lines[0].text for p in out)
    assert tops["3"] == "3 Methoden van onderzoek"
    assert tops["i"] == "Hoofdstuk over aanpak"


def test_priority_titles_in_the_body_font_are_headings():
    """Numbered priorities set in the body font: a bare number on its own line, a title of up to
    12 words set off by a paragraph gap, a title at the foot of a page, and glued numbers
    ("8Maak ...") that make siblings, not a staircase of sub-sections."""
    from beleidsbank.ingest.pdf_reader import Line, Page

    def para(y: float, n: int, first: str) -> list[Line]:
        words = "onderwijs en bedrijfsleven werken samen aan de regionale aanpak van het tekort".split()
        lines = [Line(first + " " + " ".join(words[:6]), 72, 500, y, 10)]
        lines += [Line(" ".join(words[k % 5 : k % 5 + 8]), 72, 500, y - 13 * k, 10) for k in range(1, n)]
        lines[-1] = Line(lines[-1].text + ".", 72, 300, lines[-1].y, 10)
        return lines

    p1 = (
        [Line("De tien prio's", 72, 200, 800, 14)]
        + para(770, 4, "Samen")
        + [
            Line("3", 72, 80, 700, 10),
            Line("Geef kinderen en jongeren ruimte om te ontdekken en te experimenteren", 72, 400, 680, 10),
            *para(660, 4, "Talent"),
            Line("8Maak arbeidsmarktperspectief inzichtelijk", 72, 260, 580, 10),
            *para(560, 3, "Jongeren"),
            Line("9Zorg voor inclusieve leer- en werkomgevingen", 72, 270, 100, 10),
        ]
    )
    p2 = (
        para(800, 3, "Talent")
        + [Line("10Stimuleer een leven lang ontwikkelen", 72, 250, 740, 10)]
        + para(720, 3, "Kennis")
    )
    blocks = build_blocks([Page(1, "1", 842, p1), Page(2, "2", 842, p2)])
    heads = [(b.text, b.level) for b in blocks if b.kind == "heading"]
    titles = [t for t, _ in heads]
    assert "Geef kinderen en jongeren ruimte om te ontdekken en te experimenteren" in titles
    # a glued number is set apart, as a reader sees it
    assert "9 Zorg voor inclusieve leer- en werkomgevingen" in titles
    levels = {t: lv for t, lv in heads}
    assert (
        levels["8 Maak arbeidsmarktperspectief inzichtelijk"]
        == levels["9 Zorg voor inclusieve leer- en werkomgevingen"]
        == levels["10 Stimuleer een leven lang ontwikkelen"]
    )
    # the paragraphs are not taken for titles
    assert not any(t.startswith(("Samen", "Talent", "Jongeren", "Kennis")) for t in titles)


def test_table_cells_set_line_under_line_are_not_one_sentence():
    """Short lines that end no sentence, each starting with a capital, are cells or labels (one
    block each); a short line that ends on "de" or a comma goes on in the next one."""
    from beleidsbank.ingest.pdf_reader import Line, Page

    prose = "De regionale aanpak van het tekort aan technici vraagt om samenwerking tussen partijen"
    lines = [Line(prose, 72, 500, 800 - 13 * k, 10) for k in range(6)]
    lines[-1] = Line("en om een gedeelde agenda.", 72, 230, lines[-1].y, 10)
    cells = [
        "Instroom van nieuwe, adequaat opgeleide",
        "technici op alle beroepsniveaus",
        "Snel verouderde technische kennis",
        "Stijgende vraag naar personeel",
    ]
    lines += [Line(t, 72, 72 + 5 * len(t), 700 - 13 * k, 10) for k, t in enumerate(cells)]
    lines += [
        Line("Meer over de versterking van de", 72, 200, 640, 10),
        Line("Nederlandse talentketen voor technologie.", 72, 280, 627, 10),
    ]
    blocks = build_blocks([Page(1, "1", 842, lines)])
    texts = [squash(b.text) for b in blocks]
    assert "Instroom van nieuwe, adequaat opgeleide technici op alle beroepsniveaus" in texts
    assert "Snel verouderde technische kennis" in texts
    assert "Stijgende vraag naar personeel" in texts
    assert "Meer over de versterking van de Nederlandse talentketen voor technologie." in texts
    assert any(t.endswith("en om een gedeelde agenda.") and t.startswith("De regionale aanpak") for t in texts)
