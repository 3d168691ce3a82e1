"""Documenten: the documents in the index (with their pages of poor text quality), one
document's details, a form to correct its metadata, its statements, and the page view: a
passage highlighted on its PDF page."""

from __future__ import annotations

from pathlib import PurePath

import streamlit as st

from beleidsbank.index.store import Store, StoreError
from beleidsbank.ui import pageview, state, widgets
from beleidsbank.ui.present import (
    HOW_TO_ADD_APP,
    KIND_LABELS,
    META_LABELS,
    NO_YEAR,
    meta_changes,
    not_allowed,
    page_cite,
    page_warnings,
    parse_year,
    plain,
    quality_label,
    safe_name,
    unknown_document,
)

SAVED_KEY = "meta_saved"  # the confirmation of a correction, shown once after the rerun it causes


def poor_page_counts(store: Store) -> dict[str, int]:
    """Document id -> its number of pages whose text quality is not "goed"."""
    counts: dict[str, int] = {}
    for v in store.page_verdicts(poor_only=True):
        counts[v.doc_id] = counts.get(v.doc_id, 0) + 1
    return counts


def quality_notes(store: Store, doc) -> None:
    """The pages of poor text quality, in the words of the ingest report."""
    verdicts = store.page_verdicts(doc.id, poor_only=True)
    notes = page_warnings((v.page, v.ocr, v.quality, v.reasons) for v in verdicts)
    if notes:
        st.warning(
            "Van deze pagina's is de tekst matig of slecht leesbaar; passages daarvan tellen minder mee bij zoeken:\n\n"
            + "\n".join(f"- {plain(n)}" for n in notes)
        )


def correction_form(store: Store, doc) -> None:
    """A small form to correct the document's metadata; a correction also holds after a re-ingest.
    Only for a viewer who may correct (editors and admins)."""
    if not state.viewer().may("correct"):
        return
    with st.expander("Gegevens corrigeren"):
        with st.form(key=f"meta-{doc.id}"):
            values = {
                "title": st.text_input("Titel", value=doc.title),
                "publisher": st.text_input("Uitgever", value=doc.publisher),
                "year": st.text_input("Jaar", value=str(doc.year or "")),
                "kind": st.text_input("Soort", value=doc.kind),
            }
            submitted = st.form_submit_button("Correctie opslaan")
    if submitted:
        save_correction(store, doc, values)


def save_correction(store: Store, doc, values: dict) -> None:
    """Record the fields that differ from the stored ones; errors are shown, nothing half-saved."""
    from beleidsbank.ingest.pipeline import correct_meta

    if not state.may("correct"):
        st.error(plain(not_allowed(state.viewer().role)))
        return
    fields = {k: " ".join(values[k].split()) for k in ("title", "publisher", "kind")}
    if not fields["title"]:
        st.error(plain(f"De {META_LABELS['title']} mag niet leeg zijn."))
        return
    try:
        fields["year"] = parse_year(values["year"])
    except ValueError as exc:
        st.error(plain(exc))
        return
    changed = {k: v for k, v in fields.items() if v is not None and v != getattr(doc, k)}
    if not changed:
        st.info("Er is niets gewijzigd.")
        return
    try:
        new = correct_meta(doc.id, store.data_dir, **changed)
    except StoreError as exc:  # a read-only data dir, a full disk, another writer: said in Dutch
        st.error(plain(str(exc).replace(str(store.data_dir), "de datamap")))  # no server paths
        return
    if new is None:
        st.error(plain(unknown_document(doc.id)))
        return
    st.session_state[SAVED_KEY] = f"Gecorrigeerd: {meta_changes(doc, new)}."
    state.audit("correct", doc.id, meta_changes(doc, new))
    st.rerun()


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
                ("bestand", safe_name(PurePath(doc.path).name)),  # the name only: no server path
                ("ingelezen op", doc.ingested_at),
            )
        ],
        hide_index=True,
    )
    if SAVED_KEY in st.session_state:
        st.success(plain(st.session_state.pop(SAVED_KEY)))
    quality_notes(store, doc)
    correction_form(store, doc)
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
        format_func=lambda i: (
            f"{page_cite(passages[i].page_label, passages[i].ocr)} — {' '.join(passages[i].text.split())[:90]}"
        ),
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
    try:  # a page read by OCR has no text layer: its word boxes say where the passage is
        view = state.render_page(doc.path, page, p.text, words=store.page_words(doc.id, page))
    except pageview.PageViewError as exc:
        st.error(plain(exc))
        return
    if state.file_changed(doc.path, doc.sha256):
        st.warning(
            "Het PDF-bestand is gewijzigd sinds het werd ingelezen; de markering kan afwijken. "
            "Lees het opnieuw in om de index bij te werken."
        )
    if p.ocr or p.quality != "goed":
        read = "met OCR gelezen" if p.ocr else "uit de tekstlaag gelezen"
        st.caption(
            f"De tekst van deze passage is {read} ({quality_label(p.quality)}); citeer na controle op de pagina."
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
        docs = store.documents(visible=state.visible())
        if not docs:
            st.info(f"De index is leeg. Voeg documenten toe ({HOW_TO_ADD_APP}).")
            return
        poor = poor_page_counts(store)
        st.dataframe(
            [
                {
                    "id": d.id,
                    "titel": d.title,
                    "uitgever": d.publisher,
                    "jaar": d.year,
                    "pagina's": d.n_pages,
                    "matig/slecht leesbaar": poor.get(d.id, 0),
                }
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
