"""Group statements into themes and label each theme with Dutch words from the corpus.

Plain data in (statement texts and vectors), plain data out (assignments and
labels). Themes are k-means clusters (FAISS, fixed seed, so the same input
gives the same themes) of two views of each statement side by side: its
embedding, with what its source shares taken out, and its words, reduced by
latent semantic analysis to the topics they form in this corpus; a theme's label is made
of the words that set its statements apart from the rest (class-based TF-IDF
over Dutch stems, shown in their most frequent surface form), so the labels
follow whatever corpus is loaded rather than a fixed list.
"""

from __future__ import annotations

import functools
import math
import zlib
from collections import Counter

import numpy as np

from beleidsbank.settings import ThemeParams

from .analyzer import analyze
from .theme_labels import GENERIC, label  # noqa: F401 (the labels live in theme_labels.py)


def n_themes(n: int, params: ThemeParams = ThemeParams()) -> int:
    """About sqrt(n/4) themes, at most `params.max_themes`, and at least `params.min_theme_size`
    statements per theme (k-means needs them)."""
    return int(max(1, min(params.max_themes, round(math.sqrt(n / 4)), n // params.min_theme_size)))


def without_source(vectors: np.ndarray, groups: list[str]) -> np.ndarray:
    """Subtract each document's mean vector and renormalise: what every statement of one source
    shares (its subject, its style) would otherwise make each source a theme of its own
    (docs/decisions.md, "Themes")."""
    x = np.array(vectors, dtype=np.float32)
    g = np.array(groups)
    if len(set(groups)) > 1:
        for d in set(groups):
            x[g == d] -= x[g == d].mean(axis=0)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms > 0, norms, 1.0)


def word_space(texts: list[str], params: ThemeParams = ThemeParams()) -> np.ndarray:
    """The statements' own words as vectors: TF-IDF over Dutch stems (generic policy words out,
    stems of at least two statements and at most `params.max_df` of them, sublinear counts),
    reduced to `params.topic_dims` topics by a truncated SVD (latent semantic analysis); rows
    L2-normalised, zero where a statement has none of the kept stems. Deterministic for the same
    input (`params.seed`)."""
    from scipy import sparse

    dims = params.topic_dims

    generic = _generic_stems()
    docs = [Counter(s for s in analyze(t) if s not in generic and len(s) > 2) for t in texts]
    df = Counter(s for d in docs for s in d)
    n = len(texts)
    vocab = {s: i for i, s in enumerate(sorted(s for s, c in df.items() if 2 <= c <= max(2, params.max_df * n)))}
    out = np.zeros((n, dims), dtype=np.float32)
    if len(vocab) < 3 or n < 3:
        return out
    rows, cols, vals = [], [], []
    for r, d in enumerate(docs):
        for s, c in d.items():
            if s in vocab:
                rows.append(r)
                cols.append(vocab[s])
                vals.append((1.0 + math.log(c)) * math.log(n / df[s]))
    m = sparse.csr_matrix((vals, (rows, cols)), shape=(n, len(vocab)), dtype=np.float64)
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    m = sparse.diags(1.0 / np.where(norms > 0, norms, 1.0)) @ m
    k = min(dims, min(m.shape))
    z = _top_components(m, k, params.seed)
    out[:, :k] = z / np.maximum(np.linalg.norm(z, axis=1, keepdims=True), 1e-9)
    return out


EXACT_SVD_CELLS = 20_000_000  # statements x stems up to which the SVD is computed exactly


def _top_components(m, k: int, seed: int, oversample: int = 10, power: int = 4) -> np.ndarray:
    """Rows of `m` (sparse, n x terms) in its k leading singular directions, scaled by their
    singular values. Exact (`_exact_components`) where the matrix fits in memory: a randomized SVD that has
    not converged gives another subspace as soon as one document is added, and with it other
    themes. Beyond that a randomized SVD (Halko et al. 2011) with a fixed seed (ARPACK, scipy's
    svds, gave different vectors from run to run where singular values repeat)."""
    if m.shape[0] * m.shape[1] <= EXACT_SVD_CELLS:
        return _exact_components(m.toarray(), k)
    rng = np.random.default_rng(seed)
    y = m @ rng.standard_normal((m.shape[1], min(k + oversample, m.shape[1])))
    for _ in range(power):
        y, _ = np.linalg.qr(y)
        y = m @ (m.T @ y)
    q, _ = np.linalg.qr(y)
    ub, sv, _ = np.linalg.svd(np.asarray((m.T @ q).T), full_matrices=False)
    return ((q @ ub[:, :k]) * sv[:k]).astype(np.float32)


def _exact_components(d: np.ndarray, k: int) -> np.ndarray:
    """`u[:, :k] * sv[:k]` of the SVD of `d`, from the eigenvectors of the smaller Gram matrix
    (statements x statements or stems x stems): the same subspace as LAPACK's SVD, in a fraction
    of the time, since only the leading k of at most a few thousand directions are kept."""
    if d.shape[0] <= d.shape[1]:
        vals, vecs = np.linalg.eigh(d @ d.T)
        top = np.argsort(-vals, kind="stable")[:k]
        return (vecs[:, top] * np.sqrt(np.maximum(vals[top], 0.0))).astype(np.float32)
    vals, vecs = np.linalg.eigh(d.T @ d)
    top = np.argsort(-vals, kind="stable")[:k]
    return (d @ vecs[:, top]).astype(np.float32)


@functools.lru_cache(maxsize=1)
def _generic_stems() -> frozenset[str]:
    return frozenset(s for w in GENERIC for s in analyze(w))


def theme_space(
    vectors: np.ndarray, texts: list[str], sources: list[str], params: ThemeParams = ThemeParams()
) -> np.ndarray:
    """What themes are clustered on: the embeddings without their source's direction
    (`without_source`) beside the word view (`word_space`), each counting alike: with both views
    more gold recommendation-problem pairs fall in one theme, themes mix more sources and more
    statements hold their theme's label than with the embeddings alone
    (`python -m benchmarks.themes_check --data-dir DATA`; figures in docs/decisions.md, "Themes")."""
    both = np.hstack([without_source(vectors, sources), without_source(word_space(texts, params), sources)])
    norms = np.linalg.norm(both, axis=1, keepdims=True)
    return both / np.where(norms > 0, norms, 1.0)


def _lots(keys: list[str], step: int, seed: int) -> np.ndarray:
    """A lot in (0, 1) per statement and step, drawn from its key: the same statement draws the same
    lot whatever else is in the corpus."""
    return np.array([(zlib.crc32(f"{seed}:{step}:{key}".encode()) + 0.5) / 2**32 for key in keys])


def initial_centroids(x: np.ndarray, k: int, keys: list[str], seed: int) -> np.ndarray:
    """k-means++ seeds (each next seed drawn with weight its squared distance to the nearest seed so
    far) where each statement's draw comes from its key (weighted sampling by exponential keys):
    adding a document moves a seed only where one of its own statements wins a draw, so the
    themes of the statements already there stay where they were."""
    d2 = np.ones(len(x))
    chosen: list[int] = []
    for step in range(k):
        c = int(np.argmin(-np.log(_lots(keys, step, seed)) / np.maximum(d2, 1e-12)))
        chosen.append(c)
        d2 = np.minimum(d2, ((x - x[c]) ** 2).sum(axis=1))
    return x[chosen].copy()


def cluster(
    vectors: np.ndarray, k: int, params: ThemeParams = ThemeParams(), keys: list[str] | None = None
) -> np.ndarray:
    """Theme id per vector (0..k-1): spherical k-means, seeded by `params.seed`; given a stable key
    per vector (a statement id), the initial centroids are drawn from the keys
    (`initial_centroids`), so the themes stay put when a document is added."""
    import faiss

    x = np.ascontiguousarray(vectors, dtype=np.float32)
    if k <= 1 or len(x) <= k:
        return np.zeros(len(x), dtype=np.int64)
    # min_points_per_centroid=1: a sub-theme clusters few points; FAISS would warn on stderr (only)
    km = faiss.Kmeans(
        x.shape[1], k, niter=params.kmeans_iterations, seed=params.seed, spherical=True, verbose=False,
        min_points_per_centroid=1,
    )  # fmt: skip
    if keys is None:
        km.train(x)
    else:
        km.train(x, init_centroids=initial_centroids(x, k, keys, params.seed))
    _, assign = km.index.search(x, 1)
    return assign.ravel().astype(np.int64)


def far_from_themes(meaning: np.ndarray, assign: np.ndarray, spread: float) -> np.ndarray:
    """Whether each statement is far from every theme: the cosine of its embedding (`meaning`, the
    statement with its passage, source and all) with the nearest theme's mean embedding lies more
    than `spread` times (median - 10th percentile) of those cosines below their median. A statement
    on a subject no theme covers (a document on another subject) then joins none, rather than the
    nearest."""
    m = np.asarray(meaning, dtype=np.float32)
    m = m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-9)
    ids = sorted(set(assign.tolist()) - {-1})
    if not ids or len(m) < 10:
        return np.zeros(len(m), dtype=bool)
    cents = np.stack([m[assign == t].mean(axis=0) for t in ids])
    cents /= np.maximum(np.linalg.norm(cents, axis=1, keepdims=True), 1e-9)
    best = (m @ cents.T).max(axis=1)
    median, low = np.percentile(best, [50, 10])
    return best < median - spread * (median - low)


def assign_themes(
    vectors: np.ndarray, meaning: np.ndarray, k: int, keys: list[str], params: ThemeParams = ThemeParams()
) -> np.ndarray:
    """Theme per statement, -1 for none: k-means over `vectors` (`theme_space`), and no theme for
    the statements far from every theme (`far_from_themes`)."""
    assign = cluster(vectors, k, params, keys)
    assign[far_from_themes(meaning, assign, params.far_spread)] = -1
    return assign
