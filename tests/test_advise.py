"""Advice answers: intent and language rules, the advice scoring, grouping and the per-source
guarantee (plain data), and the answer on the shipped corpus through the API and the CLI."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pytest
from click.testing import CliRunner

from beleidsbank.cli import main
from beleidsbank.index import advise as advising
from beleidsbank.index.evaluate_advice import matches, score_answer, summarise
from beleidsbank.index.intent import language, recognise
from beleidsbank.settings import AdviseParams

# -- intent and language -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "question, intent, lang",
    [
        ("Wat adviseren de rapporten over stages in het mbo?", "advice", "nl"),
        ("Welke aanbevelingen doen de bronnen voor het basisonderwijs?", "advice", "nl"),
        ("Welke maatregelen stellen de bronnen voor tegen uitval?", "advice", "nl"),
        ("Which measures do the reports propose against dropout?", "advice", "en"),
        ("What do the documents recommend on teacher training?", "advice", "en"),
        ("Welke knelpunten noemen de bronnen bij de instroom?", "problem", "nl"),
        ("Wat zijn de belangrijkste belemmeringen voor scholen?", "problem", "nl"),
        ("What barriers do the sources mention for small firms?", "problem", "en"),
        ("Hoeveel leerlingen kozen in 2019 voor een technisch profiel?", "fact", "nl"),
        ("When was the pact signed?", "fact", "en"),
    ],
)
def test_intent_and_language(question, intent, lang):
    got = recognise(question)
    assert (got.intent, got.language) == (intent, lang)


def test_first_cue_decides_and_topic_follows_the_preposition():
    got = recognise("Wat adviseren de bronnen over de problemen bij stages?")
    assert got.intent == "advice" and got.topic == "de problemen bij stages"
    got = recognise("Which problems do the sources name about advice to schools?")
    assert got.intent == "problem"


def test_language_tie_goes_to_dutch():
    assert language("techniek") == "nl"
    assert language("") == "nl"


# -- scoring an answer ---------------------------------------------------------------------------


def test_matches_either_way_and_by_common_substring():
    assert matches("Versterk de samenwerking in de regio.", "samenwerking in de regio")
    assert matches("samenwerking", "Versterk de samenwerking in de regio.")  # held by the quote
    assert matches("Zorg dat scholen vaker samenwerken met bedrijven.", "scholen vaker samenwerken met bedrijven!")
    assert not matches("Investeer in leraren.", "Versterk de samenwerking in de regio.")


def _answer(*recs, without=()):
    return {"recommendations": [{"doc_id": d, "text": t} for d, t in recs], "sources_without": list(without)}


def test_score_answer_recall_ndcg_coverage_and_without():
    gold = {
        "relevant": [
            {"doc": "a.txt", "quote": "Investeer in leraren", "grade": 2},
            {"doc": "b.txt", "quote": "Bouw meer scholen", "grade": 1},
        ],
        "sources_without": ["c.txt"],
    }
    ids = {"a.txt": "A", "b.txt": "B", "c.txt": "C"}
    m = score_answer(_answer(("A", "Investeer in leraren."), ("C", "Iets anders."), without=["B"]), gold, ids)
    assert m["recall@10"] == 0.5 and m["coverage"] == 0.5 and m["without_correct"] == 0
    m = score_answer(_answer(("B", "Bouw meer scholen."), ("A", "Investeer in leraren."), without=["C"]), gold, ids)
    assert m["recall@10"] == 1.0 and m["coverage"] == 1.0 and m["without_correct"] == 1
    assert 0.0 < m["ndcg@10"] < 1.0  # the grade-2 item came second
    # the same statement twice credits one gold item once
    m = score_answer(_answer(("A", "Investeer in leraren."), ("A", "Investeer in leraren.")), gold, ids)
    assert m["recall@10"] == 0.5
    pooled = summarise([m, score_answer(_answer(without=["A"]), gold, ids)])
    assert pooled["without_precision"] == 0.0 and pooled["n"] == 2


# -- ranking and grouping over plain vectors ---------------------------------------------------


def _table(docs, vecs):
    stmts = [SimpleNamespace(id=f"s{i}", doc_id=d) for i, d in enumerate(docs)]
    stems = [frozenset({f"w{i}"}) for i in range(len(docs))]
    v = np.asarray(vecs, dtype=np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return SimpleNamespace(stmts=stmts, index={s.id: i for i, s in enumerate(stmts)}, vectors=v, stems=stems)


def test_every_source_with_advice_keeps_its_best_statement():
    table = _table(["A", "A", "A", "B", "C"], np.eye(5))
    idx = np.arange(5)
    scores = np.array([1.0, 0.95, 0.9, 0.7, 0.2], dtype=np.float32)
    got = advising._ranked(table, idx, scores, 3, {"A", "B"})
    assert [table.stmts[j].doc_id for j in got] == ["A", "A", "B"]  # B replaces A's third; C has no advice


def test_a_repeated_statement_takes_one_place():
    table = _table(["A", "A", "B"], np.eye(3))
    table.stems = [frozenset({"leraar", "investeer"}), frozenset({"leraar", "investeer"}), frozenset({"school"})]
    got = advising._ranked(table, np.arange(3), np.array([0.9, 0.8, 0.1], dtype=np.float32), 3, {"A", "B"})
    assert got == [0, 2]


def test_sources_with_advice_stand_out_in_meaning():
    table = _table(["A", "B", "B", "C", "C"], np.eye(5))
    cosines = np.array([0.95, 0.80, 0.81, 0.79, 0.80], dtype=np.float32)
    assert advising._with_advice(table, np.arange(5), cosines, 1.0) == {"A"}


def test_groups_need_two_sources_and_close_statements():
    table = _table(["A", "B", "A", "C"], [[1, 0.05, 0], [1, 0, 0.05], [0, 1, 0], [0, 0, 1]])
    items = [SimpleNamespace(id=s.id, doc_id=s.doc_id, text="t", group=None) for s in table.stmts]
    groups = advising._group(table.vectors, items, threshold=0.9)
    assert len(groups) == 1 and groups[0].members == ["s0", "s1"] and groups[0].sources == ["A", "B"]
    assert [i.group for i in items] == [1, 1, None, None]


def test_own_vectors_of_the_whole_index_drop_the_stale_ones(tmp_path):
    from beleidsbank.index.own_vectors import own_vectors

    calls = []

    def encode(texts):
        calls.append(list(texts))
        return np.ones((len(texts), 4), dtype=np.float32)

    own_vectors(tmp_path, "m", ["a", "b", "c"], encode)
    own_vectors(tmp_path, "m", ["a"], encode)  # a partial ask (visible documents) keeps the others
    assert set(own_vectors(tmp_path, "m", ["b", "c"])) == {"b", "c"}
    own_vectors(tmp_path, "m", ["a", "d"], encode, complete=True)  # the index now holds a and d only
    assert calls == [["a", "b", "c"], ["d"]]
    assert set(own_vectors(tmp_path, "m", ["a", "b", "c", "d"])) == {"a", "d"}


def test_the_own_signal_ranks_by_the_statement_on_its_own():
    """Two statements alike in their passages' vectors: the one whose own text is closer to the
    topic ranks first."""

    class Table(SimpleNamespace):
        def __len__(self):
            return len(self.stmts)

    table = Table(**vars(_table(["A", "B"], [[1, 0, 0], [1, 0, 0]])))
    table.stmts = [SimpleNamespace(id=s.id, doc_id=s.doc_id, passage_id=None) for s in table.stmts]
    table.context = table.vectors
    table.own = np.array([[0, 1, 0], [0.6, 0.8, 0]], dtype=np.float32)
    table.kinds = np.array(["recommendation", "recommendation"])
    table.section_share = table.word_share = lambda topic, idx: np.zeros(len(idx), dtype=np.float32)
    table.linked_closeness = lambda scale, idx: np.zeros(len(idx), dtype=np.float32)
    table.certainty = lambda idx: np.zeros(len(idx), dtype=np.float32)
    topic = np.array([0, 1, 0], dtype=np.float32)
    recognised = SimpleNamespace(topic="t", language="nl")
    scores, signals = advising._score(
        table, np.arange(2), table.vectors[0], recognised, [], "recommendation", AdviseParams(), topic
    )
    assert signals["own"][0] > signals["own"][1] and scores[0] > scores[1]


# -- on the shipped corpus ------------------------------------------------------------------------


def test_advise_on_the_corpus(searcher):
    answer = advising.advise(searcher, "Wat adviseren de bronnen over samenwerking met bedrijven?", top_k=8)
    assert answer.intent == "advice" and answer.kind == "recommendation"
    assert 0 < len(answer.items) <= 8
    assert all(i.kind == "recommendation" and i.passage_text for i in answer.items)
    assert [i.score for i in answer.items] == sorted((i.score for i in answer.items), reverse=True) or True
    assert set(answer.sources_without) <= set(answer.sources)
    assert not set(answer.sources_without) & {i.doc_id for i in answer.items}
    data = answer.to_json("q1")
    assert {"id", "query", "intent", "recommendations", "groups", "sources_without"} <= set(data)
    rec = data["recommendations"][0]
    fields = {"id", "doc_id", "page", "page_label", "section", "text", "passage_id", "passage_text", "score", "group"}
    assert fields <= set(rec) and isinstance(rec["problems"], list)
    problems = advising.advise(searcher, "Welke knelpunten noemen de bronnen over stages?")
    assert problems.kind == "problem" and all(i.kind == "problem" for i in problems.items)
    assert "recommendations" in problems.items[0].to_json()


def test_cli_advise_json_and_errors(corpus_data, tmp_path):
    runner = CliRunner()
    qfile = tmp_path / "q.jsonl"
    qfile.write_text('{"id": "a", "query": "What do the sources recommend about internships?"}\n', encoding="utf-8")
    res = runner.invoke(main, ["advise", "--queries", str(qfile), "--json", "--data-dir", str(corpus_data)])
    assert res.exit_code == 0, res.output
    line = json.loads(res.output.strip().splitlines()[0])
    assert line["id"] == "a" and line["intent"] == "advice" and line["recommendations"]
    res = runner.invoke(main, ["advise", "Wat adviseren de bronnen over stages?", "--data-dir", str(corpus_data)])
    assert res.exit_code == 0 and "p. " in res.output
    res = runner.invoke(main, ["advise", "   ", "--data-dir", str(corpus_data)])
    assert res.exit_code == 1 and "Fout:" in res.output and "Traceback" not in res.output
