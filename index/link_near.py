"""Links at archive scale: the hand-weighted score of links.py over nearest-neighbour candidates,
and the update when documents are added or removed.

Above `LinkParams.exact_pairs` pairs not every pair is scored. Per recommendation only the
`candidates` problems closest in pooled meaning (statement plus passage, as links.py compares
them) and every problem of its own document are scored: a problem outside that list is one the
meaning term, which outweighs the others, already ranks far down. The hubness terms come from
the same kind of lists: a recommendation's csls_k nearest problems, a problem's csls_k nearest
recommendations. Both lists come from one pass over the products of the vectors, block by block,
which BLAS does faster on two cores than FAISS's inverted file or graph up to `APPROX_PAIRS`
pairs (about 140k by 140k statements); above that an inverted file (k-means cells, a share of
them probed) finds them, so the cost then grows with the number of statements times the cells
probed, not with their square. The ranking itself costs the statements times the candidates.

`NearLinks` keeps the lists, so `update` can follow an added or removed document without
searching everything again: the new recommendations are searched, the new problems are
compared with every recommendation (one column each) and enter the lists they beat; only the
recommendations whose lists, hubness or linked problems changed are ranked again. The rarity
weights of shared words are recomputed; the other recommendations keep their links.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace

import numpy as np
from scipy import sparse

from beleidsbank.settings import LinkParams

from .analyzer import features
from .links import BLOCK, _Ranker
from .records import Link, Linkable
from .vectors import ivf_nlist, training_sample

APPROX_PAIRS = 20_000_000_000  # (recommendation, problem) pairs from which the lists are approximate
MIN_NPROBE = 32  # cells probed per query: max(MIN_NPROBE, nlist / NPROBE_DIVISOR)
NPROBE_DIVISOR = 16
TRAIN_ITERATIONS = 10  # k-means rounds for the cells: they only need to group, not to converge


def search(base: np.ndarray, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Approximately the `k` rows of `base` with the highest inner product with each query (FAISS
    inverted file): (scores, rows), best first; rows -1 (score -inf) where fewer were found."""
    import faiss

    base = np.ascontiguousarray(base, dtype=np.float32)
    queries = np.ascontiguousarray(queries, dtype=np.float32)
    k = min(k, len(base))
    if not len(queries) or not k:
        return np.zeros((len(queries), 0), np.float32), np.zeros((len(queries), 0), np.int64)
    dim, nlist = base.shape[1], ivf_nlist(len(base))
    quantizer = faiss.IndexFlatIP(dim)
    index = faiss.IndexIVFFlat(quantizer, dim, nlist, faiss.METRIC_INNER_PRODUCT)
    index.cp.niter = TRAIN_ITERATIONS
    index.train(training_sample(base, nlist))
    index.nprobe = min(nlist, max(MIN_NPROBE, nlist // NPROBE_DIVISOR))
    index.add(base)
    sims, rows = index.search(queries, k)
    return np.where(rows >= 0, sims, -np.inf).astype(np.float32), rows


def _top(scores: np.ndarray, k: int, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """The `k` highest of `scores` along `axis`, best first: (values, positions) (torch's top-k:
    several times faster than numpy's partition on a large block)."""
    import torch

    vals, pos = torch.topk(torch.from_numpy(np.ascontiguousarray(scores)), min(k, scores.shape[axis]), dim=axis)
    return vals.numpy(), pos.numpy().astype(np.int64)


def exact_lists(rm: np.ndarray, pm: np.ndarray, m: int, k: int, block: int = BLOCK):
    """Each recommendation's `m` nearest problems and each problem's `k` nearest recommendations,
    exactly, from one pass over the products block by block (BLAS: on two cores faster than an
    inverted file up to `APPROX_PAIRS` pairs). Returns (near sims, near, back sims, back)."""
    near_sims = np.full((len(rm), m), -np.inf, np.float32)
    near = np.full((len(rm), m), -1, np.int64)
    back_sims = np.full((0, len(pm)), -np.inf, np.float32)
    back = np.full((0, len(pm)), -1, np.int64)
    for a in range(0, len(rm), block):
        scores = rm[a : a + block] @ pm.T
        near_sims[a : a + block], near[a : a + block] = _top(scores, m, axis=1)
        ids = np.broadcast_to(np.arange(a, a + len(scores))[:, None], scores.shape)
        vals, pos = _top(np.vstack([back_sims, scores]), k, axis=0)
        back_sims, back = vals, np.take_along_axis(np.vstack([back, ids]), pos, axis=0)
    return near_sims, near, back_sims.T.copy(), back.T.copy()


def neighbour_lists(rm: np.ndarray, pm: np.ndarray, m: int, k: int):
    """(near sims, near, back sims, back): exact up to `APPROX_PAIRS` pairs, an inverted file above."""
    if len(rm) * len(pm) <= APPROX_PAIRS:
        return exact_lists(rm, pm, m, k)
    return (*search(pm, rm, m), *search(rm, pm, k))


def word_matrices(rfeats: list[set], pfeats: list[set]):
    """Recommendations' feature rows (idf-weighted, scaled by their own weight) and problems'
    binary rows: the product of two rows is the rarity-weighted overlap of links.py."""
    df = Counter(t for f in rfeats + pfeats for t in f)
    vocab = {t: i for i, t in enumerate(sorted(df))}
    n = len(rfeats) + len(pfeats)
    idf = np.array([math.log(n / (1 + df[t])) + 1.0 for t in sorted(df)], dtype=np.float32)

    def matrix(sets):
        rows = [i for i, f in enumerate(sets) for _ in f]
        cols = [vocab[t] for f in sets for t in sorted(f)]
        data = np.ones(len(cols), dtype=np.float32)
        return sparse.csr_matrix((data, (rows, cols)), shape=(len(sets), len(vocab)))

    r_mat = matrix(rfeats)
    norm = 1.0 + r_mat @ idf
    return (sparse.diags(1.0 / norm) @ r_mat @ sparse.diags(idf)).tocsr(), matrix(pfeats)


class NearLinks(_Ranker):
    """The links of links.py's hand formula, scored over nearest-neighbour candidates."""

    def __init__(self, recs: list[Linkable], problems: list[Linkable], params: LinkParams = LinkParams(), lists=None):
        self.setup(recs, problems, params)
        self.m = min(params.candidates, len(problems))
        self.k_rec, self.k_prob = min(params.csls_k, len(problems)), min(params.csls_k, len(recs))
        if lists is None:  # recommendation -> nearest problems, problem -> nearest recommendations
            lists = neighbour_lists(self.rm, self.pm, self.m, self.k_prob)
        self.near_sims, self.near, self.back_sims, self.back = lists
        self.feats(None, None)

    def feats(self, rfeats, pfeats) -> None:
        """Feature sets (computed where not given) and the word matrices over all statements."""
        self.rfeats = rfeats or [set(features(s.text)) for s in self.recs]
        self.pfeats = pfeats or [set(features(s.text)) for s in self.problems]
        self.rmat, self.pmat = word_matrices(self.rfeats, self.pfeats)
        self.buffer = np.zeros(self.rmat.shape[1], dtype=np.float32)
        codes: dict[str, int] = {}
        self.rdoc = np.array([codes.setdefault(s.doc_id, len(codes)) for s in self.recs], dtype=np.int64)
        self.pdoc = np.array([codes.setdefault(s.doc_id, len(codes)) for s in self.problems], dtype=np.int64)

    def hubs(self) -> tuple[np.ndarray, np.ndarray]:
        """Mean of each recommendation's csls_k nearest problems, of each problem's csls_k nearest
        recommendations."""
        rec = self.near_sims[:, : self.k_rec]
        prob = self.back_sims[:, : self.k_prob]
        mean = lambda m: np.where(np.isfinite(m), m, 0).sum(1) / np.maximum(np.isfinite(m).sum(1), 1)  # noqa: E731
        return mean(rec).astype(np.float32), mean(prob).astype(np.float32)

    def candidates(self, i: int) -> np.ndarray:
        near = self.near[i][self.near[i] >= 0]
        same = self.by_doc.get(self.recs[i].doc_id, np.zeros(0, dtype=np.int64))
        return np.unique(np.concatenate([near, same]))

    def links(self, which=None) -> list[Link]:
        """Ranked links of the recommendations `which` (all when None), in that order."""
        which = np.arange(len(self.recs)) if which is None else np.asarray(which, dtype=np.int64)
        self.rec_hub, self.prob_hub = self.hubs()
        if getattr(self, "runner", None) is None or len(self.runner) != len(self.recs):
            self.runner = np.full(len(self.recs), -np.inf, np.float32)
        self.pidx = {s.id: j for j, s in enumerate(self.problems)}
        out: list[Link] = []
        for a in range(0, len(which), BLOCK):
            out.extend(self.block(which[a : a + BLOCK]))
        return out

    def words(self, i: int, cols: np.ndarray) -> np.ndarray:
        """Rarity-weighted shared features of recommendation `i` and each problem of `cols`: its
        weights scattered into a dense buffer, read at the problems' features."""
        r, pm = self.rmat, self.pmat
        feats = r.indices[r.indptr[i] : r.indptr[i + 1]]
        self.buffer[feats] = r.data[r.indptr[i] : r.indptr[i + 1]]
        starts, ends = pm.indptr[cols], pm.indptr[cols + 1]
        lengths = ends - starts
        at = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        sums = np.concatenate([[0.0], np.cumsum(self.buffer[pm.indices[at]], dtype=np.float64)])
        self.buffer[feats] = 0.0
        bounds = np.cumsum(lengths)
        return (sums[bounds] - sums[bounds - lengths]).astype(np.float32)

    def block(self, ris: np.ndarray) -> list[Link]:
        p = self.params
        cands = [self.candidates(i) for i in ris.tolist()]
        rows = np.repeat(ris, [len(c) for c in cands])
        cols = np.concatenate(cands) if cands else np.zeros(0, np.int64)
        meaning = np.concatenate([self.pm[c] @ self.rm[i] for i, c in zip(ris.tolist(), cands)] or [np.zeros(0)])
        words = np.concatenate([self.words(i, c) for i, c in zip(ris.tolist(), cands)] or [np.zeros(0)])
        score = (
            1.0
            + p.w_meaning * (2 * meaning - self.rec_hub[rows] - self.prob_hub[cols])
            + p.w_words * words
            + p.w_confidence * self.certainty[cols]
        ).astype(np.float32)
        same = self.pdoc[cols] == self.rdoc[rows]
        out, at = [], 0
        for i, c in zip(ris.tolist(), cands):
            part = slice(at, at + len(c))
            at += len(c)
            s, v, m = cols[part], score[part], same[part]
            found = self.rank_split(i, self.recs[i], s[m], v[m], s[~m], v[~m])
            out.extend(found)
            # the best cross-document candidate left out: what a kept one must stay above
            kept = np.array([self.pidx[lk.prob_id] for lk in found], dtype=np.int64)
            rest = v[~m][~np.isin(s[~m], kept)]
            self.runner[i] = rest.max() if len(rest) else -np.inf
        return out


def _remap(ids: np.ndarray, sims: np.ndarray, fwd: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Neighbour lists in old numbering -> new numbering; the rows that lost a neighbour."""
    new = np.where(ids >= 0, fwd[np.maximum(ids, 0)], -1)
    lost = ((ids >= 0) & (new < 0)).any(axis=1)
    return new, np.where(new >= 0, sims, -np.inf).astype(np.float32), lost


def _merge(ids, sims, base, queries, new_cols: np.ndarray) -> np.ndarray:
    """Let the rows `new_cols` of `base` (newly added) enter each query's list where they beat its
    last entry; the rows of `queries` whose list changed."""
    if not len(new_cols) or not ids.shape[1]:
        return np.zeros(0, np.int64)
    extra = queries @ base[new_cols].T
    changed = np.flatnonzero((extra > sims[:, -1:]).any(axis=1))
    if len(changed):
        all_sims = np.hstack([sims[changed], extra[changed]])
        all_ids = np.hstack([ids[changed], np.broadcast_to(new_cols, (len(changed), len(new_cols)))])
        top = np.argsort(-all_sims, axis=1, kind="stable")[:, : ids.shape[1]]
        sims[changed] = np.take_along_axis(all_sims, top, axis=1)
        ids[changed] = np.take_along_axis(all_ids, top, axis=1)
    return changed


def _exact(base: np.ndarray, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-`k` of a few queries against all of `base`: (scores, rows), best first."""
    if not len(queries):
        return np.zeros((0, k), np.float32), np.zeros((0, k), np.int64)
    return _top(queries @ base.T, k, axis=1)


def _carry(old_ids, old_sims, fwd, base, queries, new_cols):
    """One side's neighbour lists in the new numbering with the new rows of `base` let in: (ids,
    sims, rows that lost a neighbour, rows whose list took a new one)."""
    ids, sims, lost = _remap(old_ids, old_sims, fwd)
    moved = _merge(ids, sims, base, queries, new_cols)
    return ids, sims, np.flatnonzero(lost), moved


def _lists(prev: NearLinks, nl: NearLinks, r_fwd, p_fwd, new_r, new_p):
    """The neighbour lists of `prev` carried over to `nl`'s statements (`r_fwd`, `p_fwd`: old index ->
    new, -1 when removed; `new_r`, `new_p`: the added ones). Returns the recommendations whose own
    list changed, the problems that a new recommendation came near (their hubness rose) and those
    that lost one (it fell)."""
    old_r, old_p = np.flatnonzero(r_fwd >= 0), np.flatnonzero(p_fwd >= 0)
    kept_r, kept_p = r_fwd[old_r], p_fwd[old_p]
    n_r, n_p = len(nl.recs), len(nl.problems)
    nl.near, nl.near_sims = np.full((n_r, nl.m), -1), np.full((n_r, nl.m), -np.inf, np.float32)
    nl.back, nl.back_sims = np.full((n_p, nl.k_prob), -1), np.full((n_p, nl.k_prob), -np.inf, np.float32)
    ids, sims, lost_r, moved_r = _carry(prev.near[old_r], prev.near_sims[old_r], p_fwd, nl.pm, nl.rm[kept_r], new_p)
    nl.near[kept_r], nl.near_sims[kept_r] = ids, sims
    ids, sims, lost_p, moved_p = _carry(prev.back[old_p], prev.back_sims[old_p], r_fwd, nl.rm, nl.pm[kept_p], new_r)
    nl.back[kept_p], nl.back_sims[kept_p] = ids, sims
    # new statements and lists that lost a removed statement are searched again (exactly: few)
    again_r = np.concatenate([new_r, kept_r[lost_r]]).astype(np.int64)
    again_p = np.concatenate([new_p, kept_p[lost_p]]).astype(np.int64)
    nl.near_sims[again_r], nl.near[again_r] = _exact(nl.pm, nl.rm[again_r], nl.m)
    nl.back_sims[again_p], nl.back[again_p] = _exact(nl.rm, nl.pm[again_p], nl.k_prob)
    return np.union1d(kept_r[moved_r], again_r), kept_p[moved_p], kept_p[lost_p]


def _match(prev: NearLinks, recs, problems):
    """Old index -> new (-1: removed) and the new indices of the added statements, per side; a
    statement is the same when its id and text are."""
    out = []
    for old, now in ((prev.recs, recs), (prev.problems, problems)):
        where = {(s.id, s.text): i for i, s in enumerate(old)}
        back = np.array([where.get((s.id, s.text), -1) for s in now], dtype=np.int64)
        fwd = np.full(len(old), -1, dtype=np.int64)
        fwd[back[back >= 0]] = np.flatnonzero(back >= 0)
        out += [back, fwd]
    return out


def _floors(nl: NearLinks, by_rec: dict) -> dict:
    """Per recommendation and scope (True: its own document), the score a problem must reach to
    enter its list: the lowest kept one of a full list, the threshold otherwise."""
    p, out = nl.params, {}
    for rid, lks in by_rec.items():
        for same, limit, threshold in ((True, p.max_same, p.threshold), (False, p.max_cross, p.threshold_cross)):
            scores = [lk.score for lk in lks if (lk.scope == "same-doc") == same]
            out[rid, same] = min(scores) if len(scores) >= limit else threshold
    return out


def _pair_score(nl: NearLinks, i: int, j: int) -> float:
    """The score before structure of one pair (as NearLinks.block)."""
    p = nl.params
    meaning = float(nl.rm[i] @ nl.pm[j])
    hub = nl.rec_hub[i] + nl.prob_hub[j]
    return float(
        1.0
        + p.w_meaning * (2 * meaning - hub)
        + p.w_words * nl.words(i, np.array([j]))[0]
        + p.w_confidence * nl.certainty[j]
    )


def _entering(nl: NearLinks, rows: np.ndarray, cols: np.ndarray, floors: dict) -> set[int]:
    """Recommendations of `rows` that a problem of `cols` now near them could enter: its score
    reaches the list's floor."""
    out = set()
    for i in rows.tolist():
        r = nl.recs[i]
        for j in nl.near[i][np.isin(nl.near[i], cols)].tolist():
            floor = floors.get((r.id, r.doc_id == nl.problems[j].doc_id), -np.inf)
            if _pair_score(nl, i, j) >= floor:
                out.add(i)
                break
    return out


def _shifted(nl: NearLinks, i: int, lks: list[Link], d_rec: np.ndarray, d_prob: dict) -> list[Link] | None:
    """The links of recommendation `i` after its and its problems' hubness changed, when that
    only moves their scores (their order and the list stay right); None when it must be ranked again."""
    p = nl.params
    if any(d_prob.get(lk.prob_id, 0.0) > 0 and lk.scope == "same-doc" for lk in lks):
        return None  # a linked problem of its own document scores lower: another could take its place
    # a linked problem that scores lower keeps its place while it stays above the best one left out
    # (whose score falls by as much as the recommendation's hubness moves it, or more)
    runner = nl.runner[i] - p.w_meaning * d_rec[i]
    counts = {s: sum(lk.scope == s for lk in lks) for s in ("same-doc", "cross-doc")}
    if d_rec[i] < 0 and (counts["same-doc"] < p.max_same or counts["cross-doc"] < p.max_cross):
        return None  # everything scores higher: a problem under the threshold could pass it
    out = []
    for lk in lks:
        score = lk.score - p.w_meaning * (d_rec[i] + d_prob.get(lk.prob_id, 0.0))
        if score < (p.threshold if lk.scope == "same-doc" else p.threshold_cross):
            return None
        if lk.scope == "cross-doc" and lk.prob_id in d_prob and score < runner:
            return None
        out.append(replace(lk, score=round(float(score), 4)))
    out.sort(key=lambda lk: (-lk.score, lk.prob_id))
    return [replace(lk, rank=n) for n, lk in enumerate(out, start=1)]


def update(prev: NearLinks, prev_links: list[Link], recs: list[Linkable], problems: list[Linkable]):
    """`prev` (the last run) and its links followed to the statements now (`recs`, `problems`: all of
    them; a statement is the same when its id and text are, so a replaced document is one removed
    and one added). Ranked again: the new recommendations, those of a changed document, those a
    new problem (or one whose hubness fell) now near them could enter, and those whose links a
    change of hubness could reorder beyond a shift of scores. Returns (the new state, its links)."""
    nl = NearLinks.__new__(NearLinks)
    nl.setup(recs, problems, prev.params)
    nl.m = min(prev.params.candidates, len(problems))
    nl.k_rec, nl.k_prob = min(prev.params.csls_k, len(problems)), min(prev.params.csls_k, len(recs))
    if (nl.m, nl.k_rec, nl.k_prob) != (prev.m, prev.k_rec, prev.k_prob):  # a small store: all again
        nl = NearLinks(recs, problems, prev.params)
        return nl, nl.links()
    r_back, r_fwd, p_back, p_fwd = _match(prev, recs, problems)
    new_r, new_p = np.flatnonzero(r_back < 0), np.flatnonzero(p_back < 0)
    moved_r, _, lowered = _lists(prev, nl, r_fwd, p_fwd, new_r, new_p)
    nl.feats(
        [prev.rfeats[i] if i >= 0 else set(features(s.text)) for i, s in zip(r_back.tolist(), recs)],
        [prev.pfeats[j] if j >= 0 else set(features(s.text)) for j, s in zip(p_back.tolist(), problems)],
    )
    nl.rec_hub, nl.prob_hub = nl.hubs()
    nl.runner = np.full(len(recs), -np.inf, np.float32)
    nl.runner[r_back >= 0] = prev.runner[r_back[r_back >= 0]]
    d_rec = np.zeros(len(recs), np.float32)
    d_rec[r_back >= 0] = nl.rec_hub[r_back >= 0] - prev.rec_hub[r_back[r_back >= 0]]
    kept_p = np.flatnonzero(p_back >= 0)
    d_prob = {problems[j].id: float(v) for j, v in zip(kept_p, nl.prob_hub[kept_p] - prev.prob_hub[p_back[kept_p]])}
    d_prob = {k: v for k, v in d_prob.items() if v}
    changed = {recs[i].doc_id for i in new_r} | {problems[j].doc_id for j in new_p}
    changed |= {prev.recs[i].doc_id for i in np.flatnonzero(r_fwd < 0)}
    changed |= {prev.problems[j].doc_id for j in np.flatnonzero(p_fwd < 0)}
    by_rec: dict[str, list[Link]] = {}
    for lk in prev_links:
        by_rec.setdefault(lk.rec_id, []).append(lk)
    floors = _floors(nl, by_rec)
    redo = {i for i, s in enumerate(recs) if r_back[i] < 0 or s.doc_id in changed}
    gone = {prev.problems[j].id for j in np.flatnonzero(p_fwd < 0)}
    redo |= {i for i, s in enumerate(recs) if any(lk.prob_id in gone for lk in by_rec.get(s.id, ()))}
    holding = np.flatnonzero(np.isin(nl.near, lowered).any(axis=1)) if len(lowered) else np.zeros(0, np.int64)
    redo |= _entering(nl, np.union1d(moved_r, holding), np.union1d(new_p, lowered), floors)
    out, nl.adjusted = [], 0
    for i, s in enumerate(recs):
        lks = by_rec.get(s.id, [])
        if i in redo or not (d_rec[i] or any(lk.prob_id in d_prob for lk in lks)):
            out.extend([] if i in redo else lks)
            continue
        moved = _shifted(nl, i, lks, d_rec, d_prob)
        if moved is None:
            redo.add(i)
        else:
            out.extend(moved)
            nl.runner[i] -= nl.params.w_meaning * d_rec[i]
            nl.adjusted += 1
    nl.redone = len(redo)
    out += nl.links(np.array(sorted(redo), dtype=np.int64))
    order = {s.id: i for i, s in enumerate(recs)}
    out.sort(key=lambda lk: (order[lk.rec_id], lk.rank))
    return nl, out
