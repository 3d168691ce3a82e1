"""Keep the themes a user already knows when documents are added or removed.

Clustering all statements afresh after every ingest moves the k-means centroids, and with them
the members and labels of themes that had nothing to do with the new document. So a rebuild
starts from the themes already stored: a statement that had a theme keeps it; a statement
without one (new, or far from every theme before) joins the nearest theme when it is as close
to it as that theme's own members typically are; what remains forms new themes when there is
enough of it, else none. A theme keeps its label while most of its members are the same.
Only when most statements are new (the corpus was replaced rather than extended) is everything
clustered afresh. Plain data in and out.
"""

from __future__ import annotations

import numpy as np

from beleidsbank.settings import ThemeParams

from . import themes as theming
from .records import Theme

# below this share of statements that already have a theme, the corpus is mostly new and the
# themes are computed afresh: old themes fitted to a few statements would shape the many
KEEP_SHARE = 0.5
# a theme whose members are mostly the same as before (Jaccard of the member sets) keeps its label
SAME_MEMBERS = 0.5


def should_update(previous: np.ndarray) -> bool:
    """Whether the previous assignment (-1: no theme) is worth keeping."""
    return len(previous) > 0 and float((previous >= 0).mean()) >= KEEP_SHARE


def _unit(m: np.ndarray) -> np.ndarray:
    m = np.asarray(m, dtype=np.float32)
    return m / np.maximum(np.linalg.norm(m, axis=1, keepdims=True), 1e-9)


def _centroids(meaning: np.ndarray, assign: np.ndarray) -> tuple[list[int], np.ndarray]:
    ids = sorted(set(assign.tolist()) - {-1})
    cents = np.stack([meaning[assign == t].mean(axis=0) for t in ids]) if ids else np.zeros((0, meaning.shape[1]))
    return ids, _unit(cents)


def join_threshold(meaning: np.ndarray, assign: np.ndarray, spread: float) -> float:
    """How close a statement must be to a theme's mean embedding to join it: the members' own
    cosines with their theme, less `spread` times their spread (median - 10th percentile), the
    scale `themes.far_from_themes` uses."""
    ids, cents = _centroids(meaning, assign)
    member = assign >= 0
    pos = {t: n for n, t in enumerate(ids)}
    own = np.einsum("ij,ij->i", meaning[member], cents[[pos[t] for t in assign[member]]])
    median, low = np.percentile(own, [50, 10])
    return float(median - spread * (median - low))


def update(
    space: np.ndarray, meaning: np.ndarray, previous: np.ndarray, keys: list[str], params: ThemeParams = ThemeParams()
) -> np.ndarray:
    """Theme per statement (-1: none), starting from `previous` (the stored themes, -1 for a
    statement without one). `space` is what new themes are clustered on (`themes.theme_space`),
    `meaning` the statements' embeddings (what closeness to a theme is measured on)."""
    meaning = _unit(meaning)
    assign = np.asarray(previous, dtype=np.int64).copy()
    ids, cents = _centroids(meaning, assign)
    loose = np.flatnonzero(assign < 0)
    if not ids or not len(loose):
        return assign
    sims = meaning[loose] @ cents.T
    best = sims.argmax(axis=1)
    near = sims[np.arange(len(loose)), best] >= join_threshold(meaning, assign, params.far_spread)
    assign[loose[near]] = np.array(ids)[best[near]]
    rest = loose[~near]
    if len(rest) >= params.min_theme_size:
        k = theming.n_themes(len(rest), params)
        new = theming.assign_themes(space[rest], meaning[rest], k, [keys[i] for i in rest], params)
        assign[rest] = np.where(new >= 0, new + max(ids) + 1, -1)
    return assign


def kept_labels(previous: np.ndarray, assign: np.ndarray, labels: dict[int, Theme]) -> dict[int, Theme]:
    """The stored themes whose members are mostly the same now: they keep their label."""
    out = {}
    for t, theme in labels.items():
        before, now = set(np.flatnonzero(previous == t)), set(np.flatnonzero(assign == t))
        if now and len(before & now) / len(before | now) >= SAME_MEMBERS:
            out[t] = theme
    return out
