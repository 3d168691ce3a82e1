"""What the app's pages share: the settings, the resources loaded once per server process, the
export list of a browser session, and the jump from a search result to its page view.

The settings are read from the environment once per browser session (`beleidsbank app` passes
the data directory in it). The model and the searcher are cached per server process; a page
opens its own store connection for each run and closes it.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import streamlit as st

from beleidsbank.index.e5_model import ModelUnavailableError
from beleidsbank.index.search import Searcher
from beleidsbank.index.store import NoIndexError, Store
from beleidsbank.settings import Settings
from beleidsbank.ui import exportlist, pageview
from beleidsbank.ui.present import no_index_app

MODEL_ERRORS = (ModelUnavailableError, OSError)  # no default model, or a named model that is not there
DOCUMENTS_PAGE = "documenten"  # where "Toon pagina" leads (the page's url path)


def settings() -> Settings:
    if "settings" not in st.session_state:
        st.session_state["settings"] = Settings.from_env()
    return st.session_state["settings"]


def data_dir() -> Path:
    return settings().data_dir


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


def export_items() -> list[dict]:
    if "export" not in st.session_state:
        token = st.query_params.get("lijst")
        known = exportlist.minted(data_dir(), token)
        items = exportlist.load(data_dir(), token) if known else []
        if known:
            st.session_state["lijst_token"] = token
        st.session_state["export"] = items
    return st.session_state["export"]


def keep_list_in_url() -> None:
    """Put the list's token back in the URL: moving to another page clears the query string."""
    token = st.session_state.get("lijst_token")
    if token and st.query_params.get("lijst") != token:
        st.query_params["lijst"] = token


def save_export() -> None:
    """Mirror the list to the data dir under the token in the URL (made on first use)."""
    try:
        token = st.session_state.get("lijst_token")
        if not exportlist.minted(data_dir(), token):
            exportlist.prune(data_dir())
            token = exportlist.mint(data_dir())
        st.session_state["lijst_token"] = token
        st.query_params["lijst"] = token
        exportlist.save(data_dir(), token, export_items())
    except OSError as exc:
        st.warning(
            f"De exportlijst kon niet worden bewaard voor herladen ({exc.strerror}); "
            "sla de lijst op als bestand om hem te bewaren."
        )


def add_to_export(item: dict) -> None:
    items = export_items()
    if all(i["id"] != item["id"] for i in items):
        items.append(item)
        save_export()
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
        save_export()
        st.toast(f"{len(fresh)} toegevoegd aan de exportlijst")
    else:
        st.toast("Staat al op de exportlijst")


def hit_item(hit) -> dict:
    """An export list item for a search result."""
    return dict(
        id=hit.passage_id,
        doc_id=hit.doc_id,
        title=hit.title,
        publisher=hit.publisher,
        year=hit.year,
        page_label=hit.page_label,
        page=hit.page,
        ocr=bool(getattr(hit, "ocr", False)),
        section=hit.section,
        kind="passage",
        text=hit.text,
    )


def statement_item(store: Store, s) -> dict:
    """An export list item for a store Statement."""
    doc = store.document(s.doc_id)
    return dict(
        id=s.id,
        doc_id=s.doc_id,
        title=doc.title if doc else s.doc_id,
        publisher=s.publisher or (doc.publisher if doc else ""),
        year=s.year,
        page_label=s.page_label,
        page=s.page,
        section=s.section,
        kind=s.kind,
        text=s.text,
    )


def passage_item(doc, p) -> dict:
    """An export list item for a passage of a document (store Document and Passage)."""
    return dict(
        id=p.id,
        doc_id=doc.id,
        title=doc.title,
        publisher=doc.publisher,
        year=doc.year,
        page_label=p.page_label,
        page=p.page,
        ocr=bool(getattr(p, "ocr", False)),
        section=p.section,
        kind="passage",
        text=p.text,
    )


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
