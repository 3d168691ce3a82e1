"""Documenten: the documents in the index, one document's details and statements, and the page
view: a passage highlighted on its PDF page."""

from __future__ import annotations

import streamlit as st

from beleidsbank.index.store import Store
from beleidsbank.ui import pageview, state, widgets
from beleidsbank.ui.present import HOW_TO_ADD_APP, KIND_LABELS, NO_YEAR, plain


def document_details(store: Store, doc) -> None:
    st.subheader("Gegevens")
    st.dataframe(
        [
            {"veld": k, "waarde": str(v)}
            for k, v in (
                ("titel", doc.title),
                ("korte titel", doc.short),
                ("uitgever", doc.publisher),
                ("jaar", doc.year or NO_YEAR),
                ("soort", doc.kind),
                ("taal", doc.language),
                ("pagina's", doc.n_pages),
                ("bestand", doc.path),
                ("ingelezen op", doc.ingested_at),
            )
        ],
        hide_index=True,
    )
    stmts = store.statements(doc=doc.id)
    counts = {k: sum(1 for s in stmts if s.kind == k) for k in KIND_LABELS}
    st.subheader("Uitspraken")
    st.caption(f"{counts['recommendation']} aanbevelingen, {counts['problem']} problemen.")
    kind = st.radio("Toon", list(KIND_LABELS), format_func=KIND_LABELS.get, horizontal=True, key="doc_stmt_kind")
    # st.dataframe shows cells as plain text
    st.dataframe(
        [
            {"pagina": s.page_label, "sectie": s.section, "tekst": s.text, "thema": s.theme_label or ""}
            for s in stmts
            if s.kind == kind
        ],
        hide_index=True,
        height=260,
    )


def choose_passage(store: Store, doc):
    """The passage to show (the one a search result asked for, else the first); None when there are none."""
    passages = {p.id: p for p in store.document_passages(doc.id)}
    if not passages:
        st.info("Dit document heeft geen passages.")
        return None
    if st.session_state.get("passage_sel") not in passages:
        st.session_state["passage_sel"] = next(iter(passages))
    pid = st.selectbox(
        "Passage",
        list(passages),
        key="passage_sel",
        format_func=lambda i: f"p. {passages[i].page_label} — {' '.join(passages[i].text.split())[:90]}",
    )
    return passages[pid]


def page_view(store: Store, doc) -> None:
    st.subheader("Paginaweergave")
    p = choose_passage(store, doc)
    if p is None:
        return
    page = p.page
    if p.page_end > p.page:
        page = st.radio(
            "Pagina",
            list(range(p.page, p.page_end + 1)),
            horizontal=True,
            key=f"pv-page-{p.id}",
            format_func=lambda n: f"pagina {n} van de PDF",
        )
    try:
        view = state.render_page(doc.path, page, p.text)
    except pageview.PageViewError as exc:
        st.error(plain(exc))
        return
    if state.file_changed(doc.path, doc.sha256):
        st.warning(
            "Het PDF-bestand is gewijzigd sinds het werd ingelezen; de markering kan afwijken. "
            "Lees het opnieuw in om de index bij te werken."
        )
    if not view.rects:
        st.caption(
            "De tekst van deze passage is niet op deze pagina teruggevonden; de pagina wordt zonder markering getoond."
        )
    c1, c2 = st.columns([3, 1])
    c1.image(view.image, caption=f"{doc.short}, pagina {page} van {view.n_pages} (paginanummer {p.page_label})")
    with c2:
        st.html(widgets.text_html(p.section, p.text))
        st.button(
            "Aan exportlijst", key=f"add-doc-{p.id}", on_click=state.add_to_export, args=(state.passage_item(doc, p),)
        )


def main() -> None:
    st.header("Documenten")
    store = state.open_store()
    if store is None:
        return
    try:
        docs = store.documents()
        if not docs:
            st.info(f"De index is leeg. Voeg documenten toe ({HOW_TO_ADD_APP}).")
            return
        st.dataframe(
            [
                {"id": d.id, "titel": d.title, "uitgever": d.publisher, "jaar": d.year, "pagina's": d.n_pages}
                for d in docs
            ],
            hide_index=True,
        )
        ids = [d.id for d in docs]
        if st.session_state.get("doc_sel") not in ids:
            st.session_state["doc_sel"] = ids[0]
        doc_id = st.selectbox(
            "Document",
            ids,
            key="doc_sel",
            format_func=lambda i: next(f"{d.short} — {d.title}" for d in docs if d.id == i),
        )
        doc = next(d for d in docs if d.id == doc_id)
        document_details(store, doc)
        page_view(store, doc)
    finally:
        store.close()


main()
