"""Which scored statements an advice answer shows (index/advise_rank.py): the scan that stops once
the answer is full gives the answer a scan of every statement gives."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np

from beleidsbank.index import advise_rank


def _table(rng, n: int, docs: str, words: int):
    stmts = [SimpleNamespace(id=f"s{i:03d}", doc_id=docs[rng.integers(len(docs))]) for i in range(n)]
    # few words per statement from a small vocabulary: many statements repeat another of their source
    stems = [frozenset(f"w{k}" for k in rng.choice(words, size=2, replace=False)) for _ in range(n)]
    return SimpleNamespace(stmts=stmts, stems=stems)


def _full_scan_ranked(table, idx, scores, top_k, has_advice):
    """_ranked as it was before the scan stopped early: every statement compared."""
    order = sorted(range(len(idx)), key=lambda j: (-float(scores[j]), table.stmts[idx[j]].id))
    order = advise_rank._without_repeats(table, idx, order)
    saved = advise_rank._without_repeats
    try:
        advise_rank._without_repeats = lambda t, i, o, *a: order
        return advise_rank._ranked(table, idx, scores, top_k, has_advice)
    finally:
        advise_rank._without_repeats = saved


def test_stopping_early_changes_no_answer():
    rng = np.random.default_rng(7)
    for trial in range(200):
        n = int(rng.integers(1, 60))
        table = _table(rng, n, "ABCDE", words=int(rng.integers(3, 12)))
        idx = np.arange(n)
        scores = rng.random(n).astype(np.float32)
        has_advice = {d for d in "ABCDE" if rng.random() < 0.6}
        top_k = int(rng.integers(1, 12))
        got = advise_rank._ranked(table, idx, scores, top_k, has_advice)
        assert got == _full_scan_ranked(table, idx, scores, top_k, has_advice), trial


def test_the_early_scan_keeps_every_source_asked_for():
    table = SimpleNamespace(
        stmts=[SimpleNamespace(id=f"s{i}", doc_id=d) for i, d in enumerate("AAAAB")],
        stems=[frozenset({f"w{i}"}) for i in range(5)],
    )
    kept = advise_rank._without_repeats(table, np.arange(5), [0, 1, 2, 3, 4], enough=2, sources={"B"})
    assert kept == [0, 1, 2, 3, 4]  # B's only statement comes last; the scan runs on to it
    assert advise_rank._without_repeats(table, np.arange(5), [0, 1, 2, 3, 4], enough=2) == [0, 1]
