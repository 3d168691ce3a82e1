"""The review loop: verdicts on links, labels and search results are stored by document and text,
survive a re-ingest and a reopen, act on the links when they are rebuilt, export in the eval and
training formats, and the CLI refuses bad input in Dutch."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from beleidsbank.cli import main
from beleidsbank.index import evaluate, relations
from beleidsbank.index.reviews import export, reviews_as_training
from beleidsbank.index.store import Store
from tests.test_store import parsed, put, unit_vectors

DIM = 8
# (text, kind) per passage; one statement per passage
DOC_A = [
    ("Er is een groot tekort aan technici in de regio.", "problem"),
    ("Het imago van techniek onder jongeren is negatief.", "problem"),
    ("Investeer in leraren en docenten techniek.", "recommendation"),
    ("Verbeter het beeld van technische beroepen bij ouders.", "recommendation"),
]
DOC_B = [
    ("Bedrijven vinden moeilijk stageplaatsen voor hun vakmensen.", "problem"),
    ("Scholen werken samen met bedrijven.", "other"),
]


def _put_doc(store: Store, doc_id: str, rows, seed: int) -> None:
    """Store a document with one statement per passage, like an ingest does."""
    doc = parsed(doc_id, [t for t, _ in rows], sha=f"sha-{doc_id}-{len(rows)}")
    vecs = unit_vectors(len(rows), DIM, seed=seed)
    put(store, doc, vecs)
    stmts = [
        SimpleNamespace(
            seq=i,
            start=p.start,
            end=p.end,
            page=p.page,
            page_label=p.page_label,
            section=p.section,
            section_path=p.section_path,
            kind=kind,
            confidence=0.8,
            cue="cue",
            unit="sentence",
            text=p.text,
        )
        for i, (p, (_, kind)) in enumerate(zip(doc.doc.passages, rows))
    ]
    with store.write():
        vectors = {s.seq: vecs[s.seq] for s in stmts if relations.needs_vector(s)}
        relations.put_statements(store, doc_id, stmts, doc.doc.passages, vectors)
        relations.rebuild(store)


def two_documents(tmp_path) -> Store:
    """A store holding DOC_A and DOC_B, with their statements and links."""
    s = Store.create(tmp_path / "data")
    _put_doc(s, "a", DOC_A, 0)
    _put_doc(s, "b", DOC_B, 1)
    return s


@pytest.fixture
def store(tmp_path):
    s = two_documents(tmp_path)
    yield s
    s.close()


def _by_text(store: Store, text: str):
    [s] = [s for s in store.statements() if s.text == text]
    return s


def _linked(store: Store, rec_text: str) -> list[tuple[str, int]]:
    [found] = store.links_for(rec_id=_by_text(store, rec_text).id)
    return [(p.problem.text, p.rank) for p in found.problems]


def _review_link(store, rec_text, prob_text, verdict):
    rec, prob = _by_text(store, rec_text), _by_text(store, prob_text)
    with store.write():
        store.put_review("link", rec.doc_id, rec.text, verdict, "test", other_doc=prob.doc_id, other_text=prob.text)


def test_a_rejected_link_disappears_and_a_confirmed_one_comes_first_after_rebuild(store):
    rec = DOC_A[2][0]
    before = [t for t, _ in _linked(store, rec)]
    assert before, "the fixture links the recommendation to some problem"
    rejected = before[0]
    confirmed = next(t for t, k in DOC_A + DOC_B if k == "problem" and t != rejected)
    _review_link(store, rec, rejected, "rejected")
    _review_link(store, rec, confirmed, "confirmed")
    for _ in range(2):  # at once, and after the links are computed anew
        after = _linked(store, rec)
        assert rejected not in [t for t, _ in after]
        assert after[0] == (confirmed, 0)
        with store.write():
            relations.rebuild(store)


def test_reviews_survive_a_reingest_that_renumbers_and_a_reopen(store, tmp_path):
    rec, prob = DOC_A[2][0], DOC_A[0][0]
    _review_link(store, rec, prob, "rejected")
    s = _by_text(store, DOC_A[3][0])
    with store.write():
        store.put_review("label", s.doc_id, s.text, "rejected", "test", label="neither")
    old_id = s.id
    # the document anew, with a passage before the others: every statement gets a new seq and id
    with store.write():
        store.delete_document("a")
    _put_doc(store, "a", [("Inleiding bij dit stuk over techniek.", "other")] + DOC_A, 0)
    store.close()
    again = Store.open(tmp_path / "data")
    try:
        assert len(again.reviews()) == 2
        moved = _by_text(again, DOC_A[3][0])
        assert moved.id != old_id and moved.kind == "other"  # the label holds on the renumbered statement
        assert prob not in [t for t, _ in _linked(again, rec)]
        assert again.statement_verdicts([moved.id])[moved.id].verdict == "rejected"
        assert again.link_verdicts(_by_text(again, rec).id)[_by_text(again, prob).id].verdict == "rejected"
    finally:
        again.close()


def test_a_new_verdict_on_the_same_subject_replaces_the_old(store):
    rec, prob = DOC_A[2][0], DOC_A[0][0]
    _review_link(store, rec, prob, "rejected")
    r, p = _by_text(store, rec), _by_text(store, prob)
    with store.write():  # the same texts with other spacing (as a re-parse may give them)
        store.put_review(
            "link", "a", f" {r.text}\n", "confirmed", "test", other_doc="a", other_text=p.text.replace(" ", "\n", 1)
        )
    [r] = store.reviews("link")
    assert r.verdict == "confirmed" and _linked(store, rec)[0] == (prob, 0)


def _write(tmp_path: Path, name: str, lines: list[dict]) -> Path:
    path = tmp_path / name
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    return path


def test_the_export_lines_parse_with_the_eval_loaders_and_score(store, tmp_path):
    rec, good, bad = DOC_A[3][0], DOC_A[1][0], DOC_B[0][0]
    _review_link(store, rec, good, "confirmed")
    _review_link(store, rec, bad, "rejected")
    label = _by_text(store, DOC_A[0][0])
    passage = store.document_passages("b")[0]
    with store.write():
        store.put_review("label", label.doc_id, label.text, "confirmed", "test", label="problem")
        store.put_review("result", "b", passage.text, "confirmed", "test", query="Waar vinden bedrijven stages?")
        store.put_review(
            "result", "a", "Een andere passage.", "rejected", "test", query="Waar vinden bedrijven stages?"
        )
        store.put_review("result", "a", "Alleen afgewezen.", "rejected", "test", query="What else?")

    links = evaluate.load_jsonl(_write(tmp_path, "links.jsonl", export(store, "link")))
    assert evaluate.gold_kind(links) == "links" and len(links) == 2
    result = evaluate.evaluate_links(store.statements(), store.ranked_links(), links, {})
    assert (result["pairs"], result["found"]) == (1, 1)  # the confirmed pair, first of its list
    assert {x["addresses"] for x in links} == {True, False} and all(x["split"] == "train" for x in links)

    problems = evaluate.load_jsonl(_write(tmp_path, "problems.jsonl", export(store, "label", "problem")))
    assert evaluate.gold_kind(problems) == "statements"
    assert evaluate.evaluate_statements(store.statements(), problems, "problem", {})["found"] == 1

    queries = evaluate.load_jsonl(_write(tmp_path, "queries.jsonl", export(store, "result")))
    assert (
        evaluate.gold_kind(queries) == "queries" and len(queries) == 1
    )  # a query with no confirmed result is left out
    [q] = queries
    assert q["lang"] == "nl" and [j["grade"] for j in q["judged"]] == [2, 0]
    hit = {"doc_id": "b", "text": passage.text}
    assert evaluate.score_query([hit], q["relevant"], {})["ndcg@10"] == 1.0

    training = reviews_as_training(store)
    assert [len(training[k]) for k in ("links", "queries", "labels")] == [2, 1, 1]


def _cli(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


@pytest.mark.parametrize(
    "args, message",
    [
        (["review", "link", "a:s9999", "a:s0000", "bevestig"], "Geen aanbeveling met id"),
        (["review", "link", "a:s0002", "a:s0003", "bevestig"], "Geen probleem met id"),  # a recommendation
        (["review", "link", "a:s0002", "a:s0000", "misschien"], "Onbekend oordeel"),
        (["review", "label", "x:s1", "ja"], "Geen uitspraak met id"),
        (["review", "label", "a:s0002", "nee", "--label", "beleid"], "Onbekend label"),
        (["review", "label", "a:s0002", "ja", "--label", "probleem"], "hoort bij verwerp"),
        (["review", "label", "a:s0002", "nee", "--label", "aanbeveling"], "al aanbeveling"),
        (["review", "label", "b:s0001", "nee"], "Geef met --label"),
        (["review", "result", "  ", "a:0000", "ja"], "De vraag is leeg"),
        (["review", "result", "vraag", "a:9999", "ja"], "Geen passage met id"),
    ],
)
def test_the_cli_refuses_bad_input_in_dutch_and_stores_nothing(store, args, message):
    result = _cli(*args, "--data-dir", store.data_dir)
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output
    assert store.reviews() == []


def test_the_cli_records_lists_and_exports(store):
    data = store.data_dir
    assert (
        _cli(
            "review", "link", "a:s0002", "a:s0000", "verwerp", "--note", "ander onderwerp", "--data-dir", data
        ).exit_code
        == 0
    )
    assert _cli("review", "label", "b:s0001", "nee", "--label", "probleem", "--data-dir", data).exit_code == 0
    assert _cli("review", "result", "Wie zoekt stages?", "b:0000", "ja", "--data-dir", data).exit_code == 0
    listed = _cli("reviews", "--data-dir", data)
    assert listed.exit_code == 0 and "afgewezen" in listed.output and "ander onderwerp" in listed.output
    lines = [json.loads(x) for x in _cli("reviews", "--json", "--data-dir", data).output.splitlines()]
    assert sorted(x["review"] for x in lines) == ["label", "link", "result"]
    assert _by_text(store, DOC_B[1][0]).kind == "problem"  # the label acts at once


# -- the real pipeline: a PDF ingested, reviewed, then changed and ingested anew --------------
KNELPUNTEN = [
    "Er is een groot tekort aan technisch geschoold personeel in de regio. Veel jongeren kiezen niet voor "
    "een technische opleiding omdat het imago van techniek negatief is.",
    "Bovendien hebben scholen te weinig bevoegde docenten voor de technische vakken, waardoor lessen uitvallen.",
]
AANBEVELINGEN = [
    "Wij adviseren het kabinet om structureel te investeren in de opleiding van docenten techniek.",
    "Scholen moeten samen met bedrijven gastlessen organiseren om het beeld van technische beroepen te verbeteren.",
]


def _report_pdf(path: Path, foreword: bool) -> Path:
    from tests.pdf_factory import wrap, write_text_pdf

    lines = [("Voorwoord", "h1"), *wrap("Dit rapport beschrijft de stand van het technisch onderwijs."), ""]
    lines = lines if foreword else []
    for title, paras in (("1 Knelpunten", KNELPUNTEN), ("2 Aanbevelingen", AANBEVELINGEN)):
        lines.append((title, "h1"))
        for p in paras:
            lines += [*wrap(p), ""]
    return write_text_pdf(path, [lines], title="Techniek in de regio")


def _starting(store: Store, words: str, kind: str | None = None):
    return next(s for s in store.statements() if s.text.startswith(words) and (kind is None or s.kind == kind))


def test_reviews_of_a_real_pdf_survive_its_reingest_and_a_restart(tmp_path, embedder):
    from beleidsbank.ingest.pipeline import ingest

    data, pdf = tmp_path / "data", _report_pdf(tmp_path / "rapport.pdf", foreword=False)
    assert not ingest([pdf], data, embedder=embedder).skipped
    store = Store.open(data)
    rec = _starting(store, "Wij adviseren", "recommendation")
    shortage, youth = _starting(store, "Er is een groot tekort"), _starting(store, "Veel jongeren")
    teachers = _starting(store, "Bovendien", "problem")
    passage = next(p for p in store.document_passages(rec.doc_id) if "Bovendien" in p.text)
    store.close()
    query = "Waarom vallen lessen techniek uit?"
    for args in (
        ["link", rec.id, youth.id, "verwerp"],
        ["link", rec.id, shortage.id, "bevestig"],
        ["label", teachers.id, "nee"],
        ["result", query, passage.id, "ja"],
    ):
        assert _cli("review", *args, "--data-dir", data).exit_code == 0

    # a foreword before the rest: every statement and passage is renumbered
    _report_pdf(pdf, foreword=True)
    assert not ingest([pdf], data, embedder=embedder).skipped
    store = Store.open(data)
    try:
        assert len(store.reviews()) == 4
        moved = _starting(store, "Wij adviseren")
        assert moved.id != rec.id
        [found] = store.links_for(rec_id=moved.id)
        texts = [p.problem.text for p in found.problems]
        assert texts[0] == shortage.text and found.problems[0].rank == 0
        assert youth.text not in texts and teachers.text not in texts
        assert _starting(store, "Bovendien").kind == "other"
        [line] = export(store, "result")
        held = [
            p for p in store.document_passages(moved.doc_id) if evaluate.holds(p.text, line["relevant"][0]["quote"])
        ]
        assert held and store.result_verdicts(query)[(moved.doc_id, evaluate.normalise(held[0].text))]
    finally:
        store.close()


def test_the_app_marks_and_hides_a_rejected_link(store, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("BELEIDSBANK_DATA", str(store.data_dir))
    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "ui" / "app.py"), default_timeout=120)
    at.switch_page("views/aanbevelingen.py").run()
    shown = [b for b in at.button if b.label == "Klopt niet"]
    assert shown, "a control next to each linked problem"
    shown[0].click().run()
    assert "afgewezen" in " ".join(m.value for m in at.success)
    [review] = store.reviews("link")
    assert review.verdict == "rejected" and review.who == "app"
    assert len([b for b in at.button if b.label == "Klopt niet"]) == len(shown) - 1  # the link is gone
    assert any("verborgen" in c.value for c in at.caption)
    [b for b in at.button if b.label == "Klopt"][0].click().run()
    assert "bevestigd" in " ".join(c.value for c in at.caption)
