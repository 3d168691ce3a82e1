"""Links at archive scale: the hand formula over nearest-neighbour candidates (index/link_near.py)
gives the links of scoring every pair where the candidates hold the winners, and the update
after adding or removing a document gives the links of a run from scratch."""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from beleidsbank.index import link_near, links
from beleidsbank.index.records import Linkable
from beleidsbank.settings import LinkParams

WORDS = [
    "docenten tekort lerarenopleiding",
    "techniek meisjes instroom",
    "subsidie regels bedrijven",
    "stages praktijk leerbedrijven",
    "imago beroepen ouders",
    "regio samenwerking onderwijs",
]
PARAMS = LinkParams(learned=False, candidates=8, csls_k=3, threshold=0.0)


def _unit(v):
    return (v / np.linalg.norm(v)).astype(np.float32)


def _document(d: int, rng, topics) -> list[Linkable]:
    """One document: a recommendation and a problem on each of three of the topics."""
    out = []
    for n, t in enumerate(rng.choice(len(topics), 3, replace=False).tolist()):
        for kind, text in (("recommendation", "Verbeter"), ("problem", "Er is een probleem met")):
            out.append(
                Linkable(
                    f"d{d}:{kind[0]}{n}",
                    f"d{d}",
                    10 * n + (kind == "problem"),
                    f"H{t}",
                    f"{text} {WORDS[t]}",
                    _unit(topics[t] + 0.4 * rng.normal(size=16)),
                    kind,
                    confidence=0.8,
                )
            )
    return out


def _corpus(docs: int, seed: int = 0) -> list[Linkable]:
    rng = np.random.default_rng(seed)
    topics = [rng.normal(size=16) for _ in WORDS]
    return [s for d in range(docs) for s in _document(d, rng, topics)]


def _split(items):
    return [s for s in items if s.kind == "recommendation"], [s for s in items if s.kind == "problem"]


def _pairs(found) -> list[tuple[str, str, int, str]]:
    return sorted((lk.rec_id, lk.prob_id, lk.rank, lk.scope) for lk in found)


def test_candidates_that_hold_every_problem_give_the_links_of_every_pair():
    recs, probs = _split(_corpus(6))
    every = replace(PARAMS, candidates=len(probs))
    dense = links.link(recs, probs, every)
    near = links.link(recs, probs, replace(every, exact_pairs=0))  # above the limit: candidates
    assert dense and _pairs(near) == _pairs(dense)
    assert [lk.score for lk in near] == [lk.score for lk in dense]


def test_few_candidates_keep_the_best_links():
    recs, probs = _split(_corpus(12))
    dense = {(lk.rec_id, lk.prob_id) for lk in links.link(recs, probs, PARAMS) if lk.rank <= 2}
    near = {(lk.rec_id, lk.prob_id) for lk in link_near.NearLinks(recs, probs, PARAMS).links() if lk.rank <= 2}
    assert len(dense & near) >= 0.9 * len(dense)


def test_adding_and_removing_a_document_updates_like_a_full_run():
    items = _corpus(12)
    extra = _corpus(13, seed=0)[-6:]  # document 12, on the same topics
    recs, probs = _split(items)
    state = link_near.NearLinks(recs, probs, PARAMS)
    found = state.links()
    for now in (items + extra, items):
        recs, probs = _split(now)
        state, found = link_near.update(state, found, recs, probs)
        assert _pairs(found) == _pairs(link_near.NearLinks(recs, probs, PARAMS).links())
        assert state.redone < len(recs) or len(recs) < 10
    assert "d12" not in {lk.prob_id.split(":")[0] for lk in found}


def test_the_neighbour_lists_are_exact_and_the_inverted_file_finds_most():
    rng = np.random.default_rng(1)
    centres = rng.normal(size=(20, 16))
    base = np.vstack([_unit(centres[i % 20] + 0.3 * rng.normal(size=16)) for i in range(3000)])
    queries = base[:700] + 0.01
    near_sims, near, back_sims, back = link_near.exact_lists(queries, base, 10, 4, block=256)
    scores = queries @ base.T
    assert (near == np.argsort(-scores, axis=1, kind="stable")[:, :10]).mean() > 0.99
    assert np.allclose(back_sims, -np.sort(-scores.T, axis=1)[:, :4], atol=1e-5)
    _, approx = link_near.search(base, queries, 10)
    recall = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(approx.tolist(), near.tolist())])
    assert recall >= 0.9
