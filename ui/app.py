"""beleidsbank web app (Streamlit). Start with `beleidsbank app` or `make run`.

All labels are Dutch. Text from documents is always shown as text (escaped),
never as markdown or HTML.
"""
from __future__ import annotations

import html
import os
import re
import sys
from pathlib import Path

import streamlit as st

from beleidsbank import config
from beleidsbank.index import relations
from beleidsbank.index.search import QueryError, Searcher
from beleidsbank.index.store import Store, StoreError
from beleidsbank.index.e5_model import ModelUnavailableError
from beleidsbank.ui import export, exportlist, pageview

MODE_LABELS = {"hybrid": "hybride (aanbevolen)", "dense": "betekenis", "lexical": "woorden"}
KIND_LABELS = {"recommendation": "aanbeveling", "problem": "probleem"}
KIND_COLOURS = {"recommendation": "#1b5e20", "problem": "#8a1c1c"}
UPLOADS = "uploads"                 # folder under the data dir that keeps PDFs added from the app
MAX_UPLOAD_NAME = 120
MODEL_ERRORS = (ModelUnavailableError, OSError)   # no default model, or a named model that is not there


# -- resources: loaded once per server process ---------------------------------

@st.cache_resource(show_spinner="Model laden…")
def get_embedder(model: str | None):
    from beleidsbank.index.embed import Embedder

    return Embedder(model)


@st.cache_resource(show_spinner="Index laden…")
def get_searcher(data_dir: str) -> Searcher:
    """The searcher with the model the index was built with; the model itself is cached apart,
    so clearing this cache after an ingest costs no model reload."""
    probe = Store(Path(data_dir))
    try:
        recorded = probe.get_meta("model")
    finally:
        probe.close()
    if recorded is None:
        raise StoreError("Er is nog geen index: voeg eerst documenten toe (pagina Documenten toevoegen, "
                         "of beleidsbank ingest).")
    return Searcher(Path(data_dir), embedder=get_embedder(recorded))


def model_error(exc: Exception) -> str:
    return (f"Het taalmodel is niet beschikbaar, dus zoeken op betekenis kan nu niet ({plain(exc)}). "
            "Installeer het model met `beleidsbank model`, of zoek met de zoekmodus 'woorden'.")


def plain(text) -> str:
    """Text for st.error/warning/caption, which render Markdown: every Markdown sign is escaped,
    so a file name or a message that quotes a file cannot format or link anything."""
    return re.sub(r"([\\`*_{}\[\]()#+\-.!|<>~$:])", r"\\\1", str(text))


def data_dir() -> str:
    return str(config.data_dir(os.environ.get(config.ENV_DATA)))


def has_index() -> bool:
    return (Path(data_dir()) / "beleidsbank.sqlite").exists()


def open_store() -> Store | None:
    if not has_index():
        st.warning("Er is nog geen index: voeg eerst documenten toe (pagina Documenten toevoegen, "
                   "of beleidsbank ingest).")
        return None
    return Store(Path(data_dir()))


# -- small helpers --------------------------------------------------------------

def citation(hit) -> str:
    page = hit.page_label or str(hit.page)
    section = f", § {hit.section}" if hit.section else ""
    return f"{hit.publisher or hit.title} ({hit.year or 'z.j.'}), {hit.short}, p. {page}{section}"


def passage_html(hit) -> str:
    s, e = hit.best_sentence
    text = hit.text
    parts = [html.escape(text[:s]), "<mark>", html.escape(text[s:e]), "</mark>", html.escape(text[e:])]
    return "".join(parts).replace("\n", "<br>")


def badge(kind: str) -> str:
    return (f"<span style='background:{KIND_COLOURS[kind]};color:white;border-radius:4px;padding:1px 6px;"
            f"font-size:0.8em'>{html.escape(KIND_LABELS[kind])}</span>")


def statement_html(s: dict) -> str:
    kind = KIND_LABELS.get(s["kind"], "")
    cite = f"{s.get('short') or s['doc_id']}, p. {s['page_label']}" + (f", § {s['section']}" if s["section"] else "")
    return f"<p><b>{html.escape(kind)}</b> · {html.escape(cite)}<br>{html.escape(s['text'])}</p>"


def theme_names(themes: list[dict]) -> dict[int, str]:
    """Theme id -> label, numbered where two themes carry the same label (a chart axis merges equal labels)."""
    names, seen = {}, {}
    for t in themes:
        seen[t["label"]] = seen.get(t["label"], 0) + 1
        names[t["id"]] = t["label"] if seen[t["label"]] == 1 else f"{t['label']} ({seen[t['label']]})"
    return names


def passage_statements(con, passage_ids: list[str]) -> dict[str, list[dict]]:
    """Recommendations and problems per passage id, in reading order."""
    out: dict[str, list[dict]] = {}
    if not passage_ids:
        return out
    marks = ",".join("?" * len(passage_ids))
    for sid, pid, kind, text in con.execute(
        f"SELECT id, passage_id, kind, text FROM statements WHERE passage_id IN ({marks}) "
        "AND kind IN ('recommendation','problem') ORDER BY doc_id, seq", list(passage_ids)):
        out.setdefault(pid, []).append({"id": sid, "kind": kind, "text": text})
    return out


def linked_problems_html(con, rec: dict, limit: int = 3) -> str:
    """A recommendation's linked problems (best first), as escaped HTML; empty when it has none."""
    found = relations.links_for(con, rec_id=rec["id"])
    problems = found[0]["problems"][:limit] if found else []
    if not problems:
        return ""
    rows = []
    for p in problems:
        where = "zelfde document" if p["scope"] == "same-doc" else "ander document"
        cite = f"{p.get('short') or p['doc_id']}, p. {p['page_label']}"
        rows.append(f"<li>{html.escape(p['text'][:300])} <small>({html.escape(cite)} · {where} · "
                    f"score {p['score']:.2f})</small></li>")
    return (f"<div style='border-left:3px solid {KIND_COLOURS['problem']};padding-left:8px;margin:4px 0'>"
            f"<small><b>Aanbeveling</b> “{html.escape(rec['text'][:160])}” "
            f"<b>pakt deze problemen aan:</b></small><ul style='margin:0'>{''.join(rows)}</ul></div>")


# -- the export list, kept per browser session and across reloads -----------------

def export_items() -> list[dict]:
    if "export" not in st.session_state:
        token = st.query_params.get("lijst")
        items = exportlist.load(Path(data_dir()), token) if exportlist.valid_token(token) else []
        st.session_state["export"] = items
    return st.session_state["export"]


def save_export() -> None:
    """Mirror the list to the data dir under the token in the URL (made on first use)."""
    token = st.query_params.get("lijst")
    if not exportlist.valid_token(token):
        token = exportlist.new_token()
        st.query_params["lijst"] = token
        exportlist.prune(Path(data_dir()))
    try:
        exportlist.save(Path(data_dir()), token, export_items())
    except OSError as exc:
        st.warning(f"De exportlijst kon niet worden bewaard voor herladen ({exc.strerror}); "
                   "sla de lijst op als bestand om hem te bewaren.")


def add_to_export(item: dict) -> None:
    items = export_items()
    if all(i["id"] != item["id"] for i in items):
        items.append(item)
        save_export()
        st.toast("Toegevoegd aan de exportlijst")
    else:
        st.toast("Staat al op de exportlijst")


def hit_item(hit) -> dict:
    return dict(id=hit.passage_id, doc_id=hit.doc_id, title=hit.title, publisher=hit.publisher, year=hit.year,
                page_label=hit.page_label, page=hit.page, section=hit.section, kind="passage", text=hit.text)


def statement_item(store: Store, s: dict) -> dict:
    doc = store.document(s["doc_id"])
    return dict(id=s["id"], doc_id=s["doc_id"], title=doc.title if doc else s["doc_id"],
                publisher=s.get("publisher") or (doc.publisher if doc else ""), year=s.get("year"),
                page_label=s["page_label"], page=s["page"], section=s["section"], kind=s["kind"], text=s["text"])


def show_on_page(doc_id: str, passage_id: str) -> None:
    """Button callback: open Documenten with this passage in the page view."""
    st.session_state["pagina"] = "Documenten"
    st.session_state["doc_sel"] = doc_id
    st.session_state["passage_sel"] = passage_id


# -- pages ---------------------------------------------------------------------

def search_page() -> None:
    st.header("Zoeken")
    try:
        searcher = get_searcher(data_dir())
    except StoreError as exc:
        st.warning(plain(exc))
        return
    except MODEL_ERRORS as exc:
        st.error(model_error(exc))
        return
    docs = searcher.store.documents()
    short = {d.id: d.short for d in docs}
    query = st.text_input("Zoekvraag", placeholder="Bijvoorbeeld: wat adviseren de bronnen over zij-instroom?")
    with st.expander("Filters en zoekmodus"):
        doc_ids = st.multiselect("Document", [d.id for d in docs], format_func=lambda i: short.get(i, i))
        publishers = st.multiselect("Uitgever", sorted({d.publisher for d in docs if d.publisher}))
        years = st.multiselect("Jaar", sorted({d.year for d in docs if d.year}))
        kinds = st.multiselect("Soort uitspraak", list(KIND_LABELS), format_func=KIND_LABELS.get,
                               help="Alleen passages met een aanbeveling of een probleem.")
        mode = st.radio("Zoekmodus", list(MODE_LABELS), format_func=MODE_LABELS.get, horizontal=True)
        k = st.slider("Aantal resultaten", 5, 50, 10)
    if not query.strip():
        st.caption(f"{len(docs)} documenten in de index.")
        return
    try:
        hits = searcher.search(query, k=k, mode=mode, doc=doc_ids or None, publisher=publishers or None,
                               year=years or None, kind=kinds or None)
    except QueryError as exc:
        st.info(str(exc))
        return
    store = Store(Path(data_dir()))
    try:
        stmts = passage_statements(store.con, [h.passage_id for h in hits])
        if not hits:
            st.info("Geen resultaten. Probeer andere woorden of minder filters.")
            return
        st.caption(f"{len(hits)} resultaten")
        for n, hit in enumerate(hits, start=1):
            result_card(store, hit, n, stmts.get(hit.passage_id, []))
    finally:
        store.close()


def result_card(store: Store, hit, n: int, stmts: list[dict]) -> None:
    with st.container(border=True):
        kinds = [k for k in KIND_LABELS if any(s["kind"] == k for s in stmts)]
        badges = " ".join(badge(k) for k in kinds)
        # st.html renders no markdown; every document string is escaped
        st.html(f"<p><b>{n}. {html.escape(citation(hit))}</b> {badges}</p><p>{passage_html(hit)}</p>")
        recs = [s for s in stmts if s["kind"] == "recommendation"][:3]
        linked = "".join(linked_problems_html(store.con, r) for r in recs)
        if linked:
            st.html(linked)
        cols = st.columns([4, 1, 1])
        cols[0].caption(f"score {hit.score:.3f} · passage {hit.passage_id}")
        cols[1].button("Toon pagina", key=f"page-{hit.passage_id}", on_click=show_on_page,
                       args=(hit.doc_id, hit.passage_id))
        cols[2].button("Aan exportlijst", key=f"add-{hit.passage_id}", on_click=add_to_export, args=(hit_item(hit),))


def recommendations_page() -> None:
    st.header("Aanbevelingen")
    store = open_store()
    if store is None:
        return
    try:
        docs = store.documents()
        themes = relations.theme_list(store.con)
        c1, c2 = st.columns(2)
        doc = c1.selectbox("Document", [None] + [d.id for d in docs],
                           format_func=lambda i: "alle documenten" if i is None else next(d.short for d in docs if d.id == i))
        theme = c2.selectbox("Thema", [None] + [t["id"] for t in themes],
                             format_func=lambda i: "alle thema's" if i is None else theme_names(themes)[i])
        recs = relations.statements(store.con, doc=doc, kind="recommendation", theme=theme)
        if not recs:
            st.info("Geen aanbevelingen gevonden.")
            return
        choice = st.selectbox("Aanbeveling", [r["id"] for r in recs],
                              format_func=lambda i: next(r["text"][:140] for r in recs if r["id"] == i))
        rec = next(r for r in recs if r["id"] == choice)
        st.html(statement_html(rec))
        st.button("Aanbeveling aan exportlijst", key=f"add-{rec['id']}", on_click=add_to_export,
                  args=(statement_item(store, rec),))
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
                if ev.get("ook_elders"):
                    why += " · staat ook op p. " + ", ".join(page for _, page in ev["ook_elders"])
                st.html(statement_html(p) + f"<p><small>{html.escape(why)}</small></p>")
                st.button("Aan exportlijst", key=f"add-{rec['id']}-{p['id']}", on_click=add_to_export,
                          args=(statement_item(store, p),))
        similar_recommendations(store, rec)
    finally:
        store.close()


def similar_recommendations(store: Store, rec: dict, top: int = 5) -> None:
    """Recommendations in the other sources closest in meaning (cosine of the statement embeddings)."""
    import numpy as np

    st.subheader("Vergelijkbare aanbevelingen in andere bronnen")
    row = store.con.execute("SELECT vector FROM statements WHERE id=?", (rec["id"],)).fetchone()
    others = store.con.execute("SELECT id, vector FROM statements WHERE kind='recommendation' AND doc_id<>? "
                               "AND vector IS NOT NULL", (rec["doc_id"],)).fetchall()
    if not row or row[0] is None or not others:
        st.caption("Geen andere bronnen met aanbevelingen.")
        return
    q = np.frombuffer(row[0], dtype=np.float32)
    mat = np.vstack([np.frombuffer(v, dtype=np.float32) for _, v in others])
    scores = mat @ q
    for i in np.argsort(-scores)[:top]:
        s = relations.statement(store.con, others[i][0])
        if s:
            st.html(statement_html(s) + f"<p><small>gelijkenis {float(scores[i]):.2f}</small></p>")


def compare_page() -> None:
    st.header("Bronnen vergelijken")
    store = open_store()
    if store is None:
        return
    try:
        result = relations.compare(store.con, top=3)
        if not result["themes"]:
            st.info("Nog geen thema's: de index bevat geen aanbevelingen of problemen.")
            return
        short = {d.id: d.short for d in store.documents()}
        names = theme_names(result["themes"])
        kind = st.radio("Tel", ["aanbevelingen", "problemen", "beide"], horizontal=True)
        rows = []
        for th in result["themes"]:
            for d in result["documents"]:
                c = th["cells"][d]
                n = {"aanbevelingen": c["recommendations"], "problemen": c["problems"]}.get(kind, c["recommendations"] + c["problems"])
                rows.append({"thema": names[th["id"]], "bron": short.get(d, d), "aantal": n})
        import altair as alt
        import pandas as pd

        frame = pd.DataFrame(rows)
        top = max(frame["aantal"].max(), 1)
        n_themes = len(result["themes"])
        base = alt.Chart(frame, height=max(160, 30 * n_themes)).encode(
            x=alt.X("bron:N", title=None, sort=None,
                    axis=alt.Axis(labelAngle=-20, labelLimit=220, labelOverlap=False, orient="top", labelFontSize=12)),
            y=alt.Y("thema:N", title=None, sort=None, axis=alt.Axis(labelLimit=360, labelFontSize=12)))
        chart = base.mark_rect().encode(
            color=alt.Color("aantal:Q", title="Aantal", scale=alt.Scale(scheme="blues")),
            tooltip=["thema", "bron", "aantal"],
        ) + base.mark_text(fontSize=13).encode(
            text="aantal:Q",
            color=alt.condition(alt.datum.aantal > top / 2, alt.value("white"), alt.value("black")),
        )
        st.caption(f"Aantal {'aanbevelingen en problemen' if kind == 'beide' else kind} per thema (rijen) en "
                   "bron (kolommen); hoe donkerder het vak, hoe meer. Kies hieronder een thema om de uitspraken "
                   "per bron naast elkaar te zien.")
        st.altair_chart(chart, width="stretch")
        theme = st.selectbox("Thema bekijken", [t["id"] for t in result["themes"]],
                             format_func=names.get)
        th = next(t for t in result["themes"] if t["id"] == theme)
        cols = st.columns(len(result["documents"]))
        for col, d in zip(cols, result["documents"]):
            col.html(f"<p><b>{html.escape(short.get(d, d))}</b></p>")
            if not th["cells"][d]["top"]:
                col.caption("Niets over dit thema.")
            for s in th["cells"][d]["top"]:
                col.html(statement_html(dict(s, doc_id=d, short=short.get(d, d))))
    finally:
        store.close()


def export_page() -> None:
    st.header("Exportlijst")
    items = export_items()
    if not items:
        st.info("De exportlijst is leeg. Voeg passages toe vanuit Zoeken of Aanbevelingen, of laad een opgeslagen lijst.")
    else:
        st.caption(f"{len(items)} items. De lijst blijft bewaard als u deze pagina herlaadt (zolang u dezelfde "
                   "URL gebruikt); sla hem op als bestand om hem later of elders weer te laden.")
    for n, it in enumerate(list(items)):
        with st.container(border=True):
            kind = KIND_LABELS.get(it.get("kind", ""), "")
            label = f"<b>{html.escape(kind)}</b> · " if kind else ""
            st.html(f"<p>{n + 1}. {label}{html.escape(it['text'][:400])}</p>"
                    f"<p><small>{html.escape(export.citation(it))}</small></p>")
            c1, c2, c3 = st.columns(3)
            if c1.button("Omhoog", key=f"up-{it['id']}", disabled=n == 0):
                items[n - 1], items[n] = items[n], items[n - 1]
                save_export()
                st.rerun()
            if c2.button("Omlaag", key=f"down-{it['id']}", disabled=n == len(items) - 1):
                items[n + 1], items[n] = items[n], items[n + 1]
                save_export()
                st.rerun()
            if c3.button("Verwijderen", key=f"del-{it['id']}"):
                items.pop(n)
                save_export()
                st.rerun()
    if items:
        st.subheader("Downloaden")
        cols = st.columns(5)
        cols[0].download_button("Word (.docx)", export.to_docx(items), "beleidsbank-export.docx",
                                "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
        cols[1].download_button("Excel (.xlsx)", export.to_xlsx(items), "beleidsbank-export.xlsx",
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        cols[2].download_button("CSV (Excel)", export.to_csv(items), "beleidsbank-export.csv", "text/csv")
        cols[3].download_button("Markdown", export.to_markdown(items), "beleidsbank-export.md", "text/markdown")
        cols[4].download_button("RIS", export.to_ris(items), "beleidsbank-export.ris",
                                "application/x-research-info-systems")
    st.subheader("Lijst opslaan of laden")
    c1, c2 = st.columns(2)
    c1.download_button("Lijst opslaan als bestand", exportlist.dumps(items), "beleidsbank-exportlijst.json",
                       "application/json", disabled=not items)
    if c2.button("Lijst leegmaken", disabled=not items):
        items.clear()
        save_export()
        st.rerun()
    upload = st.file_uploader("Opgeslagen lijst laden (.json)", type=["json"], key="lijst_bestand")
    how = st.radio("Bij laden", ["toevoegen aan de huidige lijst", "de huidige lijst vervangen"], horizontal=True)
    if st.button("Lijst laden", disabled=upload is None):
        try:
            loaded = exportlist.loads(upload.getvalue())
        except exportlist.ExportListError as exc:
            st.error(f"Deze lijst kan niet worden geladen: {plain(exc)}")
            return
        new = loaded if how.startswith("de huidige") else exportlist.merge(items, loaded)
        items[:] = new
        save_export()
        st.success(f"{len(loaded)} items geladen; de lijst telt nu {len(items)} items.")
        st.rerun()


def documents_page() -> None:
    st.header("Documenten")
    store = open_store()
    if store is None:
        return
    try:
        docs = store.documents()
        if not docs:
            st.info("De index is leeg. Voeg documenten toe (pagina Documenten toevoegen, of beleidsbank ingest).")
            return
        st.dataframe([{"id": d.id, "titel": d.title, "uitgever": d.publisher, "jaar": d.year,
                       "pagina's": d.n_pages} for d in docs], hide_index=True)
        ids = [d.id for d in docs]
        if st.session_state.get("doc_sel") not in ids:
            st.session_state["doc_sel"] = ids[0]
        doc_id = st.selectbox("Document", ids, key="doc_sel",
                              format_func=lambda i: next(f"{d.short} — {d.title}" for d in docs if d.id == i))
        doc = next(d for d in docs if d.id == doc_id)
        document_details(store, doc)
        page_view(store, doc)
    finally:
        store.close()


def document_details(store: Store, doc) -> None:
    st.subheader("Gegevens")
    st.dataframe([{"veld": k, "waarde": str(v)} for k, v in (
        ("titel", doc.title), ("korte titel", doc.short), ("uitgever", doc.publisher), ("jaar", doc.year or "z.j."),
        ("soort", doc.kind), ("taal", doc.language), ("pagina's", doc.n_pages), ("bestand", doc.path),
        ("ingelezen op", doc.ingested_at))], hide_index=True)
    stmts = relations.statements(store.con, doc=doc.id)
    counts = {k: sum(1 for s in stmts if s["kind"] == k) for k in KIND_LABELS}
    st.subheader("Uitspraken")
    st.caption(f"{counts['recommendation']} aanbevelingen, {counts['problem']} problemen.")
    kind = st.radio("Toon", list(KIND_LABELS), format_func=KIND_LABELS.get, horizontal=True, key="doc_stmt_kind")
    # st.dataframe shows cells as plain text
    st.dataframe([{"pagina": s["page_label"], "sectie": s["section"], "tekst": s["text"],
                   "thema": s.get("theme_label") or ""} for s in stmts if s["kind"] == kind],
                 hide_index=True, height=260)


def page_view(store: Store, doc) -> None:
    st.subheader("Paginaweergave")
    rows = store.con.execute("SELECT id, page, page_end, page_label, section, text FROM passages "
                             "WHERE doc_id=? ORDER BY seq", (doc.id,)).fetchall()
    if not rows:
        st.info("Dit document heeft geen passages.")
        return
    by_id = {r[0]: r for r in rows}
    if st.session_state.get("passage_sel") not in by_id:
        st.session_state["passage_sel"] = rows[0][0]
    pid = st.selectbox("Passage", list(by_id), key="passage_sel",
                       format_func=lambda i: f"p. {by_id[i][3]} — {' '.join(by_id[i][5].split())[:90]}")
    _, page, page_end, label, section, text = by_id[pid]
    if page_end > page:
        page = st.radio("Pagina", list(range(page, page_end + 1)), horizontal=True, key=f"pv-page-{pid}",
                        format_func=lambda p: f"pagina {p} van de PDF")
    try:
        view = render_page(doc.path, page, text)
    except pageview.PageViewError as exc:
        st.error(plain(exc))
        return
    if file_changed(doc.path, doc.sha256):
        st.warning("Het PDF-bestand is gewijzigd sinds het werd ingelezen; de markering kan afwijken. "
                   "Lees het opnieuw in om de index bij te werken.")
    if not view.rects:
        st.caption("De tekst van deze passage is niet op deze pagina teruggevonden; de pagina wordt zonder markering getoond.")
    c1, c2 = st.columns([3, 1])
    c1.image(view.image, caption=f"{doc.short}, pagina {page} van {view.n_pages} (paginanummer {label})")
    with c2:
        st.html(f"<p><small>{html.escape(section)}</small></p><p>{html.escape(text).replace(chr(10), '<br>')}</p>")
        item = dict(id=pid, doc_id=doc.id, title=doc.title, publisher=doc.publisher, year=doc.year,
                    page_label=label, page=by_id[pid][1], section=section, kind="passage", text=text)
        st.button("Aan exportlijst", key=f"add-doc-{pid}", on_click=add_to_export, args=(item,))


@st.cache_data(max_entries=64, show_spinner=False)
def _render_cached(path: str, page: int, text: str, mtime: float):
    view = pageview.render(path, page, text)
    return view


def render_page(path: str, page: int, text: str):
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        mtime = 0.0
    return _render_cached(path, page, text, mtime)


@st.cache_data(max_entries=256, show_spinner=False)
def _hash(path: str, mtime: float, size: int) -> str:
    from beleidsbank.ingest.document import file_hash

    return file_hash(Path(path))


def file_changed(path: str, sha256: str) -> bool:
    try:
        stat = os.stat(path)
    except OSError:
        return False
    return _hash(path, stat.st_mtime, stat.st_size) != sha256


# -- adding documents from the app -------------------------------------------------

STAGES = {"parse": "PDF's lezen", "embed": "Passages inbedden (betekenis)", "index": "Index bijwerken"}


def upload_name(name: str) -> str:
    """A safe file name for an uploaded PDF: no folders, no control characters, ends in .pdf."""
    name = Path(name.replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().lstrip(".")
    stem = Path(name).stem[:MAX_UPLOAD_NAME].strip() or "document"
    return f"{stem}.pdf"


def ingest_page() -> None:
    st.header("Documenten toevoegen")
    folder = Path(data_dir()) / UPLOADS
    st.caption(f"Geüploade PDF's worden bewaard in {plain(folder)} en daarna ingelezen. Een bestand met dezelfde naam "
               "als een eerder toegevoegd bestand geldt als een nieuwe versie en vervangt dat document; "
               "een bestand dat wordt overgeslagen, wordt niet bewaard.")
    files = st.file_uploader("PDF-bestanden", type=["pdf"], accept_multiple_files=True, key="upload_pdfs")
    if not st.button("Toevoegen aan de index", disabled=not files, type="primary"):
        if "ingest_report" in st.session_state:
            show_report(st.session_state["ingest_report"])
        return
    folder.mkdir(parents=True, exist_ok=True)
    paths, renamed, previous = [], [], {}
    for f in files:
        name = upload_name(f.name)
        if name != f.name:
            renamed.append((f.name, name))
        path = folder / name
        data = f.getvalue()
        if path.exists() and path.read_bytes() != data:
            previous[path] = path.read_bytes()      # put back if the new version is skipped
        path.write_bytes(data)
        if path not in paths:
            paths.append(path)
    bar = st.progress(0.0, text="Voorbereiden…")

    def progress(stage: str, done: int, total: int, detail: str) -> None:
        frac = done / total if total else 1.0
        text = f"{STAGES.get(stage, stage)}: {done} van {total}" + (f" · {detail}" if detail else "")
        bar.progress(min(max(frac, 0.0), 1.0), text=text)

    from beleidsbank.ingest.pipeline import ingest

    try:
        try:
            embedder = get_searcher(data_dir()).embedder
        except StoreError:
            embedder = get_embedder(config.model_choice())
        report = ingest(paths, Path(data_dir()), progress=progress, embedder=embedder)
    except StoreError as exc:
        st.error(plain(exc))
        return
    except MODEL_ERRORS as exc:
        st.error(model_error(exc))
        return
    finally:
        bar.empty()
    get_searcher.clear()            # a searcher made before the first index existed must be made anew
    for sk in report.skipped:       # keep only files that are in the index
        path = Path(sk.path)
        if path.parent == folder:
            if path in previous:
                path.write_bytes(previous[path])
            else:
                path.unlink(missing_ok=True)
    result = {"added": report.added, "replaced": report.replaced, "unchanged": report.unchanged,
              "skipped": [(Path(s.path).name, s.reason) for s in report.skipped], "passages": report.passages,
              "warnings": report.warnings, "renamed": renamed}
    st.session_state["ingest_report"] = result
    show_report(result)


def show_report(r: dict) -> None:
    done = len(r["added"]) + len(r["replaced"])
    msg = (f"{done} document(en) verwerkt ({len(r['added'])} nieuw, {len(r['replaced'])} vervangen), "
           f"{r['passages']} passages; {len(r['unchanged'])} ongewijzigd, {len(r['skipped'])} overgeslagen.")
    (st.success if done or not r["skipped"] else st.warning)(msg)
    for old, new in r["renamed"]:
        st.caption(plain(f"Bestandsnaam aangepast: {old!r} → {new!r}"))
    if r["skipped"]:
        st.subheader("Overgeslagen bestanden")
        st.dataframe([{"bestand": name, "reden": reason} for name, reason in r["skipped"]], hide_index=True)
    if r["warnings"]:
        st.subheader("Waarschuwingen")
        st.dataframe([{"waarschuwing": w} for w in r["warnings"]], hide_index=True)


def main() -> None:
    st.set_page_config(page_title="beleidsbank", layout="wide")
    st.title("beleidsbank")
    pages = {"Zoeken": search_page, "Aanbevelingen": recommendations_page,
             "Bronnen vergelijken": compare_page, "Documenten": documents_page,
             "Documenten toevoegen": ingest_page, "Exportlijst": export_page}
    n = len(export_items())
    page = st.sidebar.radio("Pagina", list(pages), key="pagina",
                            format_func=lambda p: f"{p} ({n})" if p == "Exportlijst" and n else p)
    pages[page]()


main()
