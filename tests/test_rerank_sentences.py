"""The reranker's sentence vectors (index/sentence_vectors.py): kept by ingest for every sentence
of every passage, keyed exactly, rebuilt for an index that lacks them, and an index without them
searching with the plain hybrid. Real PDFs (reportlab), real ingest, FAISS and SQLite; vectors
from a hash of the text (no model), span vectors from a hash of the span's text."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from beleidsbank.index import rerank as rr
from beleidsbank.index import sentence_vectors as sv
from beleidsbank.index.search import Searcher
from beleidsbank.ingest.pipeline import ingest
from beleidsbank.settings import SearchParams
from tests import pdf_factory as f
from tests.page_quality_fixtures import FakeEmbedder

BLOCKS = [
    ("h1", "1 Knelpunten"),
    ("body", "Scholen missen leraren techniek. Het vertrek van ervaren docenten raakt kleine scholen hard."),
    ("body", "Bedrijven vinden moeilijk personeel met een technische opleiding in de regio."),
    ("h1", "2 Aanbevelingen"),
    ("body", "Wij adviseren regio's om gedeelde werkplaatsen in te richten. Gemeenten betalen mee."),
]


class SpanEmbedder(FakeEmbedder):
    """FakeEmbedder whose span vectors are the hash vector of the span's own text."""

    def encode_passages_with_spans(self, texts, spans, progress=None):
        self.calls = getattr(self, "calls", 0) + 1
        return self.encode_statements(texts), [[self._vec(t[a:b]) for a, b in sp] for t, sp in zip(texts, spans)]


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    root = tmp_path_factory.mktemp("sentences")
    (root / "pdfs").mkdir()
    f.write_text_pdf(root / "pdfs" / "plan.pdf", f.flow(BLOCKS))
    report = ingest([root / "pdfs"], root / "data", embedder=SpanEmbedder())
    assert report.added == ["plan"]
    return root / "data"


def _passages(data):
    s = Searcher(data, embedder=SpanEmbedder(), params=replace(SearchParams(), rerank=False))
    with s.store.read():
        passages = list(s.store.passages(s.store.passage_rowids().tolist()).values())
    s.close()
    return passages


def test_ingest_keeps_a_vector_per_sentence(data):
    kept = sv.load(data / "index", FakeEmbedder.name)
    passages = _passages(data)
    assert passages and len(kept) == len(passages)
    emb = SpanEmbedder()
    for p in passages:
        rows = kept.get(sv.passage_key(p.text, p.sentences))
        assert rows.dtype == np.float16 and rows.shape == (len(p.sentences), FakeEmbedder.dim)
        for (a, b), row in zip(p.sentences, rows):
            assert np.allclose(row.astype(np.float32), emb._vec(p.text[a:b]), atol=2e-3)
    assert not len(sv.load(data / "index", "een-ander-model"))  # kept per model


def test_best_sentence_cosine_finds_the_sentence(data):
    s = Searcher(data, embedder=SpanEmbedder(), params=replace(SearchParams(), rerank=False))
    sentence = "Het vertrek van ervaren docenten raakt kleine scholen hard."
    hits = s.search(sentence, k=10)
    cos = s.sentence_cosines(hits, SpanEmbedder().encode_query(sentence))
    holder = next(i for i, h in enumerate(hits) if sentence in h.text)
    assert cos[holder, 0] == pytest.approx(1.0, abs=2e-3) and cos[holder, 0] > np.delete(cos[:, 0], holder).max()
    x = s.rerank_features(sentence, hits)
    col = {name: x[:, i] for i, name in enumerate(rr.FEATURES)}
    assert col["sent_gap"][holder] == 0.0 and col["sent_lift"][holder] > 0.5  # one sentence of a longer passage
    s.close()


def test_keys_are_exact_and_stale_passages_go(tmp_path):
    rows = np.ones((2, 4), dtype=np.float16)
    a, b = sv.passage_key("Een. Twee.", [(0, 4), (5, 10)]), sv.passage_key("Een. Twee.", [(0, 10)])
    assert a != b
    sv.keep(tmp_path, "m", 4, {a: rows, b: rows[:1]}, None)
    assert sv.load(tmp_path, "m").get(a).shape == (2, 4) and sv.load(tmp_path, "m").get(b).shape == (1, 4)
    sv.keep(tmp_path, "m", 4, {}, {b})
    assert sv.load(tmp_path, "m").get(a) is None and len(sv.load(tmp_path, "m")) == 1
    (tmp_path / sv.FILE_NAME).write_bytes(b"kapot")
    assert not len(sv.load(tmp_path, "m"))
    assert sv.best(None, np.ones(4), 0.3) == (0.3, 0.3)
    assert sv.best(np.full((2, 4), np.nan, dtype=np.float16), np.ones(4), 0.3) == (0.3, 0.3)


def test_index_without_sentence_vectors_searches_plain_then_is_rebuilt(data, tmp_path):
    path = data / "index" / sv.FILE_NAME
    saved = path.read_bytes()
    model = tmp_path / "rerank.json"
    weights = np.zeros(len(rr.FEATURES))
    weights[rr.FEATURES.index("log_rank")] = 1.0  # reverses the hybrid: any use of it shows
    rr.save(rr.Model(weights, np.zeros(len(rr.FEATURES)), np.ones(len(rr.FEATURES))), model)
    query = "tekort aan leraren en personeel"
    plain = Searcher(data, embedder=SpanEmbedder(), params=replace(SearchParams(), rerank=False))
    expected = [h.passage_id for h in plain.search(query, k=10)]
    before = sv.load(data / "index", FakeEmbedder.name).items()
    try:
        path.unlink()
        s = Searcher(data, embedder=SpanEmbedder(), params=replace(SearchParams(), rerank_file=str(model)))
        assert [h.passage_id for h in s.search(query, k=10)] == expected  # an older index: the plain hybrid
        emb = SpanEmbedder()
        assert sv.build_missing(s.store, emb.name, emb.dim, emb.encode_passages_with_spans) == len(_passages(data))
        after = sv.load(data / "index", FakeEmbedder.name).items()
        assert after.keys() == before.keys() and all(np.array_equal(after[k], v) for k, v in before.items())
        assert sv.build_missing(s.store, emb.name, emb.dim, emb.encode_passages_with_spans) == 0
        assert [h.passage_id for h in s.search(query, k=10, rerank=True)] == expected[::-1]
        s.close()
    finally:
        path.write_bytes(saved)
        plain.close()
