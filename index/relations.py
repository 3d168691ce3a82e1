"""Statements, themes and recommendation-problem links over the store.

The computations; the store (store.py) keeps the rows. `put_statements` stores
one document's statements inside the ingest transaction; `rebuild` recomputes
themes and links over all documents in that same transaction, so readers see
links that match the statements. `compare` and `similar_recommendations` read.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from beleidsbank.settings import LinkParams, ThemeParams

from . import links as linking
from . import theme_build
from . import themes as theming
from .store import Statement, Store, Theme, passage_id


def needs_vector(statement) -> bool:
    return statement.kind in ("recommendation", "problem")


def put_statements(store: Store, doc_id: str, statements, passages, vectors: dict[int, np.ndarray]) -> None:
    """Replace one document's statements. `vectors` maps statement seq -> embedding."""
    spans = [(p.start, p.end, p.seq) for p in passages]
    # the first passage whose span holds the statement's start
    holders = [next((passage_id(doc_id, q) for a, z, q in spans if a <= s.start < z), None) for s in statements]
    store.put_statements(doc_id, statements, holders, vectors)


def rebuild(store: Store, links: LinkParams = LinkParams(), themes: ThemeParams = ThemeParams()) -> dict:
    """Recompute themes and links over all recommendation and problem statements, with the
    given parameters."""
    store.apply_label_reviews()  # a reviewed label holds over the parsed one (store_reviews.py)
    items = store.linkable()
    stored = {t.id: t for t in store.themes()}
    store.clear_relations()
    if not items:
        return {"links": 0, "themes": 0}
    assign, built = theme_build.build(items, stored, themes, store.theme_edits())
    store.put_themes(built, {i.id: int(t) for i, t in zip(items, assign)})
    # "overig" gathers what fits no theme: two of its statements share no topic
    overig = {th.id for th in built if theme_build.is_overig(th)}
    items = [dataclasses.replace(i, theme=int(t) if t not in overig else None) for i, t in zip(items, assign)]
    recs = [i for i in items if i.kind == "recommendation"]
    # a link points at a stated problem: a heading ("3.3 Versnippering in het Techniekpact") names
    # the topic of the statements under it, which are the targets
    probs = [i for i in items if i.kind == "problem" and i.unit != "heading"]
    found = linking.link(recs, probs, links)
    store.put_links(found)
    store.apply_link_reviews()  # users' verdicts: a confirmed link always shows, a rejected one never
    return {"links": len(found), "themes": len(built)}


def similar_recommendations(
    store: Store, rec_id: str, top: int = 5, visible: frozenset[str] | None = None
) -> list[tuple[Statement, float]]:
    """Recommendations in the other sources closest in meaning to `rec_id` (cosine of the
    statement embeddings), best first; with `visible`, only of those documents (and none for a
    recommendation outside them)."""
    rec = store.statement(rec_id, visible=visible)
    query = store.statement_vector(rec_id) if rec else None
    if query is None:
        return []
    ids, mat = store.recommendation_vectors(exclude_doc=rec.doc_id, visible=visible)
    if not ids:
        return []
    scores = mat @ query
    out = []
    for i in np.argsort(-scores)[:top]:
        s = store.statement(ids[i])
        if s:
            out.append((s, float(scores[i])))
    return out


def visible_themes(themes: list[Theme], stmts: list[Statement]) -> list[Theme]:
    """`themes` (one level: the broad themes, or sub-themes) as a viewer sees them, `stmts` being
    the statements it may see. A theme's statements are its members (or, for a theme stored
    without members, the statements that name it); of them only the visible ones count, and
    nothing of a hidden document shows through a theme:
    - its size and members are those of the visible ones (members in their stored order, most
      typical first); a theme without any is left out;
    - its description is, as `theme_build` makes it, the most typical member (a recommendation
      first) shortened, now of the visible members;
    - a label that names a phrase none of its visible statements or their headings hold (a
      phrase of a hidden document) is made again from them (`themes.label`).
    What the viewer's statements all hold stays as stored."""
    from .analyzer import analyze
    from .theme_build import shorten

    by_id = {st.id: st for st in stmts}
    out, own = [], {}
    for t in themes:
        mine = [by_id[m] for m in t.members if m in by_id] if t.members else [st for st in stmts if st.theme == t.id]
        if not mine:
            continue
        own[t.id] = mine
        typical = next((st for st in mine if st.kind == "recommendation"), mine[0])
        description = shorten(typical.text) if t.description else ""
        members = tuple(st.id for st in mine) if t.members else ()
        out.append(dataclasses.replace(t, size=len(mine), members=members, description=description))
    held = {
        tid: {w for st in mine for w in analyze(st.text) + analyze(st.section_path or "")} for tid, mine in own.items()
    }
    stale = {t.id for t in out if not all(set(analyze(w)) <= held[t.id] for w in t.terms)}
    if not stale:
        return out
    pairs = [(st, tid) for tid, mine in own.items() for st in mine]
    fresh = theming.label(
        [st.text for st, _ in pairs], np.array([tid for _, tid in pairs]), [st.doc_id for st, _ in pairs]
    )
    return [
        dataclasses.replace(t, label=fresh[t.id].label, terms=fresh[t.id].terms)
        if t.id in stale and t.id in fresh
        else t
        for t in out
    ]


@dataclass(frozen=True)
class Cell:
    """One theme in one document: how many recommendations and problems, and the strongest."""

    recommendations: int
    problems: int
    top: tuple[Statement, ...]

    def to_json(self) -> dict:
        return {
            "recommendations": self.recommendations,
            "problems": self.problems,
            "top": [
                {
                    "id": s.id,
                    "kind": s.kind,
                    "text": s.text,
                    "page_label": s.page_label,
                    "section": s.section,
                    "confidence": s.confidence,
                }
                for s in self.top
            ],
        }


@dataclass(frozen=True)
class ThemeRow:
    theme: Theme
    cells: dict[str, Cell]  # document id -> cell

    def to_json(self) -> dict:
        return {**self.theme.to_json(), "cells": {d: c.to_json() for d, c in self.cells.items()}}


@dataclass(frozen=True)
class Comparison:
    """Source x theme matrix."""

    documents: tuple[str, ...]
    themes: tuple[ThemeRow, ...]

    def to_json(self) -> dict:
        return {"documents": list(self.documents), "themes": [t.to_json() for t in self.themes]}


def compare(store: Store, top: int = 3, visible: frozenset[str] | None = None) -> Comparison:
    """Per theme and document: counts and the strongest statements (`top` of each kind); with
    `visible`, of those documents only (themes sized by them, themes without any left out)."""
    docs = tuple(d.id for d in store.documents(visible=visible))
    rows = []
    for th in store.themes(visible=visible):
        cells = {}
        for d in docs:
            stmts = store.statements(doc=d, theme=th.id)
            recs = sorted((s for s in stmts if s.kind == "recommendation"), key=lambda s: -s.confidence)
            probs = sorted((s for s in stmts if s.kind == "problem"), key=lambda s: -s.confidence)
            cells[d] = Cell(len(recs), len(probs), tuple(recs[:top] + probs[:top]))
        rows.append(ThemeRow(th, cells))
    return Comparison(docs, tuple(rows))
