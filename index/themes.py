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
import re
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np

from beleidsbank.settings import ThemeParams

from .analyzer import STOP_WORDS, analyze
from .lexicon import PROBLEM_TERMS, imperative, infinitives, lemma_table, word_list
from .records import Theme

# words too general to name a theme in policy texts (they occur everywhere)
GENERIC = set(word_list("generic"))


def _cue_word(tok: str) -> bool:
    return any(tok.startswith(t) for t in PROBLEM_TERMS if " " not in t)


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
    singular values. Exact (LAPACK) where the matrix fits in memory: a randomized SVD that has
    not converged gives another subspace as soon as one document is added, and with it other
    themes. Beyond that a randomized SVD (Halko et al. 2011) with a fixed seed (ARPACK, scipy's
    svds, gave different vectors from run to run where singular values repeat)."""
    if m.shape[0] * m.shape[1] <= EXACT_SVD_CELLS:
        u, sv, _ = np.linalg.svd(m.toarray(), full_matrices=False)
        return (u[:, :k] * sv[:k]).astype(np.float32)
    rng = np.random.default_rng(seed)
    y = m @ rng.standard_normal((m.shape[1], min(k + oversample, m.shape[1])))
    for _ in range(power):
        y, _ = np.linalg.qr(y)
        y = m @ (m.T @ y)
    q, _ = np.linalg.qr(y)
    ub, sv, _ = np.linalg.svd(np.asarray((m.T @ q).T), full_matrices=False)
    return ((q @ ub[:, :k]) * sv[:k]).astype(np.float32)


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
    km = faiss.Kmeans(x.shape[1], k, niter=params.kmeans_iterations, seed=params.seed, spherical=True, verbose=False)
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


WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
MAX_PHRASE = 4
PARTICIPLE = re.compile(r"^ge\w{3,}[td]$")  # "gericht", "gebaseerd": no name for a theme
ADJECTIVE_END = re.compile(
    r"(isch|ische|ale|iele|ieve|ende|aande|ige|lijk|lijke|ate"
    r"|private|publieke|geschoolde|permanent)$"
)


def _phrases(text: str) -> set[str]:
    """Candidate label phrases of one text: runs of 1-4 words that neither start nor end with a
    stop word, a generic word or a cue word, and do not start with an imperative."""
    words = WORD.findall(text.lower())
    out = set()
    for i in range(len(words)):
        if i == 0 and len(words) > 1 and imperative(text.split()[0].strip("•-–*: "), words[0]):
            continue
        for n in range(1, MAX_PHRASE + 1):
            gram = words[i : i + n]
            if len(gram) < n:
                break
            ends = (gram[0], gram[-1])
            if any(w in STOP_WORDS or w in GENERIC or len(w) < 4 or _cue_word(w) for w in ends):
                continue
            if ADJECTIVE_END.search(gram[-1]) or PARTICIPLE.match(gram[-1]):
                continue  # "publiek-private", "technologische": an adjective ends no name
            if n == 1 and _verb(gram[0]):
                continue  # "geven", "zien", "vraagt": a verb alone names no theme ("leven lang ontwikkelen" does)
            if n > 1 and not all(
                w in ("en", "van", "de", "het", "in", "op", "voor", "met", "rond", "rondom")
                or (w not in STOP_WORDS and w not in GENERIC)
                for w in gram
            ):
                continue
            out.add(" ".join(gram))
    return out


def _verb(word: str) -> bool:
    """An infinitive ("geven", "ontwikkelen") or a finite form whose lemma is one ("vraagt", "zorgt");
    short verbs the lemma table lacks ("zien", "staat") are in GENERIC."""
    if word in infinitives():
        return True
    lemma = lemma_table().get(word, word)
    return word.endswith("t") and lemma != word and lemma.endswith("en") and lemma in infinitives()


def _stems(phrase: str) -> tuple[str, ...]:
    return tuple(sorted(set(analyze(phrase))))


@dataclass
class _PhraseCounts:
    """What the labels are chosen from: per theme its size, stem counts, sources and the phrases
    its statements hold (by stems), with the surface forms each phrase takes."""

    sizes: Counter
    stem_tf: dict = field(default_factory=lambda: defaultdict(Counter))
    phrase_df: dict = field(default_factory=lambda: defaultdict(Counter))
    phrase_src: dict = field(default_factory=lambda: defaultdict(set))
    theme_src: dict = field(default_factory=lambda: defaultdict(set))
    surface: dict = field(default_factory=lambda: defaultdict(Counter))

    def shown(self, key: tuple) -> str:
        return self.surface[key].most_common(1)[0][0]


def _count_phrases(texts: list[str], assign: np.ndarray, sources: list[str]) -> _PhraseCounts:
    c = _PhraseCounts(Counter(int(t) for t in assign))
    for text, src, t in zip(texts, sources, assign):
        t = int(t)
        c.stem_tf[t].update(set(analyze(text)))
        c.theme_src[t].add(src)
        seen = set()
        # in sorted order: the surface form a label shows is the most common one, ties going to the
        # first seen, which must not depend on the order of a set (string hashes vary per process)
        for ph in sorted(_phrases(text)):
            key = _stems(ph)
            if key and key not in seen:
                seen.add(key)
                c.phrase_df[t][key] += 1
                c.phrase_src[(t, key)].add(src)
                c.surface[key][ph] += 1
    return c


def _rank_phrases(c: _PhraseCounts) -> tuple[dict[int, list], dict[int, list]]:
    """Per theme, (score, phrase) best first: those held by 3 statements (2 in a small theme),
    and, as spares to tell two themes apart, all held by 2."""
    df = Counter(stem for counts in c.stem_tf.values() for stem in counts)
    k = max(len(c.sizes), 1)

    def weight(t: int, stem: str) -> float:
        return (c.stem_tf[t][stem] / c.sizes[t]) * math.log(1 + k / df[stem])

    ranked: dict[int, list] = {}
    spare: dict[int, list] = {}
    for t in c.sizes:
        scored = []
        least = 3 if any(n >= 3 for n in c.phrase_df[t].values()) else 2
        for key, n in c.phrase_df[t].items():
            if n < 2 or not key:
                continue
            distinct = sum(weight(t, s) for s in key) / len(key)
            length = {1: 0.6, 2: 1.0, 3: 1.0}.get(len(c.shown(key).split()), 0.8)
            shared = math.sqrt(len(c.phrase_src[(t, key)]) / len(c.theme_src[t]))
            scored.append((n / c.sizes[t] * distinct * length * shared, key, n))
        scored.sort(key=lambda x: (-x[0], x[1]))
        ranked[t] = [(score, key) for score, key, n in scored if n >= least]
        spare[t] = [(score, key) for score, key, n in scored]
    return ranked, spare


# a second phrase joins a label only when nearly as telling as the first: one near the margin comes
# and goes with every small change of the corpus
SECOND_PHRASE = 0.7


def _choose(scored: list, spare: list, names: set[tuple]) -> list[tuple]:
    """The one or two phrases that name a theme. Two themes never share a name: where a larger
    theme already has the same label, this one adds its next best phrase ("techniekpact" twice
    became "techniekpact en ...")."""
    chosen: list[tuple] = []
    for score, key in scored:
        if not chosen:
            chosen.append(key)
        elif score >= SECOND_PHRASE * scored[0][0] and not set(key) & {s for c in chosen for s in c}:
            chosen.append(key)
            break
    if chosen and (tuple(chosen) in names or (len(chosen) == 1 and any(n[:1] == tuple(chosen) for n in names))):
        first = chosen[0]
        # each candidate is tried once, best first (a theme with no free name keeps its own)
        for _, extra in spare:
            if extra != first and not set(extra) & set(first) and (first, extra) not in names:
                return [first, extra]
    return chosen


def label(
    texts: list[str], assign: np.ndarray, sources: list[str] | None = None, fixed: dict[int, Theme] | None = None
) -> dict[int, Theme]:
    """{theme id: Theme(id, label="publiek-private samenwerking en regio", terms=(...), size=n)}.

    A label is made of the one or two phrases of the theme's statements that set the theme
    apart: a phrase scores by how many of the theme's statements hold it, by the class-based
    TF-IDF of its stems (how much more often they occur in this theme than in the others) and,
    given the statements' `sources`, by the share of the theme's sources that use it (a theme
    is named in words its sources share, not in one report's own name for things), with a
    preference for two- and three-word phrases. The themes in `fixed` keep the label they have
    (a stored theme whose members stayed, `theme_update.kept_labels`); the others avoid it.
    """
    kept = [i for i, t in enumerate(assign) if t >= 0]  # -1: no theme
    sources = sources or [""] * len(texts)
    texts, sources, assign = [texts[i] for i in kept], [sources[i] for i in kept], np.asarray(assign)[kept]
    counts = _count_phrases(texts, assign, sources)
    ranked, spare = _rank_phrases(counts)
    out = {}
    fixed = {t: th for t, th in (fixed or {}).items() if t in counts.sizes}
    names: set[tuple] = {tuple(_stems(w) for w in th.terms) for th in fixed.values()}
    for t, th in fixed.items():
        out[t] = Theme(t, th.label, th.terms, counts.sizes[t])
    for t in sorted(set(counts.sizes) - set(fixed), key=lambda t: (-counts.sizes[t], t)):
        chosen = _choose(ranked[t], spare[t], names)
        names.add(tuple(chosen))
        words = [counts.shown(key) for key in chosen]
        text = " en ".join(words) if words else f"thema {t + 1}"
        out[t] = Theme(t, text, tuple(words), counts.sizes[t])
    return dict(sorted(out.items()))
