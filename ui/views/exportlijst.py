"""Exportlijst: the passages and statements picked in this browser session, in order, downloadable
as Word, Excel, CSV, Markdown or RIS, and saved to or loaded from a file."""

from __future__ import annotations

import streamlit as st

from beleidsbank.ui import export, exportlist, state, widgets
from beleidsbank.ui.present import export_citation, plain

DOWNLOADS = (
    (
        "Word (.docx)",
        export.to_docx,
        "beleidsbank-export.docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ),
    (
        "Excel (.xlsx)",
        export.to_xlsx,
        "beleidsbank-export.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("CSV (Excel)", export.to_csv, "beleidsbank-export.csv", "text/csv"),
    ("Markdown", export.to_markdown, "beleidsbank-export.md", "text/markdown"),
    ("RIS", export.to_ris, "beleidsbank-export.ris", "application/x-research-info-systems"),
)


def changed() -> None:
    state.save_export()
    st.rerun()


def entries(items: list[dict]) -> None:
    """Each item with its citation and buttons to move it up, down or off the list."""
    for n, it in enumerate(list(items)):
        with st.container(border=True):
            st.html(widgets.export_item_html(n + 1, it, export_citation(it)))
            c1, c2, c3 = st.columns(3)
            if c1.button("Omhoog", key=f"up-{it['id']}", disabled=n == 0):
                items[n - 1], items[n] = items[n], items[n - 1]
                changed()
            if c2.button("Omlaag", key=f"down-{it['id']}", disabled=n == len(items) - 1):
                items[n + 1], items[n] = items[n], items[n + 1]
                changed()
            if c3.button("Verwijderen", key=f"del-{it['id']}"):
                items.pop(n)
                changed()


def downloads(items: list[dict]) -> None:
    st.subheader("Downloaden")
    cols = st.columns(len(DOWNLOADS))
    for col, (label, make, name, mime) in zip(cols, DOWNLOADS):
        col.download_button(label, make(items), name, mime)


def save_or_load(items: list[dict]) -> None:
    """Save the list as a file, empty it, or load a saved list (added to it or in its place)."""
    st.subheader("Lijst opslaan of laden")
    c1, c2 = st.columns(2)
    c1.download_button(
        "Lijst opslaan als bestand",
        exportlist.dumps(items),
        "beleidsbank-exportlijst.json",
        "application/json",
        disabled=not items,
    )
    if c2.button("Lijst leegmaken", disabled=not items):
        items.clear()
        changed()
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
        state.save_export()
        st.success(f"{len(loaded)} items geladen; de lijst telt nu {len(items)} items.")
        st.rerun()


def main() -> None:
    st.header("Exportlijst")
    items = state.export_items()
    if not items:
        st.info(
            "De exportlijst is leeg. Voeg passages toe vanuit Zoeken of Aanbevelingen, of laad een opgeslagen lijst."
        )
    else:
        st.caption(
            f"{len(items)} items. De lijst blijft bewaard als u deze pagina herlaadt (zolang u dezelfde "
            "URL gebruikt); sla hem op als bestand om hem later of elders weer te laden."
        )
    entries(items)
    if items:
        downloads(items)
    save_or_load(items)


main()
