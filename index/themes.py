"""Group statements into themes and label each theme with Dutch words from the corpus.

Plain data in (statement texts and vectors), plain data out (assignments and
labels). Themes are k-means clusters of the statement embeddings (FAISS,
fixed seed, so the same input gives the same themes); a theme's label is made
of the words that set its statements apart from the rest (class-based TF-IDF
over Dutch stems, shown in their most frequent surface form), so the labels
follow whatever corpus is loaded rather than a fixed list.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict

import numpy as np

from .lexical import STOP_WORDS, analyze, tokens

SEED = 1234
# words too general to name a theme in policy texts (they occur everywhere)
GENERIC = set("""
techniek technologie technisch technische onderwijs nederland nederlandse jaar jaren aantal belangrijk
goed goede meer veel mogelijk mogelijkheden ontwikkeling ontwikkelingen samen daarnaast andere ander
nieuwe nieuw hierbij daarbij waarbij vooral echter daarom zowel gaat gaan komen komt maken maakt zorgen
kunnen wordt worden hebben heeft zijn tussen binnen vanuit steeds vaak onder andere rol sterk sterke
stimuleer stimuleren versterk versterken verbeter verbeteren vergroot vergroten zorg zorgen investeer
investeren nodig noodzakelijk cruciaal essentieel belang moeten dient dienen weinig ontbreekt lees
situatie niveau voorbeelden doelstellingen doelen knelpunten knelpunt uitdagingen uitdaging probleem
problemen belemmeringen tekort tekorten onvoldoende gebrek mensen manier waar deze door verder
""".split())


def _cue_word(tok: str) -> bool:
    from ingest.statements import PROBLEM_TERMS

    return any(tok.startswith(t) for t in PROBLEM_TERMS if " " not in t)


def n_themes(n: int) -> int:
    """About sqrt(n/4) themes, at most 14, and at least 39 statements per theme (k-means needs them)."""
    return int(max(1, min(14, round(math.sqrt(n / 4)), n // 39)))


def cluster(vectors: np.ndarray, k: int) -> np.ndarray:
    """Theme id per vector (0..k-1)."""
    import faiss

    x = np.ascontiguousarray(vectors, dtype=np.float32)
    if k <= 1 or len(x) <= k:
        return np.zeros(len(x), dtype=np.int64)
    km = faiss.Kmeans(x.shape[1], k, niter=25, seed=SEED, spherical=True, verbose=False)
    km.train(x)
    _, assign = km.index.search(x, 1)
    return assign.ravel().astype(np.int64)


def label(texts: list[str], assign: np.ndarray, n_words: int = 3) -> dict[int, dict]:
    """{theme: {"label": "docenten, leraren en lerarentekort", "terms": [...], "size": n}}."""
    per_theme: dict[int, Counter] = defaultdict(Counter)
    surface: dict[str, Counter] = defaultdict(Counter)
    for text, t in zip(texts, assign):
        for tok in tokens(text):
            if tok in STOP_WORDS or tok in GENERIC or len(tok) < 5 or tok.isdigit() or _cue_word(tok):
                continue
            stem = analyze(tok)
            if not stem:
                continue
            per_theme[int(t)][stem[0]] += 1
            surface[stem[0]][tok] += 1
    total = Counter()
    for c in per_theme.values():
        total.update(c)
    n_themes_ = max(len(per_theme), 1)
    df = Counter(stem for c in per_theme.values() for stem in c)
    out = {}
    sizes = Counter(int(t) for t in assign)
    for t, counts in per_theme.items():
        size = sum(counts.values()) or 1
        scored = sorted(
            ((cnt / size) * math.log(1 + n_themes_ / df[s]), s) for s, cnt in counts.items() if cnt >= 3
        )
        top = [surface[s].most_common(1)[0][0] for _, s in sorted(scored, reverse=True)[:n_words]]
        words = top or [surface[s].most_common(1)[0][0] for s, _ in counts.most_common(n_words)]
        text = ", ".join(words[:-1]) + (" en " if len(words) > 1 else "") + words[-1] if words else f"thema {t + 1}"
        out[t] = {"label": text, "terms": words, "size": sizes[t]}
    for t in sizes:
        out.setdefault(t, {"label": f"thema {t + 1}", "terms": [], "size": sizes[t]})
    return out
