"""The learned reranker (index/rerank.py): its features on a small real store (PDFs made with
reportlab, real ingest, real FAISS and SQLite; vectors from a hash, no model), the fallback to
the plain hybrid when its file is missing or does not match, `--no-rerank`, and training on
judged queries moving the judged passages up."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np
import pytest
from click.testing import CliRunner

from beleidsbank.cli import main
from beleidsbank.cli_train import collect
from beleidsbank.index import rerank as rr
from beleidsbank.index import search as search_mod
from beleidsbank.index.search import Searcher
from beleidsbank.ingest.pipeline import ingest
from beleidsbank.settings import SearchParams
from tests import pdf_factory as f
from tests.page_quality_fixtures import FakeEmbedder

DOCS = {
    "techniekpact": [
        ("h1", "1 Inleiding"),
        ("body", "Het techniekpact brengt onderwijs, bedrijven en overheid samen rond technisch talent."),
        ("h1", "2 Knelpunten"),
        ("body", "Een groot knelpunt is het tekort aan leraren techniek in het voortgezet onderwijs."),
        ("body", "Ook ontbreekt het scholen aan moderne apparatuur voor praktijkonderwijs."),
        ("h1", "3 Aanbevelingen"),
        ("body", "Wij adviseren scholen om zij-instromers in het leraarschap intensief te begeleiden."),
        ("body", "Wij bevelen aan dat regio's investeren in gedeelde werkplaatsen met bedrijven."),
    ],
    "masterplan": [
        ("h1", "1 Aanleiding"),
        ("body", "De regio kampt met een tekort aan technici in de haven en de bouw."),
        ("body", "Bedrijven vinden moeilijk personeel met een technische opleiding."),
        ("h1", "2 Maatregelen"),
        ("body", "Het masterplan adviseert leerlingen vroeg kennis te laten maken met techniek."),
        ("body", "Gemeenten moeten stages bij bedrijven in de haven beter organiseren."),
    ],
    "evaluatie": [
        ("h1", "1 Samenvatting"),
        ("body", "De evaluatie beschrijft hoe scholen en bedrijven in de regio samenwerken."),
        ("body", "Het aantal leerlingen in technische opleidingen is licht gestegen."),
        ("h1", "2 Conclusies"),
        ("body", "De samenwerking tussen scholen en bedrijven verloopt beter dan verwacht."),
    ],
}
QUERIES = [
    ("q1", "Wat adviseren de bronnen over begeleiding van zij-instromers?", "zij-instromers in het leraarschap"),
    ("q2", "Welke knelpunten zijn er rond leraren techniek?", "tekort aan leraren techniek"),
    ("q3", "Wat wordt aanbevolen over werkplaatsen met bedrijven?", "investeren in gedeelde werkplaatsen"),
    ("q4", "Hoe kunnen leerlingen kennismaken met techniek?", "vroeg kennis te laten maken met techniek"),
    ("q5", "Welk probleem hebben bedrijven met personeel?", "moeilijk personeel met een technische"),
]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    root = tmp_path_factory.mktemp("rerank")
    (root / "pdfs").mkdir()
    for name, blocks in DOCS.items():
        f.write_text_pdf(root / "pdfs" / f"{name}.pdf", f.flow(blocks))
    report = ingest([root / "pdfs"], root / "data", embedder=FakeEmbedder())
    assert sorted(report.added) == sorted(DOCS) and not report.skipped
    return root / "data"


def _searcher(data, **params) -> Searcher:
    return Searcher(data, embedder=FakeEmbedder(), params=replace(SearchParams(), **params))


def _reversing_model(path) -> None:
    """A model that ranks by the hybrid's rank backwards: any reordering it causes is visible."""
    weights = np.zeros(len(rr.FEATURES))
    weights[rr.FEATURES.index("log_rank")] = 1.0
    rr.save(rr.Model(weights, np.zeros(len(rr.FEATURES)), np.ones(len(rr.FEATURES))), path)


def test_features_on_a_real_store(data):
    s = _searcher(data, rerank=False)
    query = "Wat adviseren de bronnen over begeleiding van zij-instromers?"
    hits = s.search(query, k=20)
    x = s.rerank_features(query, hits)
    assert x.shape == (len(hits), len(rr.FEATURES))
    col = {name: x[:, i] for i, name in enumerate(rr.FEATURES)}
    advice = next(i for i, h in enumerate(hits) if "zij-instromers" in h.text)
    assert col["cover"][advice] == pytest.approx(col["cover"].max()) and col["cover"][advice] > 0.5
    assert col["intent_match"][advice] == 1.0 and col["intent_miss"][advice] == 0.0
    assert (col["intent_match"] + col["intent_miss"] == 1.0).all()  # an advice question
    assert col["cover_section"][advice] == 0.0 or "Aanbevelingen" in hits[advice].section_path
    assert np.all(np.diff(col["log_rank"]) > 0) and col["fused_gap"].max() == 0.0
    for doc in {h.doc_id for h in hits}:
        share = [col["doc_share"][i] for i, h in enumerate(hits) if h.doc_id == doc]
        assert share[0] == pytest.approx(len(share) / len(hits))
    assert not col["en_dense"].any() and not col["en_cover"].any()  # a Dutch question
    s.close()


def test_missing_or_mismatched_file_falls_back_to_hybrid(data, tmp_path):
    plain = _searcher(data, rerank=False)
    query = "tekort aan technici en leraren"
    expected = [h.passage_id for h in plain.search(query, k=8)]
    bad = tmp_path / "other.json"
    _reversing_model(bad)
    d = json.loads(bad.read_text())
    bad.write_text(json.dumps({**d, "features": d["features"][:-1] + ["iets anders"]}))
    for path in (tmp_path / "missing.json", bad):
        s = _searcher(data, rerank_file=str(path))
        assert s.reranker is None
        assert [h.passage_id for h in s.search(query, k=8)] == expected
        s.close()
    good = tmp_path / "rerank.json"
    _reversing_model(good)
    s = _searcher(data, rerank_file=str(good), rerank_depth=8)
    hits = s.search(query, k=8)
    assert [h.passage_id for h in hits] == expected[::-1]
    assert [h.rank for h in hits] == list(range(1, len(expected) + 1)) and [h.score for h in hits] == sorted(
        (h.score for h in hits), reverse=True
    )
    assert [h.passage_id for h in s.search(query, k=8, rerank=False)] == expected
    assert [h.passage_id for h in s.search(query, k=8, mode="dense")] == [
        h.passage_id for h in plain.search(query, k=8, mode="dense")
    ]
    s.close()
    plain.close()


def test_no_rerank_flag(data, tmp_path, monkeypatch):
    model_file = tmp_path / "rerank.json"
    _reversing_model(model_file)
    monkeypatch.setattr(rr, "DEFAULT_FILE", model_file)
    monkeypatch.setattr(search_mod, "Embedder", lambda *a, **kw: FakeEmbedder())
    query = "samenwerking tussen scholen en bedrijven"
    args = ["search", query, "--data-dir", str(data), "--json", "-k", "5"]
    runner = CliRunner()
    reranked = runner.invoke(main, args)
    plain = runner.invoke(main, args + ["--no-rerank"])
    assert reranked.exit_code == 0 and plain.exit_code == 0, reranked.output + plain.output
    ids = [[h["passage_id"] for h in json.loads(r.output)] for r in (reranked, plain)]
    s = _searcher(data, rerank=False)
    assert ids[1] == [h.passage_id for h in s.search(query, k=5)]
    assert ids[0] != ids[1]
    s.close()


def test_training_moves_judged_passages_up(data, tmp_path):
    s = _searcher(data, rerank=False, rerank_depth=20)
    items = [
        {"id": qid, "query": q, "lang": "nl", "split": "train", "relevant": [{"doc": doc, "quote": quote, "grade": 2}]}
        for (qid, q, quote), doc in zip(
            QUERIES, ["techniekpact", "techniekpact", "techniekpact", "masterplan", "masterplan"]
        )
    ]
    groups = collect(s, items, {}, depth=20)
    assert len(groups) == len(items) and all(g.y.max() == 2 for g in groups)
    before = [int(np.argmax(g.y)) for g in groups]
    model = rr.fit([(g.x, g.y) for g in groups], l2=0.001)
    after = [int(np.sum(model.score(g.x) > model.score(g.x)[int(np.argmax(g.y))])) for g in groups]
    assert sum(after) < sum(before) and all(a <= b for a, b in zip(after, before))
    path = tmp_path / "trained.json"
    rr.save(model, path)
    trained = _searcher(data, rerank_file=str(path), rerank_depth=20)
    for (_qid, query, quote), b in zip(QUERIES, before):
        rank = next(h.rank for h in trained.search(query, k=20) if quote in h.text) - 1
        assert rank <= b
    trained.close()
    s.close()


def test_train_rerank_command(data, tmp_path, monkeypatch):
    monkeypatch.setattr(search_mod, "Embedder", lambda *a, **kw: FakeEmbedder())
    gold = tmp_path / "train.jsonl"
    docs = ["techniekpact", "techniekpact", "techniekpact", "masterplan", "masterplan"]
    lines = [
        {
            "id": qid,
            "query": q,
            "lang": "nl",
            "split": "valid" if qid == "q5" else "train",
            "relevant": [{"doc": doc, "quote": quote, "grade": 2}],
        }
        for (qid, q, quote), doc in zip(QUERIES, docs)
    ] + [{"id": "kapot", "query": "x", "relevant": [{"doc": 3}]}, {"id": "leeg", "query": "", "relevant": []}]
    gold.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines), encoding="utf-8")
    out = tmp_path / "model.json"
    result = CliRunner().invoke(main, ["train-rerank", str(gold), "--data-dir", str(data), "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert "valid all n=  1" in result.output and "herordend" in result.output
    model = rr.load(out)
    assert model is not None and model.info["queries"] == {"train": 4, "valid": 1, "reviews": 0}
    assert model.info["model"] == FakeEmbedder.name and rr.load(out, "een-ander-model") is None
    bad = CliRunner().invoke(main, ["train-rerank", str(gold), "--data-dir", str(data), "--data-dir", str(data)])
    assert bad.exit_code == 1 and "één --data-dir" in bad.output and "Traceback" not in bad.output


def test_a_result_review_is_training_data_for_the_reranker(data, tmp_path, monkeypatch):
    """A user's "relevant" on a search result (beleidsbank review result) joins the training
    queries of the next train-rerank and changes the model it writes: the confirmed passage
    ranks higher than with --no-reviews."""
    import shutil

    from beleidsbank.index.store import Store

    monkeypatch.setattr(search_mod, "Embedder", lambda *a, **kw: FakeEmbedder())
    copy = tmp_path / "data"
    shutil.copytree(data, copy)
    query = "Wat doen scholen en bedrijven samen in de regio?"
    s = _searcher(copy, rerank=False, rerank_depth=20)
    hits = s.search(query, k=20, rerank=False)
    target = hits[-1]  # the plain hybrid's last: the review has room to move it up
    s.close()
    store = Store.open(copy, write=True)
    with store.write():
        store.put_review("result", target.doc_id, target.text, "confirmed", "test", query=query)
    store.close()
    gold = tmp_path / "train.jsonl"
    docs = ["techniekpact", "techniekpact", "techniekpact", "masterplan", "masterplan"]
    gold.write_text(
        "\n".join(
            json.dumps({"id": qid, "query": q, "relevant": [{"doc": d, "quote": quote, "grade": 2}]})
            for (qid, q, quote), d in zip(QUERIES, docs)
        ),
        encoding="utf-8",
    )
    models = {}
    for flag in ("--reviews", "--no-reviews"):
        out = tmp_path / f"{flag}.json"
        args = ["train-rerank", str(gold), "--data-dir", str(copy), "--output", str(out), flag]
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 0, result.output
        models[flag] = rr.load(out)
    assert models["--reviews"].info["queries"]["reviews"] == 1
    assert models["--no-reviews"].info["queries"]["reviews"] == 0
    s = _searcher(copy, rerank=False, rerank_depth=20)
    x = s.rerank_features(query, s.search(query, k=20, rerank=False))
    s.close()

    def rank(model) -> int:
        scores = model.score(x)
        return int(np.sum(scores > scores[len(hits) - 1]))

    assert rank(models["--reviews"]) < rank(models["--no-reviews"])
