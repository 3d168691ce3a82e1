"""Link each recommendation to the problems it addresses, with a score and evidence.

Plain data in (`Linkable` statements with vectors), plain data out (`Link`s with `Evidence`).
The score combines:
- meaning: the statements' vectors (multilingual-e5; each the mean of its tokens'
  vectors in the forward pass of its passage, see `Embedder.encode_passages_with_spans`)
  and those of the passages around them: a terse recommendation ("Stimuleer een
  leven lang ontwikkelen") is understood with the text it stands in. The sum of
  the four cosines is corrected for hubness (CSLS, Conneau et al. 2018): a generic
  problem that is close to every recommendation counts for less than one that is
  close to this recommendation in particular;
- words: shared index features (Dutch stems and their 5-grams, so compounds
  meet their parts), weighted by rarity;
- the problem's own confidence: a problem stated outright ("Er is een tekort aan
  docenten", under "Knelpunten") before one the cues only just made a problem;
- structure: in the same document, the share of the section path they share
  and how close they stand. A shared theme is reported as evidence only.
A threshold per scope keeps weak links out, and at most `max_same` same-document and
`max_cross` cross-document problems are kept per recommendation (`LinkParams`). A problem that a
report states twice (its summary repeats a chapter) takes one place in a list:
the lower-scored repeat is left out and named in the kept one's evidence.

Each part was kept because it raised link Recall@5 within the gold link's scope on
../shared/eval/dev_links.jsonl (`beleidsbank eval`) without lowering it on
eval/holdout_links.jsonl; the steps and their figures are in docs/decisions.md ("Links").
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import numpy as np
from scipy import sparse

from beleidsbank.settings import LinkParams

from . import link_scorer
from .analyzer import STOP_WORDS, analyze, features, tokens
from .link_features import FEATURES, LinkSpace
from .records import Evidence, Link, Linkable

# The weights, threshold and list lengths are LinkParams (beleidsbank/settings.py; how they were
# chosen: docs/decisions.md). A shared theme is shown as evidence only, never scored.
BLOCK = 1024  # recommendations scored at once (memory: BLOCK x problems floats)


def _shared_prefix(a: list[str], b: list[str]) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _token_stems(text: str) -> list[tuple[str, str]]:
    """(surface word, stem) of the content words of `text`, once per statement (for evidence)."""
    out = []
    for tok in dict.fromkeys(tokens(text)):
        if tok in STOP_WORDS or len(tok) < 4:
            continue
        stem = analyze(tok)
        if stem:
            out.append((tok, stem[0]))
    return out


def _repeats(a: frozenset, b: frozenset, share: float) -> bool:
    """Whether two problems' content stems make them one statement repeated (`LinkParams.repeat`)."""
    return bool(a) and len(a & b) >= share * len(a | b)


def _key_words(words: list[tuple[str, str]], stems: set[str]) -> list[str]:
    """Surface words whose stem is in `stems` (for showing evidence)."""
    return [tok for tok, stem in words if stem in stems]


def meaning_vectors(stmts: list[Linkable]) -> np.ndarray:
    """Statement vector plus the vector of its passage (the statement's own where it has none)."""
    return np.vstack(
        [
            np.asarray(s.vector, dtype=np.float32)
            + np.asarray(s.context if s.context is not None else s.vector, dtype=np.float32)
            for s in stmts
        ]
    )


def _top_mean(scores: np.ndarray, k: int, axis: int) -> np.ndarray:
    k = min(k, scores.shape[axis])
    return -np.partition(-scores, k - 1, axis=axis).take(range(k), axis=axis).mean(axis=axis)


def _word_overlap(recs: list[Linkable], problems: list[Linkable]):
    """Sparse (recs x problems) matrix of shared rare features, and the feature sets."""
    feats = [set(features(s.text)) for s in recs + problems]
    df = Counter(t for f in feats for t in f)
    n = len(feats)
    vocab = {t: i for i, t in enumerate(sorted(df))}
    idf = np.array([math.log(n / (1 + df[t])) + 1.0 for t in sorted(df)], dtype=np.float32)

    def matrix(sets):
        rows = [i for i, f in enumerate(sets) for _ in f]
        cols = [vocab[t] for f in sets for t in sorted(f)]
        return sparse.csr_matrix((np.ones(len(cols), dtype=np.float32), (rows, cols)), shape=(len(sets), len(vocab)))

    rf, pf = feats[: len(recs)], feats[len(recs) :]
    r_mat, p_mat = matrix(rf), matrix(pf)
    norm = 1.0 + r_mat @ idf
    words = sparse.diags(1.0 / norm) @ r_mat @ sparse.diags(idf) @ p_mat.T
    return words.tocsr(), rf, pf


def _candidates_pay(recs, problems, params: LinkParams) -> bool:
    """Whether nearest-neighbour candidates (`params.candidates` per recommendation, plus every
    problem of its own document) are far fewer than all pairs. One long document holding most
    problems makes them nearly all pairs, held per pair: the blocked every-pair path is then
    cheaper and bounded in memory."""
    per_doc = Counter(p.doc_id for p in problems)
    wanted = sum(min(len(problems), params.candidates + per_doc[r.doc_id]) for r in recs)
    return wanted < len(recs) * len(problems) / 2


def link(recs: list[Linkable], problems: list[Linkable], params: LinkParams = LinkParams()) -> list[Link]:
    """Rank problems for every recommendation.

    Statements are `Linkable`s (records.py): vector normalised, context the
    normalised vector of the passage (or None), theme an int or None. Returns
    `Link`s, ranked per recommendation, deterministic for the same input.
    """
    if not recs or not problems:
        return []
    scorer = link_scorer.load(link_scorer.DEFAULT_PATH) if params.learned else None
    if scorer is not None:
        return _Learned(recs, problems, params, scorer).links()
    if len(recs) * len(problems) > params.exact_pairs and _candidates_pay(recs, problems, params):
        from .link_near import NearLinks  # the same score over nearest-neighbour candidates

        return NearLinks(recs, problems, params).links()
    ranker = _Ranker(recs, problems, params)
    out = []
    for a in range(0, len(recs), BLOCK):
        scores = ranker.block_scores(a)
        for i, r in enumerate(recs[a : a + BLOCK]):
            out.extend(ranker.rank(a + i, r, scores[i]))
    return out


class _Ranker:
    """What `link` computes once over all problems, and the ranking of one recommendation."""

    def __init__(self, recs: list[Linkable], problems: list[Linkable], params: LinkParams):
        self.setup(recs, problems, params)
        # hubness: mean of each problem's csls_k best recommendations, block by block
        hub = np.full((min(params.csls_k, len(recs)), len(problems)), -np.inf, dtype=np.float32)
        for a in range(0, len(recs), BLOCK):
            block = self.rm[a : a + BLOCK] @ self.pm.T
            hub = -np.partition(-np.vstack([hub, block]), hub.shape[0] - 1, axis=0)[: hub.shape[0]]
        self.prob_hub = hub.mean(axis=0)
        self.words, self.rfeats, self.pfeats = _word_overlap(recs, problems)

    def setup(self, recs: list[Linkable], problems: list[Linkable], params: LinkParams) -> None:
        """What every ranking needs besides the scores: vectors, confidence, structure, evidence."""
        self.recs, self.problems, self.params = recs, problems, params
        self.rm, self.pm = meaning_vectors(recs), meaning_vectors(problems)
        self.rq = np.vstack([np.asarray(r.vector, dtype=np.float32) for r in recs])
        self.pq = np.vstack([np.asarray(p.vector, dtype=np.float32) for p in problems])
        # a problem without a confidence counts as neutral
        self.certainty = np.array(
            [
                (p.confidence if p.confidence is not None else params.neutral_confidence) - params.neutral_confidence
                for p in problems
            ],
            dtype=np.float32,
        )
        self.paths = [p.section_path.split(" > ") for p in problems]
        by_doc: dict[str, list[int]] = defaultdict(list)
        for j, p in enumerate(problems):
            by_doc[p.doc_id].append(j)
        self.by_doc = {d: np.array(js, dtype=np.int64) for d, js in by_doc.items()}
        self.seqs = np.array([p.seq for p in problems], dtype=np.float32)
        self.order_ids = np.array([p.id for p in problems])
        self.words_of: dict[int, list[tuple[str, str]]] = {}
        self.stems_of: dict[int, frozenset] = {}
        self.repeated: dict[int, list[int]] = defaultdict(list)  # kept problem -> its repeats left out
        self.sections: dict[tuple[str, str], tuple[np.ndarray, np.ndarray]] = {}

    def block_scores(self, a: int) -> np.ndarray:
        """Scores of recommendations a .. a + BLOCK against every problem, before structure."""
        p = self.params
        meaning = self.rm[a : a + BLOCK] @ self.pm.T
        rec_hub = _top_mean(meaning, p.csls_k, axis=1)
        return (
            1.0
            + p.w_meaning * (2 * meaning - rec_hub[:, None] - self.prob_hub[None, :])
            + p.w_words * self.words[a : a + BLOCK].toarray()
            + p.w_confidence * self.certainty[None, :]
        )

    def stem_set(self, j: int) -> frozenset:
        if j not in self.stems_of:
            self.stems_of[j] = frozenset(analyze(self.problems[j].text))
        return self.stems_of[j]

    def best(self, idx: np.ndarray, values: np.ndarray, limit: int, threshold: float | None = None) -> list[int]:
        """The `limit` best of `idx` at or above the threshold, a repeated statement once (its
        repeats go to `repeated`); ties by problem id (stable output)."""
        keep = values >= (self.params.threshold if threshold is None else threshold)
        idx, values = idx[keep], values[keep]
        if len(idx) > 4 * limit:
            part = np.argpartition(-values, 4 * limit)[: 4 * limit]
            idx, values = idx[part], values[part]
        kept: list[int] = []
        for j in idx[np.lexsort((self.order_ids[idx], -values))].tolist():
            twin = next((k for k in kept if _repeats(self.stem_set(j), self.stem_set(k), self.params.repeat)), None)
            if twin is not None:
                self.repeated[twin].append(j)
            elif len(kept) < limit:
                kept.append(j)
        return kept

    def rank(self, ri: int, r: Linkable, row: np.ndarray) -> list[Link]:
        """The links of recommendation `ri` (`r`), whose scores against every problem are `row`."""
        same_idx = self.by_doc.get(r.doc_id, np.zeros(0, dtype=np.int64))
        cross = row.copy()
        cross[same_idx] = -np.inf
        return self.rank_split(ri, r, same_idx, row[same_idx], np.arange(len(self.problems)), cross)

    def section_shares(self, r: Linkable, rpath: list[str], same_idx: np.ndarray) -> np.ndarray:
        """Share of `r`'s section path each problem of `same_idx` (of `r`'s document) shares; one
        computation per section of a document, its recommendations share it."""
        key = (r.doc_id, r.section_path)
        if key not in self.sections:
            doc, depth = self.by_doc.get(r.doc_id, np.zeros(0, dtype=np.int64)), max(len(rpath), 1)
            shares = [_shared_prefix(rpath, self.paths[j]) / depth for j in doc.tolist()]
            self.sections[key] = (doc, np.array(shares, dtype=np.float32))
        doc, shares = self.sections[key]
        return shares[np.searchsorted(doc, same_idx)] if len(same_idx) else np.zeros(0, np.float32)

    def rank_split(self, ri: int, r: Linkable, same_idx, same_row, cross_idx, cross_row) -> list[Link]:
        """The links of recommendation `ri` (`r`) from the scores, before structure, of problems of its
        own document (`same_idx`, `same_row`) and of other documents (`cross_idx`, `cross_row`)."""
        p = self.params
        rpath = r.section_path.split(" > ")
        section = self.section_shares(r, rpath, same_idx)
        proximity = np.maximum(0.0, 1.0 - np.abs(r.seq - self.seqs[same_idx]) / p.proximity_span)
        same_scores = same_row + p.w_section * section + p.w_proximity * proximity
        structure = dict(zip(same_idx.tolist(), zip(same_scores.tolist(), section.tolist())))
        self.repeated.clear()
        kept = self.best(same_idx, same_scores, p.max_same)
        kept += self.best(cross_idx, cross_row, p.max_cross, p.threshold_cross)
        score_of = {
            j: structure[j][0] if j in structure else float(cross_row[np.flatnonzero(cross_idx == j)[0]]) for j in kept
        }
        kept.sort(key=lambda j: (-score_of[j], self.problems[j].id))
        return self.ranked(ri, r, kept, score_of, rpath, structure)

    def ranked(self, ri: int, r: Linkable, kept: list[int], score_of: dict, rpath: list[str], structure: dict):
        """The kept problems of recommendation `ri` as ranked links (kept in rank order)."""
        return [
            Link(
                r.id,
                self.problems[j].id,
                rank,
                round(score_of[j], 4),
                "same-doc" if j in structure else "cross-doc",
                self.evidence(ri, r, j, rpath, structure),
            )
            for rank, j in enumerate(kept, start=1)
        ]

    def evidence(self, ri: int, r: Linkable, j: int, rpath: list[str], structure: dict) -> Evidence:
        problems, prob = self.problems, self.problems[j]
        if j not in self.words_of:
            self.words_of[j] = _token_stems(prob.text)
        stems = {t for t in self.rfeats[ri] & self.pfeats[j] if not t.startswith("#")}
        same = j in structure
        return Evidence(
            meaning=round(float(self.rq[ri] @ self.pq[j]), 3),
            shared_words=tuple(_key_words(self.words_of[j], stems)[:6]),
            same_theme=r.theme is not None and r.theme == prob.theme,
            section=(self.paths[j][_shared_prefix(rpath, self.paths[j]) - 1] if same and structure[j][1] > 0 else ""),
            distance=abs(r.seq - prob.seq) if same else None,
            # the same problem stated elsewhere, left out of the list: (statement id, page)
            repeats=tuple(
                (problems[k].id, str(problems[k].page_label))
                for k in sorted(self.repeated.get(j, []), key=lambda k: problems[k].id)
            ),
        )


class _Learned(_Ranker):
    """Ranking by the learned scorer over nearest-neighbour candidates (link_features.py):
    same-document and cross-document problems are ranked and thresholded apart, so that the
    cross-document ones are not pushed out by the closer same-document ones."""

    def __init__(self, recs: list[Linkable], problems: list[Linkable], params: LinkParams, scorer):
        self.recs, self.problems, self.params, self.scorer = recs, problems, params, scorer
        self.space = LinkSpace(recs, problems, params)
        self.rq, self.pq = self.space.rq, self.space.pq
        self.rfeats, self.pfeats, self.paths = self.space.rfeats, self.space.pfeats, self.space.paths
        self.order_ids = np.array([p.id for p in problems])
        self.words_of, self.stems_of = {}, {}
        self.repeated = defaultdict(list)

    def links(self) -> list[Link]:
        out: list[Link] = []
        same_col, section_col = FEATURES.index("same_doc"), FEATURES.index("section")
        for a in range(0, len(self.recs), BLOCK):
            cands = [self.space.candidates(i) for i in range(a, min(a + BLOCK, len(self.recs)))]
            rows = np.concatenate([np.full(len(c), a + n) for n, c in enumerate(cands)])
            x = self.space.features(rows, np.concatenate(cands))
            scores = self.scorer.score(x)
            at = 0
            for n, cand in enumerate(cands):
                part = slice(at, at + len(cand))
                at += len(cand)
                ri = a + n
                out.extend(self.rank_learned(ri, cand, scores[part], x[part, same_col] > 0, x[part, section_col]))
        return out

    def rank_learned(self, ri: int, cand, scores, same, section) -> list[Link]:
        p, s, r = self.params, self.scorer, self.recs[ri]
        self.repeated.clear()
        kept = self.best(cand[same], scores[same], p.max_same, s.threshold_same)
        kept += self.best(cand[~same], scores[~same], p.max_cross, s.threshold_cross)
        score_of = dict(zip(cand.tolist(), scores.tolist()))
        structure = {j: (score_of[j], float(v)) for j, v in zip(cand[same].tolist(), section[same].tolist())}
        kept.sort(key=lambda j: (-score_of[j], self.problems[j].id))
        rpath = r.section_path.split(" > ")
        return self.ranked(ri, r, kept, score_of, rpath, structure)
