"""Aanbevelingen: one recommendation with the problems it is linked to (same document, other
documents, with the evidence) and the closest recommendations in the other sources."""

from __future__ import annotations

import streamlit as st

from beleidsbank.index import relations
from beleidsbank.index.store import Store
from beleidsbank.ui import reviews, state, widgets
from beleidsbank.ui.present import evidence_parts, theme_names

SCOPES = (("same-doc", "Problemen in hetzelfde document"), ("cross-doc", "Problemen in andere documenten"))


def choose_recommendation(store: Store):
    """Document and theme filters, then the recommendation; None when nothing matches."""
    visible = state.visible()
    docs = store.documents(visible=visible)
    themes = store.themes(visible=visible)
    names = theme_names((t.id, t.label) for t in themes)
    c1, c2 = st.columns(2)
    short = {d.id: d.short for d in docs}
    doc = c1.selectbox(
        "Document",
        [None] + [d.id for d in docs],
        format_func=lambda i: "alle documenten" if i is None else short[i],
        key="rec_doc",
        persist_state=state.KEEP,
    )
    theme = c2.selectbox(
        "Thema",
        [None] + [t.id for t in themes],
        format_func=lambda i: "alle thema's" if i is None else names[i],
        key="rec_theme",
        persist_state=state.KEEP,
    )
    words = st.text_input(
        "Zoek in de aanbevelingen",
        key="rec_words",
        persist_state=state.KEEP,
        placeholder="Woorden die in de aanbeveling staan, bijvoorbeeld: stage",
    )
    recs = [
        r
        for r in store.statements(doc=doc, kind="recommendation", theme=theme, visible=visible)
        if holds(r.text, words)
    ]
    if not recs:
        st.info("Geen aanbevelingen gevonden.")
        return None
    st.caption(f"{len(recs)} aanbevelingen")
    text = {r.id: r.text[:140] for r in recs}
    choice = st.selectbox("Aanbeveling", list(text), format_func=text.get, key="rec_sel", persist_state=state.KEEP)
    return next(r for r in recs if r.id == choice)


def holds(text: str, words: str) -> bool:
    """Whether every typed word occurs in the text (case-insensitive); no words: every text."""
    low = text.lower()
    return all(w in low for w in words.lower().split())


def linked_problems(store: Store, rec) -> None:
    found = store.links_for(rec_id=rec.id, visible=state.visible())
    problems = found[0].problems if found else []
    reviews.show_message()
    reviews.rejected_links(store, rec)
    for scope, title in SCOPES:
        st.subheader(title)
        rows = [p for p in problems if p.scope == scope]
        if not rows:
            st.caption("Geen koppelingen boven de drempel.")
        for p in rows:
            why = " · ".join([f"score {p.score:.2f}"] + evidence_parts(p.evidence, word_sep=", ", theme=False))
            st.html(widgets.statement_block(p.problem, why))
            reviews.link_control(store, rec, p.problem)  # klopt / klopt niet (index/store_reviews.py)
            st.button(
                "Aan exportlijst",
                key=f"add-{rec.id}-{p.problem.id}",
                on_click=state.add_to_export,
                args=(state.statement_item(store, p.problem),),
            )


def similar_recommendations(store: Store, rec, top: int = 5) -> None:
    """Recommendations in the other sources closest in meaning."""
    st.subheader("Vergelijkbare aanbevelingen in andere bronnen")
    similar = relations.similar_recommendations(store, rec.id, top=top, visible=state.visible())
    if not similar:
        st.caption("Geen andere bronnen met aanbevelingen.")
    for s, score in similar:
        st.html(widgets.statement_block(s, f"gelijkenis {score:.2f}"))


def main() -> None:
    st.header("Aanbevelingen")
    store = state.open_store()
    if store is None:
        return
    try:
        rec = choose_recommendation(store)
        if rec is None:
            return
        st.html(widgets.statement_block(rec))
        reviews.label_control(store, rec)
        st.button(
            "Aanbeveling aan exportlijst",
            key=f"add-{rec.id}",
            on_click=state.add_to_export,
            args=(state.statement_item(store, rec),),
        )
        linked_problems(store, rec)
        similar_recommendations(store, rec)
    finally:
        store.close()


main()
