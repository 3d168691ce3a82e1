"""Who is using the app: the login, the session that keeps it across reloads, and the viewer
every page reads with.

The app asks for a login when accounts exist and it is reachable from other computers (not
bound to 127.0.0.1, ::1 or localhost only); otherwise it is used as before, by one person who
sees everything (`access.LOCAL`). A login gives a session id (index/access.py keeps only its
hash and its expiry); the id lives in this browser session's state and in a cookie, so a reload
(which opens a new Streamlit session) finds it again until the session expires. The cookie is
set and cleared by a small script on the page: Streamlit reads cookies, it does not write them.

`gate()` is the one place that decides the viewer, once per run, before a page runs; the pages
ask `state.viewer()` for it and read with `visible=viewer.visible`.
"""

from __future__ import annotations

import json
import re

import streamlit as st

from beleidsbank.index import access
from beleidsbank.index.store import Store, StoreError
from beleidsbank.settings import is_loopback
from beleidsbank.ui import state
from beleidsbank.ui.present import LOGIN_FAILED, ROLE_LABELS, logged_in_as, plain

SESSION_KEY = "login_session"  # the session id of this browser session
LOGGED_OUT = "login_logged_out"  # set on "Uitloggen": the cookie sent when the tab opened no longer counts
COOKIE = "beleidsbank_sessie"
FORWARDED = ("Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-Ip")  # set by reverse proxies
SESSION_ID_RE = re.compile(r"^[A-Za-z0-9_\-]{16,128}$")  # what a session id looks like; anything else is ignored


def bind_address() -> str:
    """The address the server listens on: Streamlit's own option when it was given (the truth),
    else what `beleidsbank app` passed in the settings; empty means every address."""
    return str(st.get_option("server.address") or state.settings().app_host or "")


def relayed() -> bool:
    """Whether this browser reached the app through a proxy (which says so in a header): then
    its user is elsewhere, whatever address the app listens on."""
    headers = st.context.headers
    return any(isinstance(headers.get(h), str) and headers.get(h) for h in FORWARDED)


def login_required(store: Store | None) -> bool:
    """Whether this app asks for a login: accounts exist, and it is reachable from elsewhere (bound
    to another address than this computer's, reached through a proxy, or told so by --login)."""
    if store is None or not access.accounts_exist(store):
        return False
    return state.settings().app_login or not is_loopback(bind_address()) or relayed()


def _client() -> str:
    """Who is logging in, for the rate limit: the connection's address (None for this computer)."""
    ip = st.context.ip_address
    return ip if isinstance(ip, str) and ip else "lokaal"


def _open_store() -> Store | None:
    try:
        return Store.open(state.data_dir())
    except StoreError:  # no index yet: no accounts either
        return None


def _writable_store() -> Store | None:
    """The store for a login or logout (both write: failed tries, sessions), or None after
    saying in Dutch why it cannot be written."""
    try:
        return Store.open(state.data_dir(), write=True)
    except StoreError as exc:
        st.error(plain(str(exc).replace(str(state.data_dir()), "de datamap")))  # no server paths
        return None


def _sent_cookie() -> str | None:
    """The session id in the cookie the browser sent when this browser session began."""
    sid = st.context.cookies.get(COOKIE)
    return sid if isinstance(sid, str) and SESSION_ID_RE.match(sid) else None


def _session_id() -> str | None:
    """The session id of this browser session, else the one in the cookie the browser sent."""
    sid = st.session_state.get(SESSION_KEY)
    if not sid and not st.session_state.get(LOGGED_OUT):
        sid = _sent_cookie()
    return sid if isinstance(sid, str) and SESSION_ID_RE.match(sid) else None


def _cookie_script(sid: str | None) -> str:
    """A script that sets the session cookie (or removes it when `sid` is None): for this site
    only, sent with its own requests only (SameSite=Strict), over HTTPS only when the page is."""
    value = f"{COOKIE}={sid}" if sid else f"{COOKIE}=; Max-Age=0"
    return (
        "<script>(function(){var s=location.protocol==='https:'?'; Secure':'';"
        f"document.cookie={json.dumps(value + '; Path=/; SameSite=Strict')}+s;}})();</script>"
    )


def _sync_cookie() -> None:
    """Make the browser's cookie hold this session's id (or none after a logout). The script is
    put on every run until a new browser session shows the browser sent the right cookie: a run
    cut short by the next click may remove it before the browser ran it, and on every later run
    it is the same element, which the browser runs once."""
    sid, sent = st.session_state.get(SESSION_KEY), _sent_cookie()
    if sid and sent != sid:
        st.html(_cookie_script(sid), unsafe_allow_javascript=True)
    elif not sid and sent and st.session_state.get(LOGGED_OUT):
        st.html(_cookie_script(None), unsafe_allow_javascript=True)


def resolve() -> access.Viewer | None:
    """The viewer of this browser session now, None when a login is needed (none yet, or its
    session expired or was ended). Shows nothing."""
    store = _open_store()
    try:
        if not login_required(store):
            return access.LOCAL
        sid = _session_id()
        viewer = access.viewer_for_session(store, sid) if sid else None
    finally:
        if store is not None:
            store.close()
    if viewer is None:
        st.session_state.pop(SESSION_KEY, None)
    else:
        st.session_state[SESSION_KEY] = sid
    return viewer


def gate() -> access.Viewer:
    """The viewer of this run. When a login is needed and there is no valid session, the login
    form is shown and the run ends here (no page runs)."""
    viewer = resolve()
    _sync_cookie()
    if viewer is None:
        st.session_state.pop(state.VIEWER_KEY, None)
        login_form()
        st.stop()
    st.session_state[state.VIEWER_KEY] = viewer
    return viewer


def login_form() -> None:
    """Name and password; a good login starts a session and reruns into the app."""
    st.title("beleidsbank")
    st.header("Inloggen")
    with st.form("inloggen"):
        name = st.text_input("Naam", autocomplete="username")
        password = st.text_input("Wachtwoord", type="password", autocomplete="current-password")
        sent = st.form_submit_button("Inloggen", type="primary")
    if not sent:
        return
    name = name.strip()
    store = _writable_store()
    if store is None:
        return
    try:
        viewer = access.check_login(store, name, password, client=_client())
        sid = access.new_session(store, viewer.name or name) if viewer else None
    except access.LoginBlocked as exc:
        st.error(plain(exc))
        return
    except StoreError as exc:
        st.error(plain(str(exc).replace(str(state.data_dir()), "de datamap")))
        return
    finally:
        store.close()
    if sid is None:
        st.error(LOGIN_FAILED)
        return
    st.session_state[SESSION_KEY] = sid
    st.session_state.pop(LOGGED_OUT, None)
    st.rerun()


def logout() -> None:
    """Button callback: forget the session here and in the browser's cookie."""
    sid = st.session_state.pop(SESSION_KEY, None)
    if sid:
        try:
            store = Store.open(state.data_dir(), write=True)
            try:
                access.end_session(store, sid)
            finally:
                store.close()
        except StoreError:
            pass  # the session then ends when it expires; this browser forgets it now
    st.session_state[LOGGED_OUT] = True
    for key in (state.VIEWER_KEY, "export", *state.LIST_KEYS):  # the next user starts afresh
        st.session_state.pop(key, None)
    st.query_params.pop("lijst", None)


def account_box(viewer: access.Viewer) -> None:
    """In the sidebar: who is logged in, and the way out (nothing for local use without accounts)."""
    if viewer.name is None:
        return
    with st.sidebar:
        st.caption(logged_in_as(viewer.name, ROLE_LABELS.get(viewer.role, viewer.role)))
        st.button("Uitloggen", key="uitloggen", on_click=logout)
