"""beleidsbank web app (Streamlit). Start with `beleidsbank app` or `make run`.

All labels are Dutch. Text from documents is always shown as text (escaped),
never as markdown or HTML.
"""
from __future__ import annotations

import html
import os
import sys
from pathlib import Path

import streamlit as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from beleidsbank import config  # noqa: E402
from index.search import QueryError, Searcher  # noqa: E402
from index.store import Store, StoreError  # noqa: E402

MODE_LABELS = {"hybrid": "hybride (aanbevolen)", "dense": "betekenis", "lexical": "woorden"}


@st.cache_resource(show_spinner="Model en index laden…")
def get_searcher(data_dir: str) -> Searcher:
    return Searcher(Path(data_dir))


def data_dir() -> str:
    return str(config.data_dir(os.environ.get(config.ENV_DATA)))


def citation(hit) -> str:
    page = hit.page_label or str(hit.page)
    section = f", § {hit.section}" if hit.section else ""
    return f"{hit.publisher or hit.title} ({hit.year or 'z.j.'}), {hit.short}, p. {page}{section}"


def passage_html(hit) -> str:
    s, e = hit.best_sentence
    text = hit.text
    parts = [html.escape(text[:s]), "<mark>", html.escape(text[s:e]), "</mark>", html.escape(text[e:])]
    return "".join(parts).replace("\n", "<br>")


def search_page() -> None:
    st.header("Zoeken")
    try:
        searcher = get_searcher(data_dir())
    except StoreError as exc:
        st.warning(str(exc))
        return
    docs = searcher.store.documents()
    query = st.text_input("Zoekvraag", placeholder="Bijvoorbeeld: wat adviseren de bronnen over zij-instroom?")
    with st.expander("Filters en zoekmodus"):
        doc_ids = st.multiselect("Document", [d.id for d in docs],
                                 format_func=lambda i: next(d.short for d in docs if d.id == i))
        publishers = st.multiselect("Uitgever", sorted({d.publisher for d in docs if d.publisher}))
        years = st.multiselect("Jaar", sorted({d.year for d in docs if d.year}))
        mode = st.radio("Zoekmodus", list(MODE_LABELS), format_func=MODE_LABELS.get, horizontal=True)
        k = st.slider("Aantal resultaten", 5, 50, 10)
    if not query.strip():
        st.caption(f"{len(docs)} documenten in de index.")
        return
    try:
        hits = searcher.search(query, k=k, mode=mode, doc=doc_ids or None,
                               publisher=publishers or None, year=years or None)
    except QueryError as exc:
        st.info(str(exc))
        return
    if not hits:
        st.info("Geen resultaten. Probeer andere woorden of minder filters.")
    for hit in hits:
        with st.container(border=True):
            # st.html renders no markdown; every document string is escaped
            st.html(f"<p><b>{hit.rank}. {html.escape(citation(hit))}</b></p><p>{passage_html(hit)}</p>")
            st.caption(html.escape(f"score {hit.score:.3f} · passage {hit.passage_id}"))


def documents_page() -> None:
    st.header("Documenten")
    store = Store(Path(data_dir()))
    docs = store.documents()
    if not docs:
        st.info("De index is leeg. Voeg documenten toe met `beleidsbank ingest`.")
        return
    st.dataframe([{"id": d.id, "titel": d.title, "uitgever": d.publisher, "jaar": d.year,
                   "pagina's": d.n_pages} for d in docs], hide_index=True)
    store.close()


def main() -> None:
    st.set_page_config(page_title="beleidsbank", layout="wide")
    st.title("beleidsbank")
    page = st.sidebar.radio("Pagina", ["Zoeken", "Documenten"])
    if page == "Zoeken":
        search_page()
    else:
        documents_page()


main()
