"""Property tests (hypothesis) of the cleaning and chunking steps on arbitrary page texts.

Pages are built directly as `ingest.pdf_reader.Page`/`Line` objects from
generated lines (any unicode, hyphenated breaks, bullets, numbering, digits,
very long lines, empty lines, varying type sizes and positions), then run
through `ingest.clean.build_blocks` and `ingest.passages.make_passages`. The
steps must never raise, and every passage must point at its own text.
"""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from beleidsbank.ingest.clean import build_blocks, join_hyphenated
from beleidsbank.ingest.passages import make_passages
from beleidsbank.ingest.pdf_reader import Line, Page

WORDS = [
    "techniek",
    "onderwijs",
    "het",
    "de",
    "mbo",
    "hbo",
    "Noord",
    "Brabant",
    "tekort",
    "aan",
    "technici",
    "arbeids",
    "markt",
    "en",
    "of",
    "2.1",
    "3",
    "IV",
    "§",
    "één",
    "reëel",
    "coördinatie",
    "e.g.",
    "Dr.",
    "enz.",
    "art.",
    "zij-instroom",
    "“citaat”",
    "‘x’",
    "(zie",
    "noot)",
]
PREFIXES = [
    "",
    "",
    "",
    "• ",
    "- ",
    "– ",
    "* ",
    "1. ",
    "2) ",
    "(a) ",
    "a. ",
    "3 ",
    "2.1 ",
    "2.1.1 ",
    "A ",
    "IV. ",
    "pagina ",
    "1 ",
    "†",
    "¹ ",
]
ENDINGS = ["", "", ".", ",", ";", ":", "-", "!", "?", "…", ".”", " -", "—"]

# arbitrary unicode text without surrogates (cannot be encoded) but with controls, marks, emoji
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=60)
words = st.lists(
    st.sampled_from(WORDS) | st.text(string.ascii_letters + "éëïöüß-'’", min_size=1, max_size=12),
    min_size=0,
    max_size=25,
).map(" ".join)
long_line = st.builds(lambda w, n: " ".join([w] * n), st.sampled_from(WORDS), st.integers(200, 1200))
line_text = st.one_of(
    st.builds(lambda p, w, e: p + w + e, st.sampled_from(PREFIXES), words, st.sampled_from(ENDINGS)),
    any_text,
    st.just(""),
    st.just("   "),
    st.from_regex(r"\d{1,4}", fullmatch=True),  # a page number
    st.from_regex(r"[ivxlc]{1,5}", fullmatch=True),  # a roman page number
    st.just("Evaluatie Techniekpact 2013-2020"),  # a running header
    long_line,
)
SIZES = [6.0, 8.0, 9.0, 11.0, 11.0, 11.0, 12.0, 13.5, 16.0, 24.0, 0.0]


@st.composite
def pages(draw):
    n_pages = draw(st.integers(1, 5))
    labels = draw(st.sampled_from(["numbers", "roman", "odd"]))
    out = []
    for n in range(1, n_pages + 1):
        label = {"numbers": str(n), "roman": ["i", "ii", "iii", "iv", "v"][n - 1], "odd": f"A-{n}"}[labels]
        height = draw(st.sampled_from([842.0, 595.0, 100.0, 0.0]))
        y = 780.0
        lines = []
        for _ in range(draw(st.integers(0, 25))):
            text = draw(line_text)
            size = draw(st.sampled_from(SIZES))
            x0 = draw(st.sampled_from([72.0, 72.0, 78.0, 98.0, 307.0, 0.0]))
            y -= draw(st.sampled_from([15.0, 15.0, 10.0, 28.0, 0.0, 40.0, -5.0]))
            lines.append(Line(text=text, x0=x0, x1=x0 + 6.0 * len(text), y=y, size=size))
        out.append(Page(number=n, label=label, height=height, lines=lines))
    return out


def check_doc(pages_in: list[Page]) -> None:
    blocks = build_blocks(pages_in)
    numbers = {p.number for p in pages_in}
    for b in blocks:
        assert b.kind in ("heading", "paragraph", "list_item", "footnote")
        assert b.page in numbers
        assert all(page in numbers for _, page in b.page_marks)
    labels = {p.number: p.label for p in pages_in}
    doc = make_passages(blocks, labels)
    last_end = -1
    for i, p in enumerate(doc.passages):
        assert p.seq == i
        assert 0 <= p.start <= p.end <= len(doc.text)
        assert doc.text[p.start : p.end] == p.text
        assert p.text.strip(), "empty passage"
        assert p.start >= last_end, "passages overlap or are out of order"
        last_end = p.end
        assert p.page in numbers and p.page_end in numbers
        assert p.page <= p.page_end, (p.page, p.page_end)
        assert p.page_label == labels[p.page]
        assert p.kind in ("heading", "paragraph", "list_item", "footnote", "mixed")
        assert p.sentences
        for s, e in p.sentences:
            assert 0 <= s < e <= len(p.text), (s, e, len(p.text))
        assert [s for s, _ in p.sentences] == sorted(s for s, _ in p.sentences)
    for start, end, block in doc.blocks:
        assert doc.text[start:end] == block.text.strip()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(pages())
def test_clean_and_chunk_never_fail(pages_in):
    check_doc(pages_in)


@settings(max_examples=200, deadline=None)
@given(any_text, any_text)
def test_join_hyphenated_keeps_all_text(left, right):
    joined = join_hyphenated(left, right)

    # the joined text holds both sides' non-space characters, at most minus one hyphen
    def chars(s):
        return "".join(s.split())

    got, want = chars(joined), chars(left) + chars(right)
    assert got == want or (got == want.replace("-", "", 1) and left.rstrip().endswith("-"))


def test_page_and_label_of_passages_follow_page_marks():
    """A paragraph that runs over a page break starts on the first page and ends on the second."""
    body = "Het tekort aan technici groeit in alle regio's van het land en vraagt om een aanpak"
    p1 = Page(1, "7", 842.0, [Line(body, 72, 500, 700, 11.0)])
    p2 = Page(2, "8", 842.0, [Line("die werkgevers en scholen samen uitvoeren.", 72, 400, 780, 11.0)])
    doc = make_passages(build_blocks([p1, p2]), {1: "7", 2: "8"})
    [p] = doc.passages
    assert (p.page, p.page_end, p.page_label) == (1, 2, "7")
