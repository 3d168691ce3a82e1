"""Documenten toevoegen: upload PDFs, ingest them with a progress bar, and report what was added,
replaced, left unchanged or skipped (and why)."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from beleidsbank.index.store import StoreError
from beleidsbank.ui import state, uploads
from beleidsbank.ui.present import model_error, plain, progress_text


def embedder():
    """The model of the index being added to, or the configured one for a first ingest."""
    try:
        return state.get_searcher().embedder
    except StoreError:
        return state.get_embedder(state.settings().model, state.settings())


def run_ingest(paths):
    """Ingest with a progress bar; the report, or None after showing why it failed."""
    from beleidsbank.ingest.pipeline import ingest

    bar = st.progress(0.0, text="Voorbereiden…")

    def progress(stage: str, done: int, total: int, detail: str) -> None:
        frac = done / total if total else 1.0
        bar.progress(min(max(frac, 0.0), 1.0), text=progress_text(stage, done, total, detail))

    try:
        return ingest(paths, state.data_dir(), progress=progress, embedder=embedder(), settings=state.settings())
    except StoreError as exc:
        st.error(plain(exc))
    except state.MODEL_ERRORS as exc:
        st.error(model_error(exc))
    finally:
        bar.empty()
    return None


def show_report(r: dict) -> None:
    done = len(r["added"]) + len(r["replaced"])
    msg = (
        f"{done} document(en) verwerkt ({len(r['added'])} nieuw, {len(r['replaced'])} vervangen), "
        f"{r['passages']} passages; {len(r['unchanged'])} ongewijzigd, {len(r['skipped'])} overgeslagen."
    )
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
    st.header("Documenten toevoegen")
    folder = uploads.folder(state.data_dir())
    st.caption(
        f"Geüploade PDF's worden bewaard in {plain(folder)} en daarna ingelezen. Een bestand met dezelfde naam "
        "als een eerder toegevoegd bestand geldt als een nieuwe versie en vervangt dat document; "
        "een bestand dat wordt overgeslagen, wordt niet bewaard."
    )
    files = st.file_uploader("PDF-bestanden", type=["pdf"], accept_multiple_files=True, key="upload_pdfs")
    if not st.button("Toevoegen aan de index", disabled=not files, type="primary"):
        if "ingest_report" in st.session_state:
            show_report(st.session_state["ingest_report"])
        return
    saved = uploads.save(folder, [(f.name, f.getvalue()) for f in files])
    report = run_ingest(saved.paths)
    if report is None:
        return
    state.forget_searcher()
    uploads.put_back_skipped(folder, [s.path for s in report.skipped], saved)
    result = {
        "added": report.added,
        "replaced": report.replaced,
        "unchanged": report.unchanged,
        "skipped": [(Path(s.path).name, s.reason) for s in report.skipped],
        "passages": report.passages,
        "warnings": report.warnings,
        "renamed": saved.renamed,
    }
    st.session_state["ingest_report"] = result
    show_report(result)


main()
