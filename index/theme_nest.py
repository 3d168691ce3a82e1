"""Sub-themes: a broad theme split into the narrower topics it holds, where it is large enough.

A theme of at least `2 * params.sub_theme_size` statements is split by k-means (seeds drawn from
the statement ids, as for the themes) into about one sub-theme per `sub_theme_size` statements,
at most `params.max_sub_themes`; each sub-theme is labelled among its siblings (`theme_labels`),
never with its parent's label. A statement's theme stays the broad one (what the comparison and
the filters use); a sub-theme is known by its members. Plain data in and out.
"""

from __future__ import annotations

import numpy as np

from beleidsbank.settings import ThemeParams

from . import theme_labels
from . import themes as theming
from .records import Theme


def sub_themes(
    parent: Theme, idx: np.ndarray, space: np.ndarray, texts: list[str], sources: list[str], heads: list[str],
    keys: list[str], first_id: int, params: ThemeParams = ThemeParams(),
) -> list[tuple[Theme, np.ndarray]]:  # fmt: skip
    """(sub-theme, the statement positions it holds) for the parent theme's statements `idx`
    (positions in the full lists); ids from `first_id` on. Empty where the theme is too small."""
    size = params.sub_theme_size
    if size <= 0 or len(idx) < 2 * size:
        return []
    k = int(min(params.max_sub_themes, len(idx) // size))
    sub = theming.cluster(space[idx], k, params, [keys[i] for i in idx])
    if len(set(sub.tolist())) < 2:
        return []
    labels = theme_labels.label(
        [texts[i] for i in idx], sub, [sources[i] for i in idx], headings=[heads[i] for i in idx], taken=(parent,)
    )
    order = sorted(set(sub.tolist()), key=lambda t: (-(sub == t).sum(), t))
    return [
        (Theme(first_id + n, labels[t].label, labels[t].terms, int((sub == t).sum()), "", parent.id), idx[sub == t])
        for n, t in enumerate(order)
    ]
