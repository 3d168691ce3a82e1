"""Which statements an advice answer shows, once they are scored (index/advise.py): the sources
that say something on the question, a source's repeats left out, and every source with advice
keeping its best statement in the answer."""

from __future__ import annotations

import numpy as np

from .advise_table import StatementTable


def _with_advice(table: StatementTable, idx: np.ndarray, cosines: np.ndarray, min_z: float) -> set[str]:
    """The sources that say something on the question: one of their statements stands out in
    meaning from the question's candidates (its cosine `min_z` standard deviations or more above
    their mean). A cosine is judged against this question's spread, not a fixed value: e5
    cosines of all statements with one question sit in a band whose place varies per question
    and per language."""
    if len(idx) < 2:
        return {table.stmts[i].doc_id for i in idx}
    z = (cosines - cosines.mean()) / max(float(cosines.std()), 1e-6)
    return {table.stmts[i].doc_id for i, v in zip(idx, z) if v >= min_z}


def _without_repeats(
    table: StatementTable, idx: np.ndarray, order: list[int], enough: int | None = None, sources: set[str] = frozenset()
) -> list[int]:
    """`order` without the statements a source repeats (a summary restates a chapter): the later
    of two statements of one source with nearly the same content stems is left out. With `enough`,
    the scan stops once that many are kept and every source in `sources` has one: an answer shows
    no more, and comparing every statement with the kept ones of its source grows with the square
    of a source's statements."""
    kept: list[int] = []
    seen: dict[str, list[frozenset]] = {}
    missing = set(sources)
    for j in order:
        if enough is not None and len(kept) >= enough and not missing:
            break
        s = table.stmts[idx[j]]
        stems = table.stems[idx[j]]
        if any(_same_content(stems, other) for other in seen.get(s.doc_id, [])):
            continue
        seen.setdefault(s.doc_id, []).append(stems)
        kept.append(j)
        missing.discard(s.doc_id)
    return kept


def _same_content(a: frozenset, b: frozenset, share: float = 0.8) -> bool:
    return bool(a) and len(a & b) >= share * len(a | b)


def _ranked(table: StatementTable, idx: np.ndarray, scores: np.ndarray, top_k: int, has_advice: set[str]) -> list[int]:
    """Positions (into `idx`) of the answer, best first: the top_k by score, repeats left out,
    where every source in `has_advice` keeps its best statement in the answer (in place of the
    lowest statement of a source that holds more than one place)."""
    order = sorted(range(len(idx)), key=lambda j: (-float(scores[j]), table.stmts[idx[j]].id))
    order = _without_repeats(table, idx, order, top_k, has_advice)
    chosen = order[:top_k]
    firsts: dict[str, int] = {}
    for j in order:
        firsts.setdefault(table.stmts[idx[j]].doc_id, j)
    missing = [j for d, j in firsts.items() if d in has_advice and j not in chosen]
    counts: dict[str, int] = {}
    for j in chosen:
        counts[table.stmts[idx[j]].doc_id] = counts.get(table.stmts[idx[j]].doc_id, 0) + 1
    for pos in range(len(chosen) - 1, -1, -1):
        if not missing:
            break
        d = table.stmts[idx[chosen[pos]]].doc_id
        if counts[d] > 1:
            counts[d] -= 1
            chosen[pos] = missing.pop(0)
    return sorted(chosen, key=lambda j: (-float(scores[j]), table.stmts[idx[j]].id))
