"""What the app's pages share: the settings, the resources loaded once per server process, the
export list of a browser session, and the jump from a search result to its page view.

The settings are read from the environment once per browser session (`beleidsbank app` passes
the data directory in it). The model and the searcher are cached per server process; a page
opens its own store connection for each run and closes it.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path

import streamlit as st

from beleidsbank.index import access
from beleidsbank.index.access import Viewer
from beleidsbank.index.e5_model import ModelUnavailableError
from beleidsbank.index.search import Searcher
from beleidsbank.index.store import NoIndexError, Store, StoreError
from beleidsbank.settings import Settings
from beleidsbank.ui import exportlist, lists, pageview
from beleidsbank.ui.present import list_read_only, no_index_app, plain

log = logging.getLogger(__name__)
MODEL_ERRORS = (ModelUnavailableError, OSError)  # no default model, or a named model that is not there
DOCUMENTS_PAGE = "documenten"  # where "Toon pagina" leads (the page's url path)
VIEWER_KEY = "viewer"  # the viewer of this run, set by login.gate() before a page runs


def settings() -> Settings:
    if "settings" not in st.session_state:
        st.session_state["settings"] = Settings.from_env()
    return st.session_state["settings"]


def data_dir() -> Path:
    return settings().data_dir


# -- who reads: one viewer per run (login.py decides it) -------------------------------------


def viewer() -> Viewer:
    """The viewer of this run: who is logged in with what they may see and do (access.LOCAL
    without accounts). Every read of a page passes `visible=viewer().visible`."""
    found = st.session_state.get(VIEWER_KEY)
    if found is None:
        from beleidsbank.ui import login  # login.py builds on this module

        found = login.gate()
    return found


def may(action: str) -> bool:
    """Whether this browser session's viewer may do `action` now, asked afresh (a button's
    callback runs before the run that checks the session): an expired session may nothing."""
    from beleidsbank.ui import login

    found = login.resolve()
    return found is not None and found.may(action)


def visible() -> frozenset[str] | None:
    """The document ids this run's viewer may see (None: every document)."""
    return viewer().visible


def audit(action: str, target: str, detail: str = "") -> None:
    """Record in the audit log who did what from the app; a store that cannot be written to
    (read-only, another writer) does not undo what was done: it is logged, not shown."""
    try:
        store = Store.open(data_dir(), write=True)
        try:
            access.audit(store, viewer(), action, target, detail)
        finally:
            store.close()
    except StoreError:
        log.warning("audit log not written: %s %s", action, target, exc_info=True)


# -- resources: loaded once per server process ---------------------------------


@st.cache_resource(show_spinner="Model laden…")
def get_embedder(model: str | None, _settings: Settings):
    from beleidsbank.index.embed import Embedder

    return Embedder(model, params=_settings.embedding)


@st.cache_resource(show_spinner="Index laden…")
def _searcher(data_dir: str, _settings: Settings) -> Searcher:
    probe = Store.open(Path(data_dir))
    try:
        recorded = probe.get_meta("model")
    finally:
        probe.close()
    if recorded is None:
        raise NoIndexError(Path(data_dir))
    return Searcher(Path(data_dir), embedder=get_embedder(recorded, _settings), params=_settings.search)


def get_searcher() -> Searcher:
    """The searcher with the model the index was built with (NoIndexError when there is none yet);
    the model itself is cached apart, so making a new searcher after an ingest costs no model reload."""
    return _searcher(str(data_dir()), settings())


def forget_searcher() -> None:
    """After an ingest: a searcher made before the first index existed must be made anew."""
    _searcher.clear()


def open_store() -> Store | None:
    """The store for this run (the caller closes it), or None with the app's message when there is none."""
    try:
        return Store.open(data_dir())
    except NoIndexError:
        st.warning(no_index_app())
        return None


# the render cache is bounded in bytes: each view has at most pageview.MAX_PIXELS RGB pixels
RENDER_CACHE_ENTRIES = 24


@st.cache_data(max_entries=RENDER_CACHE_ENTRIES, show_spinner=False)
def _render_cached(path: str, page: int, text: str, mtime: float, words: tuple = ()):
    return pageview.render(path, page, text, words=list(words))


def render_page(path: str, page: int, text: str, words=None):
    """The page view of a PDF page with `text` marked, cached until the file changes; `words` are
    the page's OCR word boxes (a scanned page has no text layer to find the text in)."""
    try:
        mtime = os.stat(path).st_mtime
    except OSError:
        mtime = 0.0
    return _render_cached(path, page, text, mtime, tuple(tuple(w) for w in words or ()))


@st.cache_data(max_entries=256, show_spinner=False)
def _hash(path: str, mtime: float, size: int) -> str:
    from beleidsbank.ingest.document import file_hash

    return file_hash(Path(path))


def file_changed(path: str, sha256: str) -> bool:
    """Whether the PDF differs from the one that was ingested (False when it is gone)."""
    try:
        stat = os.stat(path)
    except OSError:
        return False
    return _hash(path, stat.st_mtime, stat.st_size) != sha256


# -- the export list, kept per browser session and across reloads -----------------
# Without accounts a list is reached by the token in the URL (exportlist.py); with accounts by its
# owner and the users it is shared with (lists.py); the URL then only says which one is open.

TOKEN_KEY, MODE_KEY, HIDDEN_KEY, STAMP_KEY = "lijst_token", "lijst_mode", "lijst_verborgen", "lijst_stempel"
LIST_KEYS = (TOKEN_KEY, MODE_KEY, HIDDEN_KEY, STAMP_KEY)


def _stamp(token) -> int | None:
    """When the list's file last changed (None: no file): another tab or user may have saved it."""
    try:
        return exportlist.path_for(data_dir(), token).stat().st_mtime_ns if exportlist.valid_token(token) else None
    except OSError:
        return None


def _list_store() -> Store | None:
    try:
        return Store.open(data_dir())
    except StoreError:
        return None


def open_list(token) -> None:
    """Make `token` this session's list when this viewer may open it (without accounts: a list
    the server minted; with accounts: one of their own or shared with them, else their latest own
    one). The items of documents the viewer may not see are kept apart, never shown."""
    who = viewer()
    how = lists.OWNER
    if who.name is not None:
        store = _list_store()
        try:
            how = lists.mode(store, token, who.name) if store else None
            if how is None and store is not None:
                own = store.lists_of(who.name)
                token, how = (own[-1], lists.OWNER) if own else (None, None)
        finally:
            if store is not None:
                store.close()
    known = how is not None and exportlist.minted(data_dir(), token)
    shown, hidden = lists.split(exportlist.load(data_dir(), token) if known else [], who.sees)
    st.session_state.update(
        {TOKEN_KEY: token if known else None, MODE_KEY: how if known else lists.OWNER, HIDDEN_KEY: hidden}
    )
    st.session_state[STAMP_KEY] = _stamp(token) if known else None
    st.session_state["export"] = shown


def export_items() -> list[dict]:
    """This session's list (the items the viewer may see), read again when its file changed."""
    token = st.session_state.get(TOKEN_KEY)
    if "export" not in st.session_state:
        open_list(st.query_params.get("lijst"))
    elif token and _stamp(token) != st.session_state.get(STAMP_KEY):
        open_list(token)
    return st.session_state["export"]


def list_mode() -> str:
    """What this viewer may do with the open list: owner, edit or read (lists.py)."""
    export_items()
    return st.session_state.get(MODE_KEY, lists.OWNER)


def keep_list_in_url() -> None:
    """Put the list's token back in the URL: moving to another page clears the query string."""
    token = st.session_state.get(TOKEN_KEY)
    if token and st.query_params.get("lijst") != token:
        st.query_params["lijst"] = token


def _new_list() -> str:
    """A new list: without accounts a token (old lists pruned), with accounts one the user owns."""
    name = viewer().name
    if name is None:
        store = _list_store()
        try:
            if store is None or not access.accounts_exist(store):  # a team's lists are never pruned
                exportlist.prune(data_dir())
        finally:
            if store is not None:
                store.close()
        return exportlist.mint(data_dir())
    store = Store.open(data_dir(), write=True)
    try:
        return lists.create(store, data_dir(), name)
    finally:
        store.close()


def start_list() -> bool:
    """A new, empty list becomes this session's list (with accounts: owned by the user)."""
    try:
        token = _new_list()
    except (OSError, StoreError) as exc:
        st.warning(f"Er kon geen nieuwe lijst worden gemaakt ({plain(exc)}).")
        return False
    st.session_state.update({TOKEN_KEY: token, MODE_KEY: lists.OWNER, HIDDEN_KEY: [], "export": []})
    st.session_state[STAMP_KEY] = _stamp(token)
    st.query_params["lijst"] = token
    return True


def may_change_list() -> bool:
    """Whether this viewer may change the open list now (its owner, or shared to change), asked
    afresh: a share may have been withdrawn since the list was opened."""
    name, token = viewer().name, st.session_state.get(TOKEN_KEY)
    if name is None or not token:
        return True
    store = _list_store()
    try:
        return store is not None and lists.mode(store, token, name) in (lists.OWNER, lists.EDIT)
    finally:
        if store is not None:
            store.close()


def save_export() -> bool:
    """Mirror the list to the data dir under the token in the URL (made on first use); False
    (with the reason shown) when it may not or could not be saved."""
    if not may_change_list():
        st.warning(list_read_only())
        return False
    try:
        items = st.session_state.get("export", [])  # as changed now: not read again from the file
        token = st.session_state.get(TOKEN_KEY)
        if not exportlist.minted(data_dir(), token):
            token = _new_list()
            st.session_state.update({TOKEN_KEY: token, MODE_KEY: lists.OWNER, HIDDEN_KEY: []})
        st.query_params["lijst"] = token
        exportlist.save(data_dir(), token, items + st.session_state.get(HIDDEN_KEY, []))
        st.session_state[STAMP_KEY] = _stamp(token)
        return True
    except (OSError, StoreError) as exc:
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else plain(exc)
        st.warning(
            f"De exportlijst kon niet worden bewaard voor herladen ({why}); "
            "sla de lijst op als bestand om hem te bewaren."
        )
        return False


def add_to_export(item: dict) -> None:
    items = export_items()
    if all(i["id"] != item["id"] for i in items):
        items.append(item)
        if not save_export():
            items.pop()
            return
        st.toast("Toegevoegd aan de exportlijst")
    else:
        st.toast("Staat al op de exportlijst")


def add_all_to_export(new: list[dict]) -> None:
    """Button callback: several items at once (a recommendation with its problems), in order."""
    items = export_items()
    known = {i["id"] for i in items}
    fresh = [i for i in new if i["id"] not in known and not known.add(i["id"])]
    if fresh:
        items.extend(fresh)
        if not save_export():
            del items[-len(fresh) :]
            return
        st.toast(f"{len(fresh)} toegevoegd aan de exportlijst")
    else:
        st.toast("Staat al op de exportlijst")


# the export list items of a search result, a statement, a document's passage (exportlist.py)
hit_item, statement_item, passage_item = exportlist.hit_item, exportlist.statement_item, exportlist.passage_item


# -- from a search result to its page view ------------------------------------------


def show_on_page(doc_id: str, passage_id: str) -> None:
    """Button callback: open Documenten with this passage in the page view; the page the button
    was on is remembered, so a button there leads back to it."""
    st.session_state["doc_sel"] = doc_id
    st.session_state["passage_sel"] = passage_id
    st.session_state["goto"] = DOCUMENTS_PAGE
    st.session_state["back_to"] = st.session_state.get("page_now")


def go_to(url_path: str) -> None:
    """Button callback: open another page (its url path)."""
    st.session_state["goto"] = url_path


def pending_jump() -> str | None:
    """The url path of the page a button asked for, once."""
    return st.session_state.pop("goto", None)


def visiting(url_path: str) -> str | None:
    """Record the page this run shows; the page to go back to from it (the page view reached from
    a result), None when there is none."""
    st.session_state["page_now"] = url_path
    back = st.session_state.get("back_to")
    if url_path != DOCUMENTS_PAGE or not back or back == url_path:
        st.session_state.pop("back_to", None)
        return None
    return back


# -- the user's place: results kept per page ---------------------------------------------------

KEEP = "session"  # widgets keep their value across page switches (Streamlit's persist_state)


def index_version(searcher) -> int:
    """The index's generation, part of every kept result's key: results kept from before an ingest
    are not shown after it."""
    with searcher.store.read():
        return searcher.store.generation()


def kept_result(page: str, key: tuple, compute):
    """(result of `compute()` for the inputs `key`, seconds it took, whether it was computed now):
    computed once and kept for the page, so a page switch and back shows the same results without
    asking again. One result per page is kept: the latest."""
    slot = f"result:{page}"
    held = st.session_state.get(slot)
    if held is not None and held[0] == key:
        return held[1], held[2], False
    start = time.perf_counter()
    value = compute()
    took = time.perf_counter() - start
    st.session_state[slot] = (key, value, took)
    return value, took, True
