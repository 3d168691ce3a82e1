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
from index import relations  # noqa: E402
from index.search import QueryError, Searcher  # noqa: E402
from index.store import Store, StoreError  # noqa: E402
from ui import export  # noqa: E402

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
            cols = st.columns([4, 1])
            cols[0].caption(html.escape(f"score {hit.score:.3f} · passage {hit.passage_id}"))
            if cols[1].button("Aan exportlijst", key=f"add-{hit.passage_id}"):
                add_to_export(dict(id=hit.passage_id, doc_id=hit.doc_id, title=hit.title, publisher=hit.publisher,
                                   year=hit.year, page_label=hit.page_label, page=hit.page, section=hit.section,
                                   kind="passage", text=hit.text))


def add_to_export(item: dict) -> None:
    items = st.session_state.setdefault("export", [])
    if all(i["id"] != item["id"] for i in items):
        items.append(item)
        st.toast("Toegevoegd aan de exportlijst")


def open_store() -> Store | None:
    path = Path(data_dir())
    if not (path / "beleidsbank.sqlite").exists():
        st.warning("Er is nog geen index: voeg eerst documenten toe (beleidsbank ingest).")
        return None
    return Store(path)


def statement_html(s: dict) -> str:
    kind = {"recommendation": "aanbeveling", "problem": "probleem"}.get(s["kind"], "")
    cite = f"{s.get('short') or s['doc_id']}, p. {s['page_label']}" + (f", § {s['section']}" if s["section"] else "")
    return f"<p><b>{html.escape(kind)}</b> · {html.escape(cite)}<br>{html.escape(s['text'])}</p>"


def recommendations_page() -> None:
    st.header("Aanbevelingen")
    store = open_store()
    if store is None:
        return
    docs = store.documents()
    themes = relations.theme_list(store.con)
    c1, c2 = st.columns(2)
    doc = c1.selectbox("Document", [None] + [d.id for d in docs],
                       format_func=lambda i: "alle documenten" if i is None else next(d.short for d in docs if d.id == i))
    theme = c2.selectbox("Thema", [None] + [t["id"] for t in themes],
                         format_func=lambda i: "alle thema's" if i is None else next(t["label"] for t in themes if t["id"] == i))
    recs = relations.statements(store.con, doc=doc, kind="recommendation", theme=theme)
    if not recs:
        st.info("Geen aanbevelingen gevonden.")
        return
    choice = st.selectbox("Aanbeveling", [r["id"] for r in recs],
                          format_func=lambda i: next(r["text"][:140] for r in recs if r["id"] == i))
    rec = next(r for r in recs if r["id"] == choice)
    st.html(statement_html(rec))
    found = relations.links_for(store.con, rec_id=choice)
    problems = found[0]["problems"] if found else []
    for scope, title in (("same-doc", "Problemen in hetzelfde document"), ("cross-doc", "Problemen in andere documenten")):
        st.subheader(title)
        rows = [p for p in problems if p["scope"] == scope]
        if not rows:
            st.caption("Geen koppelingen boven de drempel.")
        for p in rows:
            ev = p["evidence"]
            why = f"score {p['score']:.2f} · betekenis {ev['betekenis']:.2f}"
            if ev["gedeelde_woorden"]:
                why += " · woorden: " + ", ".join(ev["gedeelde_woorden"])
            if ev["sectie"]:
                why += f" · zelfde sectie: {ev['sectie']}"
            st.html(statement_html(p) + f"<p><small>{html.escape(why)}</small></p>")
    store.close()


def compare_page() -> None:
    st.header("Bronnen vergelijken")
    store = open_store()
    if store is None:
        return
    result = relations.compare(store.con, top=3)
    if not result["themes"]:
        st.info("Nog geen thema's: de index bevat geen aanbevelingen of problemen.")
        return
    short = {d.id: d.short for d in store.documents()}
    kind = st.radio("Tel", ["aanbevelingen", "problemen", "beide"], horizontal=True)
    rows = []
    for th in result["themes"]:
        for d in result["documents"]:
            c = th["cells"][d]
            n = {"aanbevelingen": c["recommendations"], "problemen": c["problems"]}.get(kind, c["recommendations"] + c["problems"])
            rows.append({"thema": th["label"], "bron": short.get(d, d), "aantal": n})
    import altair as alt
    import pandas as pd

    chart = alt.Chart(pd.DataFrame(rows)).mark_rect().encode(
        x=alt.X("bron:N", title="Bron"), y=alt.Y("thema:N", title="Thema", sort=None),
        color=alt.Color("aantal:Q", title="Aantal", scale=alt.Scale(scheme="blues")),
        tooltip=["thema", "bron", "aantal"],
    ) + alt.Chart(pd.DataFrame(rows)).mark_text().encode(x="bron:N", y=alt.Y("thema:N", sort=None), text="aantal:Q")
    st.altair_chart(chart, width="stretch")
    theme = st.selectbox("Thema bekijken", [t["id"] for t in result["themes"]],
                         format_func=lambda i: next(t["label"] for t in result["themes"] if t["id"] == i))
    th = next(t for t in result["themes"] if t["id"] == theme)
    cols = st.columns(len(result["documents"]))
    for col, d in zip(cols, result["documents"]):
        col.markdown(f"**{html.escape(short.get(d, d))}**")
        for s in th["cells"][d]["top"]:
            col.html(statement_html(dict(s, doc_id=d, short=short.get(d, d))))
    store.close()


def export_page() -> None:
    st.header("Exportlijst")
    items = st.session_state.setdefault("export", [])
    if not items:
        st.info("De exportlijst is leeg. Voeg passages toe vanuit Zoeken.")
        return
    for n, it in enumerate(list(items)):
        with st.container(border=True):
            st.html(f"<p>{html.escape(it['text'][:400])}</p><p><small>{html.escape(export.citation(it))}</small></p>")
            c1, c2, c3 = st.columns(3)
            if c1.button("Omhoog", key=f"up-{it['id']}", disabled=n == 0):
                items[n - 1], items[n] = items[n], items[n - 1]
                st.rerun()
            if c2.button("Omlaag", key=f"down-{it['id']}", disabled=n == len(items) - 1):
                items[n + 1], items[n] = items[n], items[n + 1]
                st.rerun()
            if c3.button("Verwijderen", key=f"del-{it['id']}"):
                items.pop(n)
                st.rerun()
    st.download_button("Download CSV (Excel)", export.to_csv(items), "beleidsbank-export.csv", "text/csv")
    st.download_button("Download Markdown", export.to_markdown(items), "beleidsbank-export.md", "text/markdown")
    st.download_button("Download RIS", export.to_ris(items), "beleidsbank-export.ris", "application/x-research-info-systems")


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
    pages = {"Zoeken": search_page, "Aanbevelingen": recommendations_page,
             "Bronnen vergelijken": compare_page, "Documenten": documents_page, "Exportlijst": export_page}
    page = st.sidebar.radio("Pagina", list(pages))
    pages[page]()


main()
