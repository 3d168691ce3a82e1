"""A learned reranker over the hybrid's top candidates.

The hybrid (index/search.py) finds the right passages but orders them poorly: the gold passage
is nearly always among its first few dozen candidates. The reranker reorders the top
`SearchParams.rerank_depth` hits by a linear score over cheap features of each (query, hit)
pair, computed from what the search already has: its fused, dense and lexical scores and rank,
how much of the query's weight (idf) the passage, its best sentence, its section path and its
document title cover, the cosine of the query with the passage's best single sentence (one
sentence answers in a long passage whose pooled vector speaks of everything else it holds:
index/sentence_vectors.py), how many of the candidates come from the same document (one long report
crowding the list), whether the passage states what the question asks for (a recommendation
for an advice question, a problem for a problem question: index/intent.py), its length and
page quality, and the query's language (an English question over Dutch text leans on meaning,
so the language multiplies the scores it weighs differently).

The weights are learned from judged (query, passage) pairs by pairwise logistic regression
(`fit`; `beleidsbank train-rerank`) and shipped as a small JSON file of plain coefficients with
their feature names and a version (index/data/rerank.json), scored with numpy. A file that is
missing, unreadable, of another version or with other features is not used, nor is the reranker
on an index that keeps no sentence vectors (ingested before them): the plain hybrid is the
fallback. The reordered hits keep the hybrid's scores in descending order (the best
score goes to the new first hit), so callers that weigh hits by score relative to the first
(index/advise.py) see the same scale.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from .analyzer import analyze
from .intent import recognise

log = logging.getLogger(__name__)

VERSION = 2  # 2: the best sentence's cosine (index/sentence_vectors.py)
DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "rerank.json"
FEATURES = (
    "fused_gap",  # fused score minus the best candidate's
    "dense_gap",  # dense cosine minus the best candidate's
    "lexical",  # BM25 scaled by the best candidate's
    "log_rank",  # log2(1 + hybrid rank)
    "cover",  # share of the query's idf weight the passage holds
    "cover_sentence",  # ... its best sentence holds
    "cover_section",  # ... its section path holds
    "cover_title",  # ... its document title holds
    "doc_share",  # share of the candidates from the same document
    "doc_order",  # log2(1 + better candidates from the same document)
    "intent_match",  # states what an advice or problem question asks for
    "intent_miss",  # an advice or problem question, a passage that does not state it
    "states_any",  # holds a recommendation or problem at all
    "log_length",  # log of the passage length over 500 characters
    "quality",  # 0 good page, 1 fair, 2 poor
    "footnote",  # a footnote passage
    "en_dense",  # English question x dense_gap
    "en_lexical",  # English question x lexical
    "en_cover",  # English question x cover
    "sent_gap",  # cosine of the query with the passage's best sentence minus the best candidate's
    "sent_lift",  # that cosine minus the passage's own: one sentence answers in a longer passage
    "sent2_gap",  # mean cosine of the best two sentences minus the best candidate's
    "en_sent",  # English question x sent_gap
)
_WANTS = {"advice": "recommendation", "problem": "problem"}


@dataclass
class Model:
    """Standardised features times weights: score = ((x - mean) / scale) @ weights."""

    weights: np.ndarray
    mean: np.ndarray
    scale: np.ndarray
    features: tuple[str, ...] = FEATURES
    version: int = VERSION
    info: dict = field(default_factory=dict)  # how it was trained (data, figures); not used to score

    def score(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.weights

    def to_json(self) -> dict:
        return {
            "version": self.version,
            "features": list(self.features),
            "weights": [round(float(v), 6) for v in self.weights],
            "mean": [round(float(v), 6) for v in self.mean],
            "scale": [round(float(v), 6) for v in self.scale],
            "info": self.info,
        }


def save(model: Model, path: Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(model.to_json(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)


def load(path: Path | None = None, model: str | None = None) -> Model | None:
    """The model in `path` (default: the shipped file), or None when it is missing, unreadable,
    of another version, scores other features than this code computes, or was trained on the
    scores of another embedding model than `model` (the index's)."""
    path = Path(path) if path else DEFAULT_FILE
    try:
        d = json.loads(path.read_text(encoding="utf-8"))
        arrays = [np.asarray(d[key], dtype=np.float64) for key in ("weights", "mean", "scale")]
        ok = d.get("version") == VERSION and tuple(d.get("features", ())) == FEATURES
        ok = ok and all(a.shape == (len(FEATURES),) and np.isfinite(a).all() for a in arrays)
        ok = ok and not (model and (d.get("info") or {}).get("model") not in (None, model))
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        ok = False
    if not ok:
        if path.exists():
            log.warning("reranker %s not used (unreadable, or another version, features or model)", path.name)
        return None
    weights, mean, scale = arrays
    return Model(weights, mean, np.where(scale > 0, scale, 1.0), FEATURES, VERSION, d.get("info") or {})


# -- features ----------------------------------------------------------------------


@dataclass(frozen=True)
class Query:
    """What the features need of a query: its stems with idf, language and intent."""

    idf: dict[str, float]
    english: bool
    wants: str | None  # the statement kind the question asks for, if any

    @classmethod
    def of(cls, text: str, term_idf) -> Query:
        stems = sorted(set(analyze(text)))
        it = recognise(text)
        return cls(term_idf(stems), it.language == "en", _WANTS.get(it.intent))

    def cover(self, stems: set[str]) -> float:
        total = sum(self.idf.values())
        return sum(v for t, v in self.idf.items() if t in stems) / total if total > 0 else 0.0


class Analysed:
    """Stems of passage parts, cached by passage id (a passage's text does not change within one
    id; the cache is bounded and cleared when the searcher loads another index generation)."""

    def __init__(self, limit: int = 20000):
        self.limit = limit
        self._cache: dict[tuple[str, str], set[str]] = {}

    def clear(self) -> None:
        self._cache.clear()

    def stems(self, key: str, part: str, text: str) -> set[str]:
        k = (key, part)
        got = self._cache.get(k)
        if got is None:
            if len(self._cache) >= self.limit:
                self._cache.clear()
            got = self._cache[k] = set(analyze(text or ""))
        return got


def features(
    q: Query, hits: list, kinds: dict[str, set[str]], analysed: Analysed, sentences: np.ndarray | None = None
) -> np.ndarray:
    """One row of FEATURES per hit (hits in hybrid order); `kinds`: statement kinds per
    passage id; `sentences`: per hit the cosine of the query with its best sentence and the mean
    of its best two (index/sentence_vectors.py; None: the passages' own cosines stand in)."""
    if not hits:
        return np.zeros((0, len(FEATURES)))
    dense = np.array([h.dense_score for h in hits], dtype=np.float64)
    sent = np.column_stack([dense, dense]) if sentences is None else np.asarray(sentences, dtype=np.float64)
    sent_top, sent2_top = sent[:, 0].max(), sent[:, 1].max()
    top_fused = max(h.score for h in hits)
    top_dense = max(h.dense_score for h in hits)
    top_lex = max(h.lexical_score for h in hits)
    per_doc: dict[str, int] = {}
    for h in hits:
        per_doc[h.doc_id] = per_doc.get(h.doc_id, 0) + 1
    seen: dict[str, int] = {}
    rows = []
    for i, h in enumerate(hits):
        earlier = seen.get(h.doc_id, 0)
        seen[h.doc_id] = earlier + 1
        start, end = h.best_sentence
        has = kinds.get(h.passage_id, set())
        matched = q.wants is not None and q.wants in has
        dense_gap = h.dense_score - top_dense
        lexical = h.lexical_score / top_lex if top_lex > 0 else 0.0
        cover = q.cover(analysed.stems(h.passage_id, "text", h.text))
        rows.append(
            [
                h.score - top_fused,
                dense_gap,
                lexical,
                math.log2(2 + i),
                cover,
                q.cover(analysed.stems(h.passage_id, f"s{start}", h.text[start:end])),
                q.cover(analysed.stems(h.passage_id, "section", h.section_path)),
                q.cover(analysed.stems(h.doc_id, "title", h.title)),
                per_doc[h.doc_id] / len(hits),
                math.log2(1 + earlier),
                float(matched),
                float(q.wants is not None and not matched),
                float(bool(has)),
                math.log(max(len(h.text), 20) / 500),
                float(("goed", "matig", "slecht").index(h.quality) if h.quality in ("matig", "slecht") else 0),
                float(h.kind == "footnote"),
                q.english * dense_gap,
                q.english * lexical,
                q.english * cover,
                sent[i, 0] - sent_top,
                sent[i, 0] - h.dense_score,
                sent[i, 1] - sent2_top,
                q.english * (sent[i, 0] - sent_top),
            ]
        )
    return np.asarray(rows, dtype=np.float64)


def reorder(hits: list, scores: np.ndarray, k: int) -> list:
    """The hits ordered by `scores` (ties keep the hybrid order), renumbered, the hybrid's scores
    handed out best first, cut to k."""
    order = sorted(range(len(hits)), key=lambda i: (-float(scores[i]), i))
    fused = sorted((h.score for h in hits), reverse=True)
    return [replace(hits[i], rank=n + 1, score=fused[n]) for n, i in enumerate(order[:k])]


# -- training ------------------------------------------------------------------------


def pairs(labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(better, worse, weight) index pairs of one query: every candidate of a higher grade over
    one of a lower grade, weighted by the difference in gain (2^grade - 1) and normalised so that
    each query counts once."""
    gains = 2.0**labels - 1
    hi, lo = np.nonzero(labels[:, None] > labels[None, :])
    w = gains[hi] - gains[lo]
    return hi, lo, (w / w.sum() if len(w) else w)


def fit(groups: list[tuple[np.ndarray, np.ndarray]], l2: float = 0.1, steps: int = 400) -> Model:
    """Pairwise logistic regression over the queries' (features, grades); gradient descent with
    Adam on standardised features. Regularised toward the hybrid: the weight of the hybrid's own
    score (`fused_gap`) starts at 1 and is free, the L2 penalty pulls every other weight to 0, so
    a strong penalty gives the hybrid order back and the judged data has to earn every
    departure from it."""
    X = np.vstack([x for x, _ in groups])
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale = np.where(scale > 1e-9, scale, 1.0)
    diffs, weights = [], []
    for x, y in groups:
        hi, lo, w = pairs(np.asarray(y, dtype=np.float64))
        if len(w):
            z = (x - mean) / scale
            diffs.append(z[hi] - z[lo])
            weights.append(w)
    theta, m, v = np.zeros(X.shape[1]), np.zeros(X.shape[1]), np.zeros(X.shape[1])
    theta[FEATURES.index("fused_gap")] = 1.0
    penalty = np.where(np.arange(X.shape[1]) == FEATURES.index("fused_gap"), 0.0, l2)
    if not diffs:  # no query with a graded difference: nothing to learn, the hybrid order
        return Model(theta, mean, scale)
    D, W = np.vstack(diffs), np.concatenate(weights) / len(diffs)
    for t in range(1, steps + 1):
        margin = D @ theta
        grad = -(D * (W * _sigmoid(-margin))[:, None]).sum(axis=0) + penalty * theta
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        theta -= 0.05 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return Model(theta, mean, scale)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (1 + np.tanh(0.5 * x))
