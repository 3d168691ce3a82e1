"""Embedding: statement vectors pooled from their passage's forward pass ("late chunking")."""

from __future__ import annotations

import numpy as np

from beleidsbank.ingest.document import parse_pdf
from beleidsbank.ingest.pipeline import statement_spans

from . import pdf_factory as f

PASSAGE = (
    "Het tekort aan technici in de regio groeit snel. "
    "Versterk daarom de samenwerking tussen scholen en bedrijven. "
    "Zorg voor meer stageplaatsen in het mkb."
)


def _span(text: str, sentence: str) -> tuple[int, int]:
    a = text.index(sentence)
    return a, a + len(sentence)


def test_passage_vectors_are_the_plain_ones(embedder):
    texts = [PASSAGE, "Leraren techniek zijn schaars.", PASSAGE]
    plain = embedder.encode_passages(texts)
    vecs, pooled = embedder.encode_passages_with_spans(texts, [[], [(0, 7)], [(0, 10)]])
    assert np.allclose(vecs, plain, atol=1e-5)
    assert [len(p) for p in pooled] == [0, 1, 1]
    # identical texts with different spans each get their own span vectors
    assert pooled[2][0] is not None and not np.allclose(pooled[2][0], pooled[1][0])


def test_span_vectors_mean_their_own_sentence(embedder):
    sentences = [
        "Het tekort aan technici in de regio groeit snel.",
        "Versterk daarom de samenwerking tussen scholen en bedrijven.",
        "Zorg voor meer stageplaatsen in het mkb.",
    ]
    _, [pooled] = embedder.encode_passages_with_spans([PASSAGE], [[_span(PASSAGE, s) for s in sentences]])
    pooled = np.vstack(pooled)
    assert np.allclose(np.linalg.norm(pooled, axis=1), 1.0, atol=1e-5)
    alone = embedder.encode_passages(sentences)
    sims = pooled @ alone.T
    # the context weighs in every pooled vector, but of the three, each sentence embedded alone
    # is closest to its own
    assert list(sims.argmax(axis=0)) == [0, 1, 2], sims
    # and the same input gives the same vectors
    _, [again] = embedder.encode_passages_with_spans([PASSAGE], [[_span(PASSAGE, s) for s in sentences]])
    assert np.allclose(np.vstack(again), pooled, atol=1e-6)


def test_span_past_the_model_limit_is_left_to_the_caller(embedder):
    long = " ".join(f"Zin nummer {i} gaat over het beroepsonderwijs in de regio." for i in range(200))
    tail = "Zin nummer 199 gaat over het beroepsonderwijs in de regio."
    _, [pooled] = embedder.encode_passages_with_spans([long], [[(0, 20), _span(long, tail), (len(long), len(long))]])
    assert pooled[0] is not None
    assert pooled[1] is None  # cut off at max_seq_length: the model never saw it
    assert pooled[2] is None  # an empty span covers no token


def test_statement_spans_address_the_passage_text(tmp_path):
    doc = parse_pdf(f.bullets_pdf(tmp_path / "lijst.pdf"))
    spans, owners = statement_spans([doc])
    assert len(spans) == len(owners) == len(doc.doc.passages)
    by_seq = {s.seq: s for s in doc.statements}
    found = 0
    for passage, sp, own in zip(doc.doc.passages, spans, owners):
        for (a, b), (doc_id, seq) in zip(sp, own):
            assert doc_id == doc.meta.id and passage.text[a:b] == by_seq[seq].text
            assert by_seq[seq].kind in ("recommendation", "problem")
            found += 1
    assert found == sum(s.kind in ("recommendation", "problem") for s in doc.statements) > 0


def test_bfloat16_batches_agree_with_float32(embedder, monkeypatch):
    """Batches run in bfloat16 where the CPU has it natively; the vectors must not move."""
    texts = [PASSAGE, "Leraren techniek zijn schaars.", "Zorg voor meer stageplaatsen in het mkb."]
    monkeypatch.setattr(embedder, "bf16", False)
    full = embedder.encode_passages(texts)
    full_vecs, full_spans = embedder.encode_passages_with_spans(texts[:1], [[(0, 48)]])
    monkeypatch.setattr(embedder, "bf16", True)
    half = embedder.encode_passages(texts)
    half_vecs, half_spans = embedder.encode_passages_with_spans(texts[:1], [[(0, 48)]])
    assert half.dtype == np.float32 and np.allclose(np.linalg.norm(half, axis=1), 1.0, atol=1e-5)
    assert (full * half).sum(axis=1).min() > 0.999
    assert float(full_spans[0][0] @ half_spans[0][0]) > 0.999 and float(full_vecs[0] @ half_vecs[0]) > 0.999
    # a single query stays in float32
    assert np.allclose(embedder.encode_query("tekort aan technici"), embedder.encode_query("tekort aan technici"))


def test_native_bf16_can_be_forced():
    from beleidsbank.index.embed import native_bf16
    from beleidsbank.settings import Settings

    assert native_bf16(Settings.from_env({"BELEIDSBANK_BF16": "0"}).bf16) is False
    assert native_bf16(Settings.from_env({"BELEIDSBANK_BF16": "1"}).bf16) is True


def test_batches_side_by_side_give_the_same_vectors(embedder, monkeypatch):
    """Batches embedded on several threads at once land in input order, with the vectors one
    stream gives, spans included; progress counts every text once."""
    texts = [f"{PASSAGE} Regel {i}." for i in range(40)] + ["Leraren techniek zijn schaars."] * 3
    spans = [[(0, 48)] for _ in texts]
    monkeypatch.setattr(embedder, "streams", 1)
    one_vecs, one_spans = embedder.encode_passages_with_spans(texts, spans)
    monkeypatch.setattr(embedder, "streams", 3)
    steps = []
    vecs, pooled = embedder.encode_passages_with_spans(texts, spans, progress=lambda d, t: steps.append((d, t)))
    assert np.allclose(vecs, one_vecs, atol=1e-6)
    assert all(np.allclose(a[0], b[0], atol=1e-6) for a, b in zip(pooled, one_spans))
    assert steps[-1] == (41, 41) and [d for d, _ in steps] == sorted(d for d, _ in steps)
    assert np.allclose(embedder.encode_statements(texts[:2]), embedder.encode_statements(texts[:2][::-1])[::-1])


def test_streams_follow_the_cores():
    from beleidsbank.index.embed import cpu_streams

    assert cpu_streams(None) >= 1 and cpu_streams(2) == 2 and cpu_streams(0) == 1
