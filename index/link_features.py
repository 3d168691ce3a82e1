"""Features of (recommendation, problem) pairs for the learned link scorer (link_scorer.py).

Candidates come from nearest neighbours, not from every pair: per recommendation the
`LinkParams.candidates` problems closest in pooled meaning (statement plus passage; FAISS,
exact inner product) plus every problem of its own document, so the cost grows with the
number of statements times the candidates, not with their square. Per pair:
- meaning: cosines of the statement vectors, of the pooled vectors, of the passages, and
  across (statement to the other's passage); the pooled cosine corrected for hubness (CSLS);
- mutual rank: where the problem stands among the recommendation's candidates and where the
  recommendation stands among the problem's own nearest recommendations;
- hubness: how close the problem is to its nearest recommendations on average and how many
  recommendations have it near the top of their lists (against the count expected if every
  problem were equally popular), and how close the recommendation is to its neighbours;
- words: shared index features (stems and their 5-grams) weighted by rarity;
- structure: same document, the share of the section path they share and how close they
  stand (same document only), a shared theme, the problem's confidence and whether it is a
  list item.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import numpy as np
from scipy import sparse

from beleidsbank.settings import LinkParams

from .analyzer import features
from .records import Linkable

FEATURES = (
    "cos_statement",
    "cos_pooled",
    "cos_passage",
    "cos_across",
    "csls",
    "rec_hub",
    "prob_hub",
    "prob_popularity",
    "forward_rank",
    "backward_rank",
    "words",
    "confidence",
    "same_doc",
    "section",
    "proximity",
    "same_theme",
    "list_item",
    "hand",
)


def _unit(m: np.ndarray) -> np.ndarray:
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-9)


def _vectors(stmts: list[Linkable]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Statement and passage (the statement's own where it has none) unit vectors, and their
    sum: pooled meaning, as links.meaning_vectors (a pair whose statements and passages both
    agree scores above one where only one of them does)."""
    own = _unit(np.vstack([np.asarray(s.vector, dtype=np.float32) for s in stmts]))
    ctx = _unit(
        np.vstack([np.asarray(s.context if s.context is not None else s.vector, dtype=np.float32) for s in stmts])
    )
    return own, ctx, own + ctx


def _search(base: np.ndarray, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    import faiss

    index = faiss.IndexFlatIP(base.shape[1])
    index.add(np.ascontiguousarray(base, dtype=np.float32))
    return index.search(np.ascontiguousarray(queries, dtype=np.float32), k)


def _shared_prefix(a: list[str], b: list[str]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


class LinkSpace:
    """What the features of any pair need, computed once over all statements."""

    def __init__(self, recs: list[Linkable], probs: list[Linkable], params: LinkParams = LinkParams()):
        self.recs, self.probs, self.params = recs, probs, params
        self.rq, self.rc, self.rm = _vectors(recs)
        self.pq, self.pc, self.pm = _vectors(probs)
        n_r, n_p = len(recs), len(probs)
        m, k = min(params.candidates, n_p), min(params.csls_k, n_p, n_r)
        sims, self.near = _search(self.pm, self.rm, m)
        back_sims, back = _search(self.rm, self.pm, min(params.candidates, n_r))
        self.rec_hub = sims[:, :k].mean(axis=1)
        self.prob_hub = back_sims[:, :k].mean(axis=1)
        # a problem in the top k of many more recommendations than the average problem is a hub
        count = np.bincount(self.near[:, :k].ravel(), minlength=n_p).astype(np.float32)
        self.popularity = np.log((count + 1.0) / (n_r * k / n_p + 1.0))
        self.m = m
        self.fwd = self._rank_table(self.near, n_p, rows_are_recs=True)
        self.bwd = self._rank_table(back, n_p, rows_are_recs=False)
        by_doc: dict[str, list[int]] = defaultdict(list)
        for j, p in enumerate(probs):
            by_doc[p.doc_id].append(j)
        self.by_doc = {d: np.array(js, dtype=np.int64) for d, js in by_doc.items()}
        self.rmat, self.pmat, self.rfeats, self.pfeats = _word_matrices(recs, probs)
        self.paths = [p.section_path.split(" > ") for p in probs]
        self.seqs = np.array([p.seq for p in probs], dtype=np.float32)
        neutral = params.neutral_confidence
        self.confidence = np.array(
            [(p.confidence if p.confidence is not None else neutral) - neutral for p in probs], dtype=np.float32
        )
        self.list_item = np.array([p.unit == "list_item" for p in probs], dtype=np.float32)
        self.ptheme = np.array([-1 if p.theme is None else p.theme for p in probs])

    @staticmethod
    def _rank_table(nbrs: np.ndarray, n_p: int, rows_are_recs: bool) -> tuple[np.ndarray, np.ndarray]:
        """Sorted pair keys (rec * n_p + problem) and their ranks, for lookup by searchsorted."""
        rows = np.repeat(np.arange(nbrs.shape[0]), nbrs.shape[1])
        cols, ranks = nbrs.ravel(), np.tile(np.arange(nbrs.shape[1]), nbrs.shape[0])
        ok = cols >= 0
        keys = rows * n_p + cols if rows_are_recs else cols * n_p + rows
        keys, ranks = keys[ok], ranks[ok]
        order = np.argsort(keys, kind="stable")
        return keys[order], ranks[order]

    def _lookup(self, table, keys: np.ndarray) -> np.ndarray:
        """Rank of each pair in `table`, the candidate count where it is not listed."""
        sorted_keys, ranks = table
        at = np.minimum(np.searchsorted(sorted_keys, keys), max(len(sorted_keys) - 1, 0))
        found = (sorted_keys[at] == keys) if len(sorted_keys) else np.zeros(len(keys), bool)
        return np.where(found, ranks[at] if len(ranks) else 0, self.m).astype(np.float32)

    def candidates(self, i: int) -> np.ndarray:
        """Problems considered for recommendation `i`: its nearest ones and its own document's."""
        near = self.near[i][self.near[i] >= 0]
        same = self.by_doc.get(self.recs[i].doc_id, np.zeros(0, dtype=np.int64))
        return np.unique(np.concatenate([near, same]))

    def features(self, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
        """Feature matrix (pairs x FEATURES) of the pairs (recs[rows[n]], probs[cols[n]])."""
        rows, cols = np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)
        n_p = len(self.probs)
        dot = lambda a, b: np.einsum("ij,ij->i", a[rows], b[cols])  # noqa: E731
        pooled = dot(self.rm, self.pm)
        same = np.array([self.recs[i].doc_id == self.probs[j].doc_id for i, j in zip(rows, cols)], dtype=np.float32)
        section, proximity = self._structure(rows, cols, same)
        rtheme = np.array([-1 if self.recs[i].theme is None else self.recs[i].theme for i in rows])
        words = np.asarray(self.rmat[rows].multiply(self.pmat[cols]).sum(axis=1)).ravel()
        out = [
            dot(self.rq, self.pq),
            pooled,
            dot(self.rc, self.pc),
            (dot(self.rq, self.pc) + dot(self.rc, self.pq)) / 2,
            2 * pooled - self.rec_hub[rows] - self.prob_hub[cols],
            self.rec_hub[rows],
            self.prob_hub[cols],
            self.popularity[cols],
            np.log1p(self._lookup(self.fwd, rows * n_p + cols)),
            np.log1p(self._lookup(self.bwd, rows * n_p + cols)),
            words,
            self.confidence[cols],
            same,
            section,
            proximity,
            ((rtheme >= 0) & (rtheme == self.ptheme[cols])).astype(np.float32),
            self.list_item[cols],
        ]
        out.append(self._hand(out))
        return np.column_stack(out).astype(np.float32)

    def _hand(self, cols: list[np.ndarray]) -> np.ndarray:
        """The hand-weighted score of links.py (`LinkParams` weights) as one feature: the
        learned scorer starts from it and is fitted to correct it (link_scorer.fit)."""
        p, f = self.params, dict(zip(FEATURES, cols))
        return (
            p.w_meaning * f["csls"]
            + p.w_words * f["words"]
            + p.w_confidence * f["confidence"]
            + p.w_section * f["section"]
            + p.w_proximity * f["proximity"]
        )

    def _structure(self, rows, cols, same) -> tuple[np.ndarray, np.ndarray]:
        """Share of the recommendation's section path the problem shares, and nearness (1 for
        neighbours, 0 from `proximity_span` statements apart); both 0 across documents."""
        section = np.zeros(len(rows), dtype=np.float32)
        for n in np.flatnonzero(same):
            rpath = self.recs[rows[n]].section_path.split(" > ")
            section[n] = _shared_prefix(rpath, self.paths[cols[n]]) / max(len(rpath), 1)
        rseq = np.array([self.recs[i].seq for i in rows], dtype=np.float32)
        near = np.maximum(0.0, 1.0 - np.abs(rseq - self.seqs[cols]) / self.params.proximity_span)
        return section, near * same


def _word_matrices(recs: list[Linkable], probs: list[Linkable]):
    """Recommendations' feature rows (idf-weighted, scaled by their own weight) and problems'
    binary feature rows: the product of two rows is the rarity-weighted overlap."""
    feats = [set(features(s.text)) for s in recs + probs]
    df = Counter(t for f in feats for t in f)
    vocab = {t: i for i, t in enumerate(sorted(df))}
    idf = np.array([math.log(len(feats) / (1 + df[t])) + 1.0 for t in sorted(df)], dtype=np.float32)

    def matrix(sets):
        rows = [i for i, f in enumerate(sets) for _ in f]
        cols = [vocab[t] for f in sets for t in sorted(f)]
        data = np.ones(len(cols), dtype=np.float32)
        return sparse.csr_matrix((data, (rows, cols)), shape=(len(sets), len(vocab)))

    rf, pf = feats[: len(recs)], feats[len(recs) :]
    r_mat = matrix(rf)
    norm = 1.0 + r_mat @ idf
    return (sparse.diags(1.0 / norm) @ r_mat @ sparse.diags(idf)).tocsr(), matrix(pf), rf, pf
