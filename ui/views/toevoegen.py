"""Documenten toevoegen: upload PDFs, ask before a file updates a stored document, ingest them with
a progress bar, and report what was added, updated, left unchanged or skipped (and why)."""

from __future__ import annotations

import errno
from pathlib import Path

import streamlit as st

from beleidsbank.index.store import Store, StoreError
from beleidsbank.ui import state, uploads
from beleidsbank.ui.present import model_error, not_allowed, plain, progress_text

PENDING = "upload_pending"  # files waiting for the user's answer: update a stored document or not
REPORT = "ingest_report"


def embedder():
    """The model of the index being added to, or the configured one for a first ingest."""
    try:
        return state.get_searcher().embedder
    except StoreError:
        return state.get_embedder(state.settings().model, state.settings())


def documents(visible=None) -> list:
    """The stored documents (those in `visible` when given), or none when there is no index yet."""
    try:
        store = Store.open(state.data_dir())
    except StoreError:  # NoIndexError included
        return []
    try:
        return store.documents(visible=visible)
    finally:
        store.close()


def hide_paths(text: str) -> str:
    """A message without the server's folders: the data dir is named, not shown."""
    for where in {str(state.data_dir()), str(state.data_dir().resolve())}:
        text = text.replace(where, "de datamap")
    return text


def run_ingest(staged):
    """Ingest the staged uploads with a progress bar; the report, or None after showing why it failed."""
    from beleidsbank.ingest.pipeline import ingest

    bar = st.progress(0.0, text="Voorbereiden…")

    def progress(stage: str, done: int, total: int, detail: str) -> None:
        frac = done / total if total else 1.0
        bar.progress(min(max(frac, 0.0), 1.0), text=progress_text(stage, done, total, detail))

    try:
        return ingest(
            [], state.data_dir(), progress=progress, embedder=embedder(), settings=state.settings(), uploads=staged
        )
    except StoreError as exc:
        st.error(plain(hide_paths(str(exc))))
    except state.MODEL_ERRORS as exc:
        st.error(model_error(exc))
    finally:
        bar.empty()
    return None


def show_report(r: dict) -> None:
    done = len(r["added"]) + len(r["replaced"])
    msg = (
        f"{done} document(en) verwerkt ({len(r['added'])} nieuw, {len(r['replaced'])} bijgewerkt), "
        f"{r['passages']} passages; {len(r['unchanged'])} ongewijzigd, {len(r['skipped'])} overgeslagen."
    )
    (st.success if done or not r["skipped"] else st.warning)(msg)
    for old, new, twin in r["renamed"]:
        why = " (een ander bestand in deze upload heeft dezelfde naam)" if twin else ""
        st.caption(plain(f"Bestandsnaam aangepast: {old!r} → {new!r}{why}"))
    if r["skipped"]:
        st.subheader("Overgeslagen bestanden")
        st.dataframe([{"bestand": name, "reden": reason} for name, reason in r["skipped"]], hide_index=True)
    if r["warnings"]:
        st.subheader("Waarschuwingen")
        st.dataframe([{"waarschuwing": w} for w in r["warnings"]], hide_index=True)


def add(incoming: list, chosen: dict[int, str]) -> None:
    """Stage the files, ingest them, and keep only what the index now cites."""
    docs = documents()
    before = {d.id: d.path for d in docs}
    try:
        staging = uploads.stage(state.data_dir(), incoming, chosen, docs)
    except OSError as exc:
        why = {errno.ENOSPC: "de schijf is vol", errno.EROFS: "de datamap is alleen-lezen"}.get(
            exc.errno, "schrijffout"
        )
        st.error(f"De bestanden konden niet worden bewaard: {why}. Er is niets gewijzigd.")
        return
    report = None
    try:
        report = run_ingest(staging.uploads)
    finally:
        replaced = {i: before[i] for i in (report.replaced if report else []) if i in before}
        uploads.finish(state.data_dir(), staging, replaced, documents())
    if report is None:
        return
    state.forget_searcher()
    for doc_id in report.added:
        state.audit("add", doc_id)
    for doc_id in report.replaced:
        state.audit("replace", doc_id)
    result = {
        "added": report.added,
        "replaced": report.replaced,
        "unchanged": report.unchanged,
        "skipped": [(Path(s.path).name, hide_paths(s.reason)) for s in report.skipped],
        "passages": report.passages,
        "warnings": [hide_paths(w) for w in report.warnings],
        "renamed": [
            (i.given, u.path.name, i.twin) for i, u in zip(incoming, staging.uploads) if u.path.name != i.given
        ],
    }
    st.session_state[REPORT] = result
    show_report(result)


NEW = "Nee, als nieuw document toevoegen"


def doc_label(doc) -> str:
    return f"Bestaand document '{doc.short or doc.title}' ({doc.id}) bijwerken"


def confirm(incoming: list) -> None:
    """Ask, for each file with the name of a stored document, whether it updates that document."""
    st.warning(
        "Deze bestanden hebben de naam van een document in de index. Kies welk document u wilt "
        "bijwerken (titel en gegevens blijven behouden); een bestand dat u niet aanvinkt, wordt als "
        "nieuw document toegevoegd."
    )
    for k, inc in enumerate(incoming):
        if len(inc.matches) == 1:
            st.checkbox(plain(f"{doc_label(inc.matches[0])} met {inc.name}?"), key=f"bijwerken-{k}")
        elif inc.matches:
            options = [NEW] + [d.id for d in inc.matches]
            labels = {d.id: plain(doc_label(d)) for d in inc.matches} | {NEW: NEW}
            st.radio(plain(f"{inc.name}:"), options, format_func=labels.get, key=f"bijwerken-{k}")
    go, stop = st.columns(2)
    if stop.button("Annuleren"):
        del st.session_state[PENDING]
        st.rerun()
    if go.button("Doorgaan", type="primary"):
        chosen = {}
        for k, inc in enumerate(incoming):
            answer = st.session_state.get(f"bijwerken-{k}")
            if answer is True:
                chosen[k] = inc.matches[0].id
            elif isinstance(answer, str) and answer != NEW:
                chosen[k] = answer
        del st.session_state[PENDING]
        add(incoming, chosen)


def main() -> None:
    st.header("Documenten toevoegen")
    if not state.viewer().may("add"):
        st.info(plain(not_allowed(state.viewer().role)))
        return
    st.caption(
        "Geüploade PDF's worden bewaard in de map uploads van de datamap en daarna ingelezen. Een bestand "
        "met de naam van een document in de index vervangt dat document alleen als u dat bevestigt; anders "
        "wordt het een nieuw document. Een bestand dat wordt overgeslagen, wordt niet bewaard."
    )
    files = st.file_uploader("PDF-bestanden", type=["pdf"], accept_multiple_files=True, key="upload_pdfs")
    if PENDING in st.session_state:
        confirm(st.session_state[PENDING])
        return
    if not st.button("Toevoegen aan de index", disabled=not files, type="primary"):
        if REPORT in st.session_state:
            show_report(st.session_state[REPORT])
        return
    # a file may update only a document this viewer sees: the question names it
    incoming = uploads.plan([(f.name, f.getvalue()) for f in files], documents(state.visible()))
    if any(i.matches for i in incoming):
        st.session_state.pop(REPORT, None)
        st.session_state[PENDING] = incoming
        confirm(incoming)
        return
    add(incoming, {})


main()
