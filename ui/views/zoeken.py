"""Zoeken: passages by meaning and by words, with filters, each result cited, its statements marked
and the problems its recommendations are linked to shown inline."""

from __future__ import annotations

import streamlit as st

from beleidsbank.index.search import QueryError
from beleidsbank.index.store import NoIndexError, Store, StoreError
from beleidsbank.ui import reviews, state, widgets
from beleidsbank.ui.filters import passage_filters
from beleidsbank.ui.present import (
    KIND_LABELS,
    MODE_LABELS,
    hit_citation,
    model_error,
    no_index_app,
    plain,
    result_count,
)
from beleidsbank.ui.views import vermeldingen


def filters(docs) -> tuple[dict, str, int]:
    """The filter widgets: search filters, mode and number of results."""
    with st.expander("Filters en zoekmodus"):
        chosen = passage_filters(docs, "zoek")
        mode = st.radio(
            "Zoekmodus",
            list(MODE_LABELS),
            format_func=MODE_LABELS.get,
            horizontal=True,
            key="zoek_mode",
            persist_state=state.KEEP,
        )
        k = st.slider("Aantal resultaten", 5, 50, 10, key="zoek_k", persist_state=state.KEEP)
    return chosen, mode, k


def result_card(store: Store, hit, n: int, stmts, query: str, verdicts: dict) -> None:
    with st.container(border=True):
        kinds = [k for k in KIND_LABELS if any(s.kind == k for s in stmts)]
        st.html(widgets.result_heading(n, hit_citation(hit), kinds) + f"<p>{widgets.passage_html(hit)}</p>")
        recs = [s for s in stmts if s.kind == "recommendation"][:3]
        linked = "".join(widgets.linked_problems_html(r.text, linked_problems(store, r.id)) for r in recs)
        if linked:
            st.html(linked)
        cols = st.columns([4, 1, 1])
        cols[0].caption(f"score {hit.score:.3f} · passage {hit.passage_id}")
        cols[1].button(
            "Toon pagina", key=f"page-{hit.passage_id}", on_click=state.show_on_page, args=(hit.doc_id, hit.passage_id)
        )
        cols[2].button(
            "Aan exportlijst", key=f"add-{hit.passage_id}", on_click=state.add_to_export, args=(state.hit_item(hit),)
        )
        reviews.result_control(store, query, hit, verdicts)


def linked_problems(store: Store, rec_id: str, limit: int = 3):
    found = store.links_for(rec_id=rec_id, visible=state.visible())
    return found[0].problems[:limit] if found else []


def main() -> None:
    st.header("Zoeken")
    if vermeldingen.mode() == "mentions":  # every mention of a word (Ctrl+F over all documents), no model
        vermeldingen.main()
        return
    try:
        searcher = state.get_searcher()
    except NoIndexError:
        st.warning(plain(no_index_app()))
        return
    except StoreError as exc:
        st.warning(plain(exc))
        return
    except state.MODEL_ERRORS as exc:
        st.error(model_error(exc))
        return
    visible = state.visible()
    docs = searcher.store.documents(visible=visible)
    query = st.text_input(
        "Zoekvraag",
        placeholder="Bijvoorbeeld: wat adviseren de bronnen over zij-instroom?",
        key="zoek_q",
        persist_state=state.KEEP,
    )
    chosen, mode, k = filters(docs)
    if not query.strip():
        st.caption(f"{len(docs)} documenten in de index.")
        return
    try:
        hits, took, _ = state.kept_result(
            "zoeken",
            (state.index_version(searcher), query, k, mode, repr(chosen), visible),
            lambda: searcher.search(query, k=k, mode=mode, visible=visible, **chosen),
        )
    except QueryError as exc:
        st.info(str(exc))
        return
    store = state.open_store()
    if store is None:
        return
    try:
        stmts = store.passage_statements([h.passage_id for h in hits])
        if not hits:
            st.info("Geen resultaten. Probeer andere woorden of minder filters.")
            return
        st.caption(result_count(len(hits), took))
        reviews.show_message()
        verdicts = store.result_verdicts(query)
        for n, hit in enumerate(hits, start=1):
            result_card(store, hit, n, stmts.get(hit.passage_id, []), query, verdicts)
    finally:
        store.close()


main()
