"""Complete word search (index/find.py, `beleidsbank find`): the expression language, the
Dutch normalisation, and `find` against a brute-force scan of every passage, on a store ingested
from PDFs the test makes and on the shipped corpus."""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from beleidsbank.cli import main
from beleidsbank.index.analyzer import fold
from beleidsbank.index.find import FindCorpus, find
from beleidsbank.index.find_query import JOINERS, And, FindQueryError, Not, Or, Phrase, parse
from beleidsbank.index.records import Passage
from beleidsbank.index.store import Store
from beleidsbank.ingest.pipeline import ingest
from tests import pdf_factory as f
from tests.page_quality_fixtures import FakeEmbedder

# -- a brute-force scan: the matching rule of index/find.py's docstring, over atoms ------------

_ATOMS = re.compile(r"[^\W_]+")
_SOFT_GAP = re.compile(rf"\s+|[{re.escape(JOINERS)}]")


@functools.cache
def _atoms(text: str) -> tuple[list[str], list[bool]]:
    """The atoms of a text (folded as a whole) and, per gap between two atoms, whether it is soft."""
    t = fold(text).replace("\xad", "")
    found = list(_ATOMS.finditer(t))
    soft = [bool(_SOFT_GAP.fullmatch(t[a.end() : b.start()])) for a, b in zip(found, found[1:])]
    return [m.group() for m in found], soft


def _word_ends(atoms, soft, i, word) -> set[int]:
    """The atoms j such that atoms i..j (soft gaps between them) spell the word; a suffix word
    may start at any letter of atom i."""
    ends = set()
    for k in range(len(atoms[i]) if word.suffix else 1):
        acc = atoms[i][k:]
        for j in range(i, len(atoms)):
            if j > i:
                if not soft[j - 1]:
                    break
                acc += atoms[j]
            if acc.startswith(word.compact) if word.prefix else acc == word.compact:
                ends.add(j)
                break
            if not word.compact.startswith(acc):
                break
    return ends


def _holds(text: str, node) -> bool:
    if isinstance(node, Not):
        return not _holds(text, node.part)
    if isinstance(node, And):
        return all(_holds(text, p) for p in node.parts)
    if isinstance(node, Or):
        return any(_holds(text, p) for p in node.parts)
    atoms, soft = _atoms(text)
    for i in range(len(atoms)):
        starts = {i}
        for word in node.words:
            starts = {j + 1 for s in starts if s < len(atoms) for j in _word_ends(atoms, soft, s, word)}
        if starts:
            return True
    return False


def _scan(passages, expression: str) -> list[str]:
    node = parse(expression)
    return [p.id for p in passages if _holds(p.text, node)]


# -- passages without a store, for the rules ----------------------------------------------------


def _corpus(texts: list[str], docs=("a",)) -> FindCorpus:
    ps = [
        Passage(i, f"{docs[0]}:{i:04d}", docs[0], i, 1, 1, "1", "", "", "paragraph", 0, 0, t, (), "T", "T", "P", 2024)
        for i, t in enumerate(texts)
    ]
    return FindCorpus((0, ()), list(docs), ps)


VARIANTS = [
    "De zij-instroom van leraren groeit.",
    "Zijinstroom is belangrijk.",
    "Meer zij instroom in het onderwijs.",
    "Instroom en uitstroom van Leraren.",
    "Beïnvloeden van de ﬁnanciering door cao’s, d.w.z. afspraken.",
    "zij\u00adinstroom met een zacht afbreekteken",
    "Zij, instroom: twee woorden met een komma ertussen.",
]


def _ids(corpus, expression):
    return [int(h.passage.id.split(":")[1]) for h in corpus.find(expression).hits]


@pytest.mark.parametrize(
    "expression, expected",
    [
        ("zij-instroom", [0, 1, 2, 5]),
        ("zijinstroom", [0, 1, 2, 5]),
        ("ZIJ-Instroom", [0, 1, 2, 5]),
        ('"zij instroom"', [0, 2, 6]),  # a phrase: two words, punctuation between them allowed
        ("instroom", [0, 2, 3, 6]),  # a part of a hyphenated word, never inside a written-together one
        ("beinvloeden", [4]),
        ("financiering", [4]),  # the ligature folded
        ("caos", [4]),
        ("d.w.z.", [4]),
        ("zij*", [0, 1, 2, 5, 6]),
        ("zij-in*", [0, 1, 2, 5]),
        ("*instroom", [0, 1, 2, 3, 5, 6]),  # a suffix: also inside a word written together
        ("*stroo*", [0, 1, 2, 3, 5, 6]),
        ('"van *raren"', [0, 3]),
        ("instroom NOT zij", [3]),
        ("instroom NIET zij", [3]),
        ("instroom OF uitstroom", [0, 2, 3, 6]),
        ("leraren EN NIET zij*", [3]),
        ("(instroom OR zijinstroom) AND leraren", [0, 3]),
        ("en", [3]),  # lower case: a word, not an operator
        ("leraren of", []),
    ],
)
def test_normalised_matching(expression, expected):
    corpus = _corpus(VARIANTS)
    assert _ids(corpus, expression) == expected
    assert _scan(corpus.passages, expression) == [f"a:{i:04d}" for i in expected]


def test_spans_point_into_the_original_text():
    corpus = _corpus(VARIANTS)
    [hit] = corpus.find("beinvloeden financiering caos").hits
    assert [hit.passage.text[s:e] for s, e in hit.spans] == ["Beïnvloeden", "ﬁnanciering", "cao’s"]
    hits = corpus.find('zij-instroom OR "zij instroom"').hits
    assert [h.passage.text[s:e] for h in hits for s, e in h.spans] == [
        "zij-instroom",
        "Zijinstroom",
        "zij instroom",
        "zij\u00adinstroom",
        "Zij, instroom",
    ]
    assert corpus.find("NOT leraren").hits[0].spans == []  # a negated word is not shown
    hit = corpus.find("*instroom").hits[1]
    assert [hit.passage.text[s:e] for s, e in hit.spans] == ["Zijinstroom"]  # the whole word


@pytest.mark.parametrize(
    "expression, says",
    [
        ('"zij instroom', "aanhalingsteken"),
        ("(a OR b", "sluithaakje"),
        ("a)", "openingshaakje"),
        ("NOT", "NIET/NOT"),
        ("leraren NOT", "NIET/NOT"),
        ("leraren AND", "EN/AND"),
        ("OR leraren", "'OR'"),
        ("a OF OF b", "OF/OR"),
        ("()", "haakje"),
        ('""', "aanhalingstekens"),
        ("*", "*"),
        ("le*ren", "begin of eind van een woord"),
        ("**", "letter of cijfer"),
        ("& -", "geen woord"),
        ("   ", "leeg"),
        ("x" * 1001, "1000 tekens"),
        ("(" * 40 + "a" + ")" * 40, "genest"),
        (" ".join(["w"] * 65), "64 woorden"),
    ],
)
def test_bad_expressions_get_a_dutch_message(expression, says):
    with pytest.raises(FindQueryError, match=re.escape(says)):
        parse(expression)


def test_precedence_not_and_or():
    assert parse("a OR b c") == Or((Phrase(parse("a").words, "a"), And((parse("b"), parse("c")))))
    assert parse("NIET a b") == And((Not(parse("a")), parse("b")))
    assert parse('"OF"') == parse("of")


# -- a real store from PDFs the test makes --------------------------------------------------------

DOCS = {
    "beleid": [
        "Zij-instroom van leraren: een zij-instromer volgt een opleiding naast het werk. "
        "Scholen melden dat zijinstroom de tekorten niet oplost.",
        "De regio's werken samen met werkgevers. Het Ministerie van OCW financiert de pilots "
        "in het mbo, d.w.z. in roc's en aoc's.",
        "Leraren in het basisonderwijs beïnvloeden de keuze voor techniek; een tekort aan leraren remt dat.",
    ],
    "evaluatie": [
        "De evaluatie toont dat zij instroom in het voortgezet onderwijs groeit, maar uitstroom ook.",
        "Aanbeveling: investeer in begeleiding van starters en zij-instromers tijdens het eerste jaar.",
        "Kosten en baten: de financiering door gemeenten en provincies verschilt per regio.",
    ],
    "notitie": [
        "Deze notitie gaat over huisvesting en energie, niet over personeel.",
        "Coördinatie tussen gemeenten vraagt één aanspreekpunt per regio.",
    ],
}


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    root = tmp_path_factory.mktemp("find")
    for name, paragraphs in DOCS.items():
        (root / "pdfs").mkdir(exist_ok=True)
        blocks = [("h1", "1 Inleiding")] + [("body", p) for p in paragraphs]
        f.write_text_pdf(root / "pdfs" / f"{name}.pdf", f.flow(blocks))
    report = ingest([root / "pdfs"], root / "data", embedder=FakeEmbedder())
    assert sorted(report.added) == sorted(DOCS) and not report.skipped
    return root / "data"


@pytest.fixture(scope="module")
def store_corpus(store_dir):
    store = Store.open(store_dir)
    yield FindCorpus.build(store)
    store.close()


def _vocabulary(corpus: FindCorpus) -> list[str]:
    words = set()
    for p in corpus.passages:
        atoms, _ = _atoms(p.text)
        words.update(atoms)
        words.update(a + b for a, b in zip(atoms, atoms[1:]))  # written together
        words.update(f"{a}-{b}" for a, b in zip(atoms, atoms[1:]))  # hyphenated
        words.update(f'"{a} {b}"' for a, b in zip(atoms, atoms[1:]))  # a phrase
        words.update(a[:n] + "*" for a in atoms for n in (1, 2, 4) if len(a) > n)
        words.update("*" + a[-n:] for a in atoms for n in (3, 5) if len(a) > n)  # suffixes
        words.update("*" + a[1:n] + "*" for a in atoms for n in (4, 6) if len(a) > n)  # inside a word
    return sorted(words) + ["Zij-Instroom", "BEÏNVLOEDEN", "coordinatie", "bestaatniet", "x*"]


def _expressions(vocab: list[str]):
    term = st.sampled_from(vocab)
    op = st.sampled_from([" ", " AND ", " OR ", " NOT ", " EN ", " OF ", " NIET ", " OR NOT "])

    def grow(children):
        return st.one_of(
            st.tuples(children, op, children).map("".join),
            children.map(lambda c: f"({c})"),
            children.map(lambda c: f"NOT {c}"),
        )

    return st.recursive(term, grow, max_leaves=6)


def test_find_equals_a_scan_of_every_passage(store_corpus):
    vocab = _vocabulary(store_corpus)
    assert len(store_corpus.passages) >= 3

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(_expressions(vocab))
    def check(expression):
        assert [h.passage.id for h in store_corpus.find(expression).hits] == _scan(store_corpus.passages, expression)

    check()


def _run(*args):
    return CliRunner().invoke(main, ["find", *map(str, args)])


def test_cli_json_counts_every_document(store_dir):
    result = _run("zij-instroom OR zij-instromer*", "--json", "--data-dir", store_dir)
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert set(out) >= {"total", "per_document", "documents_without", "hits"}
    assert out["per_document"] and sum(out["per_document"].values()) == out["total"] == len(out["hits"])
    assert set(out["per_document"]) == {"beleid", "evaluatie"} and out["documents_without"] == ["notitie"]
    hit = out["hits"][0]
    assert set(hit) >= {"passage_id", "doc_id", "page", "page_label", "section", "text", "spans", "snippet"}
    assert all(fold(hit["text"][s:e]).startswith("zij") for s, e in hit["spans"])
    only = json.loads(_run("zij*", "--json", "--doc", "evaluatie", "--data-dir", store_dir).output)
    assert set(only["per_document"]) == {"evaluatie"} and only["documents_without"] == []


def test_cli_text_and_errors(store_dir, tmp_path):
    result = _run("financiering", "--data-dir", store_dir)
    assert result.exit_code == 0 and "1 passage met 1 vermelding in 1 document" in result.output
    assert "Geen vermelding in: beleid, notitie." in result.output and "»financiering«" in result.output
    assert "Geen passage bevat" in _run("bestaatniet", "--data-dir", store_dir).output
    for bad in ('"open', "a AND", "NOT", "(x", ""):
        result = _run(bad, "--data-dir", store_dir)
        assert result.exit_code == 2 and result.output.startswith("Fout: "), (bad, result.output)
        assert isinstance(result.exception, SystemExit)
    result = _run("leraren", "--data-dir", tmp_path / "nergens")
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_public_api(store_dir):
    import beleidsbank

    found = beleidsbank.find("zij*", beleidsbank.Settings.from_env(data_dir=store_dir), doc=["beleid"])
    assert found.total == found.per_document["beleid"] > 0 and found.documents_without == []


def test_find_follows_a_metadata_correction(store_dir):
    store = Store.open(store_dir)
    try:
        before = find(store, "financiering").hits[0].passage.publisher
        with store.write():
            store.set_meta_override("evaluatie", publisher="Inspectie van het Onderwijs")
        after = find(store, "financiering").hits[0].passage.publisher
    finally:
        store.close()
    assert before != after == "Inspectie van het Onderwijs"


# -- the shipped corpus -----------------------------------------------------------------------------


def test_find_equals_a_scan_on_the_shipped_corpus(corpus_data):
    store = Store.open(corpus_data)
    try:
        corpus = FindCorpus.build(store)
    finally:
        store.close()
    vocab = _vocabulary(corpus)

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True)
    @given(_expressions(vocab))
    def check(expression):
        assert [h.passage.id for h in corpus.find(expression).hits] == _scan(corpus.passages, expression)

    check()


# -- the app's "Alle vermeldingen" -------------------------------------------------------------------

ZOEKEN = str(Path(__file__).resolve().parent.parent / "ui" / "views" / "zoeken.py")


def test_app_mode_lists_every_mention(monkeypatch, store_dir):
    monkeypatch.setenv("BELEIDSBANK_DATA", str(store_dir))
    at = AppTest.from_file(ZOEKEN, default_timeout=60)
    at.session_state["vm_mode"] = "mentions"  # this mode needs no model (the store's is a fake one)
    at.run()
    assert at.radio(key="vm_mode").value == "mentions"
    at.text_input(key="vm_query").input("zij-instroom OR zij-instromer*").run()
    assert not at.exception, at.exception
    assert any("passages met" in c.value and "2 documenten" in c.value for c in at.caption)
    assert any("Geen vermelding in" in c.value for c in at.caption)
    assert list(at.get("dataframe")[0].value["Passages"]) and "<mark>" in " ".join(
        str(h.proto.body) for h in at.get("html")
    )
    at.text_input(key="vm_query").input('"open').run()
    assert not at.exception and any("aanhalingsteken" in i.value for i in at.info)


def test_app_mode_pages_through_hits(monkeypatch, store_dir):
    from beleidsbank.ui.views import vermeldingen

    monkeypatch.setattr(vermeldingen, "PAGE_SIZE", 1)
    monkeypatch.setenv("BELEIDSBANK_DATA", str(store_dir))
    at = AppTest.from_file(ZOEKEN, default_timeout=60)
    at.session_state["vm_mode"] = "mentions"
    at.run()
    at.text_input(key="vm_query").input("zij*").run()
    pages = at.number_input(key="vm_page")
    assert pages.value == 1 and pages.label.startswith("Pagina (van ")
    pages.set_value(2).run()
    numbers = [re.match(r"<p><b>(\d+)\.", str(h.proto.body)) for h in at.get("html")]
    assert [int(m.group(1)) for m in numbers if m] == [2]
    at.text_input(key="vm_query").input("zij* OR leraren").run()  # a new expression starts at page 1
    assert at.number_input(key="vm_page").value == 1 and not at.exception
