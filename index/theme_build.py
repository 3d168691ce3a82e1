"""Build the themes of a store's statements: assignment, the user's edits, labels, descriptions.

Every recommendation and problem gets a theme: the statements far from every theme (and those of
a subject too small for a theme of its own) go to "overig", shown as such, rather than to none.
A theme carries its label (`theme_labels`), its members with the most typical first (closest to
the theme's mean embedding) and a one-line description: its most typical statement, shortened.
The user's renames, merges and splits (`theme_edits`) are replayed after the clustering, so
they hold after every ingest. Plain data in and out, except `refresh` (reads and writes a store).
"""

from __future__ import annotations

import dataclasses
import hashlib

import numpy as np

from beleidsbank.settings import ThemeParams

from . import links as linking
from . import theme_edits, theme_nest, theme_update
from . import themes as theming
from .evaluate import normalise
from .records import Theme
from .theme_labels import heading_text

OVERIG = "overig"  # the theme of the statements that fit none (a word of the data, as labels are)
DESCRIPTION_CHARS = 160


def statement_key(doc_id: str, text: str) -> str:
    """A statement's name in theme edits: its document and its text (a re-ingest may renumber
    statements, the text stays)."""
    return f"{doc_id}:{hashlib.sha1(normalise(text).encode()).hexdigest()[:12]}"


def is_overig(theme: Theme) -> bool:
    return not theme.terms and theme.label == OVERIG


def build(items, stored: dict[int, Theme], params: ThemeParams, edits=()) -> tuple[np.ndarray, list[Theme]]:
    """(theme id per statement, never -1; the themes). The stored themes are kept and extended
    where most statements already have one (`theme_update`); else all are clustered afresh."""
    texts, sources, keys = [i.text for i in items], [i.doc_id for i in items], [i.id for i in items]
    heads = [heading_text(i.section_path) for i in items]
    # themes follow topics, not the form of a statement (advice vs complaint): cluster the
    # statement together with the passage around it
    meaning = linking.meaning_vectors(items)
    vecs = theming.theme_space(meaning, texts, sources, params)
    real = {t: th for t, th in stored.items() if not is_overig(th)}
    previous = np.array([i.theme if i.theme is not None and i.theme in real else -1 for i in items])
    fixed: dict[int, Theme] = {}
    if real and theme_update.should_update(previous):
        assign = theme_update.update(vecs, meaning, previous, keys, params)
        fixed = theme_update.kept_labels(previous, assign, real)
    else:
        assign = theming.assign_themes(vecs, meaning, theming.n_themes(len(items), params), keys, params)
    names: dict[int, str] = {}
    if edits:
        assign, names = theme_edits.replay(list(edits), assign, [statement_key(i.doc_id, i.text) for i in items])
        fixed = {t: th for t, th in fixed.items() if t not in names and _same(previous, assign, t)}
        fixed.update({t: Theme(t, label, (label,), 0) for t, label in names.items()})
    labels = theming.label(texts, assign, sources, fixed, heads)
    assign, top = _with_overig(assign, _described(labels, assign, meaning, items))
    return assign, top + _nested(top, assign, vecs, meaning, items, heads, params)


def _nested(top: list[Theme], assign: np.ndarray, vecs, meaning, items, heads, params) -> list[Theme]:
    """The sub-themes of the broad themes (`theme_nest`), described like them."""
    texts, sources, keys = [i.text for i in items], [i.doc_id for i in items], [i.id for i in items]
    out: list[Theme] = []
    next_id = max(t.id for t in top) + 1
    for parent in top:
        if is_overig(parent):
            continue
        found = theme_nest.sub_themes(
            parent, np.flatnonzero(assign == parent.id), vecs, texts, sources, heads, keys, next_id, params
        )
        for sub, idx in found:
            local = np.full(len(items), -1)
            local[idx] = sub.id
            (described,) = _described({sub.id: sub}, local, meaning, items)
            out.append(dataclasses.replace(described, parent=parent.id))
        next_id += len(found)
    return out


def _same(previous: np.ndarray, assign: np.ndarray, t: int) -> bool:
    return bool(len(theme_update.kept_labels(previous, assign, {t: Theme(t, "", (), 0)})))


def _described(labels: dict[int, Theme], assign: np.ndarray, meaning: np.ndarray, items) -> list[Theme]:
    """The themes with their members, most typical first, and their description."""
    unit = meaning / np.maximum(np.linalg.norm(meaning, axis=1, keepdims=True), 1e-9)
    out = []
    for t, th in labels.items():
        idx = np.flatnonzero(assign == t)
        centre = unit[idx].mean(axis=0)
        order = idx[np.argsort(-(unit[idx] @ centre), kind="stable")]
        typical = next((items[i] for i in order if items[i].kind == "recommendation"), items[order[0]])
        out.append(
            Theme(t, th.label, th.terms, len(idx), shorten(typical.text), None, tuple(items[i].id for i in order))
        )
    return out


def shorten(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """One line of at most `limit` characters, cut at a word."""
    line = " ".join(text.split()).lstrip("•-–* ")
    if len(line) <= limit:
        return line
    return line[:limit].rsplit(" ", 1)[0].rstrip(",;:") + " …"


def _with_overig(assign: np.ndarray, themes: list[Theme]) -> tuple[np.ndarray, list[Theme]]:
    """Statements without a theme (-1) go to "overig", a theme of its own after the others."""
    loose = np.flatnonzero(assign < 0)
    if not len(loose):
        return assign, themes
    t = max([th.id for th in themes] + [-1]) + 1
    assign = np.where(assign < 0, t, assign)
    return assign, themes + [Theme(t, OVERIG, (), len(loose), "", None, ())]


def refresh(store, params: ThemeParams = ThemeParams()) -> int:
    """Recompute the stored themes alone (after a theme edit), inside the caller's write
    transaction; links stay. Returns the number of themes."""
    items = store.linkable()
    stored = {t.id: t for t in store.themes()}
    if not items:
        return 0
    assign, themes = build(items, stored, params, store.theme_edits())
    store.replace_themes(themes, {i.id: int(t) for i, t in zip(items, assign)})
    return len(themes)
