"""Exportlijst: the passages and statements picked in this browser session, in order, downloadable
as Word, Excel, CSV, Markdown or RIS, and saved to or loaded from a file. With accounts a user
picks one of their own lists or one shared with them, starts a new one, and shares their own with
named users ("Delen met"); a list shared to read is shown without the buttons that change it."""

from __future__ import annotations

import streamlit as st

from beleidsbank.index.store import Store, StoreError
from beleidsbank.ui import export, exportlist, lists, state, widgets
from beleidsbank.ui.present import SHARE_MODE_LABELS, export_citation, list_choice_label, list_read_only, plain

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


def entries(items: list[dict], read_only: bool = False) -> None:
    """Each item with its citation and buttons to move it up, down or off the list."""
    for n, it in enumerate(list(items)):
        with st.container(border=True):
            st.html(widgets.export_item_html(n + 1, it, export_citation(it)))
            if read_only:
                continue
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


def save_or_load(items: list[dict], read_only: bool = False) -> None:
    """Save the list as a file, empty it, or load a saved list (added to it or in its place)."""
    st.subheader("Lijst opslaan" if read_only else "Lijst opslaan of laden")
    c1, c2 = st.columns(2)
    c1.download_button(
        "Lijst opslaan als bestand",
        exportlist.dumps(items),
        "beleidsbank-exportlijst.json",
        "application/json",
        disabled=not items,
    )
    if read_only:
        return
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
        if state.save_export():
            st.success(f"{len(loaded)} items geladen; de lijst telt nu {len(items)} items.")
            st.rerun()


def choose_list(name: str) -> None:
    """With accounts: which of the user's lists (own, shared with them) is open, or a new one."""
    store = state.open_store()
    if store is None:
        return
    try:
        found = lists.choices(store, state.data_dir(), name, state.viewer().sees)
    finally:
        store.close()
    own = [c for c in found if c.mode == lists.OWNER]
    labels = {
        c.token: list_choice_label(own.index(c) + 1 if c in own else 0, None if c in own else c.owner, c.mode, c.size)
        for c in found
    }
    current = st.session_state.get(state.TOKEN_KEY)
    c1, c2 = st.columns([3, 1])
    if labels:
        tokens = list(labels)
        chosen = c1.selectbox(
            "Lijst", tokens, index=tokens.index(current) if current in labels else 0, format_func=labels.get
        )
        if chosen != current:
            state.open_list(chosen)
            st.rerun()
    if c2.button("Nieuwe lijst") and state.start_list():
        st.rerun()


def set_share(token: str, owner: str, user: str, how: str | None) -> None:
    """Share the list with `user` (`how`: read or edit), or stop sharing it (None); in the audit log."""
    try:
        store = Store.open(state.data_dir(), write=True)
        try:
            if how is None:
                lists.unshare(store, token, user)
            else:
                lists.share(store, token, owner, user, how)
        finally:
            store.close()
    except StoreError as exc:
        st.error(plain(str(exc).replace(str(state.data_dir()), "de datamap")))  # no server paths
        return
    state.audit("list.share" if how else "list.unshare", token, f"{user}: {how}" if how else user)
    st.rerun()


def share_panel(name: str) -> None:
    """The owner shares the open list with named users, to read or to change, or stops sharing."""
    token = st.session_state.get(state.TOKEN_KEY)
    if not token or state.list_mode() != lists.OWNER:
        return
    store = state.open_store()
    if store is None:
        return
    try:
        others = [u.name for u in store.users() if u.name != name]
        shares = store.list_shares(token)
    finally:
        store.close()
    with st.expander("Delen met"):  # one label: it stays open after a share
        for sh in shares:
            c1, c2 = st.columns([3, 1])
            c1.write(plain(f"{sh.user}: {SHARE_MODE_LABELS.get(sh.mode, sh.mode)}"))
            if c2.button("Niet meer delen", key=f"unshare-{sh.user}"):
                set_share(token, name, sh.user, None)
        if not others:
            st.caption("Er zijn geen andere gebruikers om mee te delen.")
            return
        user = st.selectbox("Gebruiker", others, key="share_user")
        how = st.radio("Mag", list(SHARE_MODE_LABELS), format_func=SHARE_MODE_LABELS.get, horizontal=True)
        if st.button("Delen"):
            set_share(token, name, user, how)


def main() -> None:
    st.header("Exportlijst")
    name = state.viewer().name
    if name is not None:
        choose_list(name)
    items = state.export_items()
    read_only = state.list_mode() == lists.READ
    if read_only:
        st.info(list_read_only())
    if not items:
        st.info(
            "De exportlijst is leeg. Voeg passages toe vanuit Zoeken of Aanbevelingen, of laad een opgeslagen lijst."
        )
    elif name is not None:
        st.caption(f"{len(items)} items. De lijst wordt bewaard bij uw lijsten; u vindt hem hier terug.")
    else:
        st.caption(
            f"{len(items)} items. De lijst blijft bewaard als u deze pagina herlaadt (zolang u dezelfde "
            "URL gebruikt); sla hem op als bestand om hem later of elders weer te laden."
        )
    entries(items, read_only)
    if items:
        downloads(items)
    save_or_load(items, read_only)
    if name is not None:
        share_panel(name)


main()
