"""Alle vermeldingen: the search page's complete word search (index/find.py), as Ctrl+F over
every document: every passage that holds the expression, the count per document, the documents
without a match, and each hit with its matches marked, a page at a time. Needs no model.

Called by zoeken.py (not a page of its own): `mode()` draws the switch between searching by
meaning and this mode, `main()` the mode itself. Widget keys start with "vm_" so the search
page's own widgets and the state kept between pages do not collide with them.
"""

from __future__ import annotations

import html

import streamlit as st

from beleidsbank.index.find import FindHit, find
from beleidsbank.index.find_query import FindQueryError
from beleidsbank.ui import state, widgets
from beleidsbank.ui.filters import passage_filters
from beleidsbank.ui.present import (
    FIND_SYNTAX_HELP,
    SEARCH_MODE_LABELS,
    find_summary,
    hit_citation,
    no_mention_in,
    plain,
)

PAGE_SIZE = 25  # hits shown at once


def mode() -> str:
    """The switch between the modes of the search page: "meaning" or "mentions"."""
    return st.radio(
        "Soort zoeken",
        list(SEARCH_MODE_LABELS),
        format_func=SEARCH_MODE_LABELS.get,
        horizontal=True,
        key="vm_mode",
        persist_state=state.KEEP,
        label_visibility="collapsed",
    )


def _filters(docs) -> dict:
    with st.expander("Filters"):
        return passage_filters(docs, "vm")


def marked_html(text: str, spans) -> str:
    """A passage with every match marked, escaped."""
    out, pos = [], 0
    for s, e in spans:
        out += [html.escape(text[pos:s]), "<mark>", html.escape(text[s:e]), "</mark>"]
        pos = e
    out.append(html.escape(text[pos:]))
    return "".join(out).replace("\n", "<br>")


def _card(n: int, hit: FindHit, doc) -> None:
    p = hit.passage
    with st.container(border=True):
        st.html(widgets.result_heading(n, hit_citation(p), []) + f"<p>{marked_html(p.text, hit.spans)}</p>")
        cols = st.columns([4, 1, 1])
        cols[0].caption(f"passage {p.id}")
        cols[1].button("Toon pagina", key=f"vm-page-{p.id}", on_click=state.show_on_page, args=(p.doc_id, p.id))
        if doc is not None:
            item = state.passage_item(doc, p)
            cols[2].button("Aan exportlijst", key=f"vm-add-{p.id}", on_click=state.add_to_export, args=(item,))


def _counts(result, short: dict[str, str]) -> None:
    """The count per document and the documents without a match."""
    if result.per_document:
        rows = [{"Document": short.get(d, d), "Passages": n} for d, n in result.per_document.items()]
        st.dataframe(rows, hide_index=True, width="content")
    if result.documents_without:
        st.caption(plain(no_mention_in([short.get(d, d) for d in result.documents_without])))


def _page_of(total: int, query: str) -> int:
    """The page of hits to show (1-based); back to the first when the expression changes."""
    pages = max(1, -(-total // PAGE_SIZE))
    if st.session_state.get("vm_last") != query:
        st.session_state["vm_last"] = query
        st.session_state["vm_page"] = 1
    if pages == 1:
        return 1
    st.session_state["vm_page"] = min(st.session_state.get("vm_page", 1), pages)
    return st.number_input(
        f"Pagina (van {pages})", min_value=1, max_value=pages, step=1, key="vm_page", persist_state=state.KEEP
    )


def main() -> None:
    store = state.open_store()
    if store is None:
        return
    try:
        visible = state.visible()
        docs = store.documents(visible=visible)
        query = st.text_input(
            "Zoekopdracht",
            key="vm_query",
            persist_state=state.KEEP,
            placeholder='Bijvoorbeeld: zij-instroom OF "tekort aan leraren"',
            help=FIND_SYNTAX_HELP,
        )
        chosen = _filters(docs)
        if not query.strip():
            st.caption(plain(FIND_SYNTAX_HELP))
            return
        try:
            result = find(store, query, visible=visible, **chosen)
        except FindQueryError as exc:
            st.info(plain(exc))
            return
    finally:
        store.close()
    by_id = {d.id: d for d in docs}
    short = {d.id: d.short or d.id for d in docs}
    st.caption(plain(find_summary(result.total, result.occurrences, len(result.per_document), result.seconds)))
    _counts(result, short)
    if not result.hits:
        return
    page = _page_of(result.total, query)
    first = (page - 1) * PAGE_SIZE
    for n, hit in enumerate(result.hits[first : first + PAGE_SIZE], start=first + 1):
        _card(n, hit, by_id.get(hit.passage.doc_id))
