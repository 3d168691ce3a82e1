"""Who may do and see what: accounts, roles, logins, sessions, API tokens, the audit log, and the
documents a viewer may see (collections). The SQL is in store_accounts.py.

Rules:
- Roles, each with what the previous one may: a reader reads and exports, an editor also adds,
  corrects and reviews, an admin also manages users and collections.
- A document in no collection is visible to everyone (so a store without collections behaves as
  one without accounts). A document in one or more collections is visible to a user when ANY of
  them is open to all, names the user, or names the user's role. An admin sees every document.
- Passwords are stored as scrypt hashes with a random salt (stdlib), tokens and session ids only
  as SHA-256 hashes (they are long random values, so a fast hash suffices); secrets are compared
  in constant time.
- Failed logins are counted per (name, client): `AccessParams.max_failures` within the window
  block further tries until the oldest of them leaves it. Unknown names are counted and hashed
  like known ones, so a reply says nothing about which names exist.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import hmac
import math
import re
import secrets
import time
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, datetime

from beleidsbank.settings import AccessParams

ROLES = ("reader", "editor", "admin")
ACTIONS = {
    "reader": frozenset({"read", "export"}),
    "editor": frozenset({"read", "export", "add", "correct", "review"}),
    "admin": frozenset({"read", "export", "add", "correct", "review", "manage"}),
}
NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # scrypt hashes any length; a longer "password" is a mistake or an attack
SCRYPT_R, SCRYPT_P, SALT_BYTES, HASH_BYTES = 8, 1, 16, 32
TOKEN_PREFIX = "bb_"


class AccessError(Exception):
    """An account or collection operation that cannot be done (message in Dutch, for users)."""


class LoginBlocked(AccessError):
    """Too many failed logins for this name from this client; `retry_after`: seconds to wait."""

    def __init__(self, retry_after: int):
        self.retry_after = max(1, int(retry_after))
        minutes = math.ceil(self.retry_after / 60)
        wait = "1 minuut" if minutes == 1 else f"{minutes} minuten"
        super().__init__(f"Te veel mislukte inlogpogingen. Probeer het over {wait} opnieuw.")


@dataclass(frozen=True)
class Viewer:
    name: str | None  # None: local use, no accounts
    role: str  # "reader" | "editor" | "admin"
    visible: frozenset[str] | None  # doc ids this viewer may see; None = every document

    def may(self, action: str) -> bool:
        return action in ACTIONS.get(self.role, frozenset())

    def sees(self, doc_id: str) -> bool:
        return self.visible is None or doc_id in self.visible


LOCAL = Viewer(None, "admin", None)
PARAMS = AccessParams()  # the defaults


# -- the read paths' restriction ----------------------------------------------------------
def doc_filter(doc: list[str] | None, visible: frozenset[str] | None) -> list[str] | None:
    """A read path's document filter with `visible` applied: None = no filter (every document),
    [] = no document at all. Callers must treat [] as "nothing", never as "no filter"."""
    if visible is None:
        return doc or None
    return sorted(set(doc) & visible) if doc else sorted(visible)


def seen(visible: frozenset[str] | None, doc_id: str) -> bool:
    """Whether `visible` (None: every document) holds `doc_id`."""
    return visible is None or doc_id in visible


# -- secrets -----------------------------------------------------------------------------
def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def hash_password(password: str, params: AccessParams = PARAMS) -> str:
    """'scrypt$N$r$p$salt$hash' (base64 salt and hash)."""
    salt = secrets.token_bytes(SALT_BYTES)
    digest = _scrypt(password, salt, params.scrypt_n, SCRYPT_R, SCRYPT_P)
    return f"scrypt${params.scrypt_n}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, digest = stored.split("$")
        if kind != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = _scrypt(password, base64.b64decode(salt), int(n), int(r), int(p))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    data = password.encode("utf-8", "surrogatepass")
    return hashlib.scrypt(data, salt=salt, n=n, r=r, p=p, maxmem=256 * n * r + (1 << 20), dklen=HASH_BYTES)


_DUMMY: dict[int, str] = {}


def _dummy_hash(params: AccessParams) -> str:
    """A hash to check an unknown name's password against, so it takes as long as a known one."""
    if params.scrypt_n not in _DUMMY:
        _DUMMY[params.scrypt_n] = hash_password(secrets.token_hex(8), params)
    return _DUMMY[params.scrypt_n]


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


def check_name(name: str) -> str:
    if not isinstance(name, str) or not NAME_RE.match(name):
        raise AccessError(
            "Een naam bestaat uit 1 tot 64 letters, cijfers en de tekens . _ @ - (en begint met een letter of cijfer)."
        )
    return name


def check_password(password: str) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise AccessError(f"Een wachtwoord heeft minstens {MIN_PASSWORD} tekens.")
    if len(password) > MAX_PASSWORD:
        raise AccessError(f"Een wachtwoord heeft hoogstens {MAX_PASSWORD} tekens.")
    return password


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccessError(f"Onbekende rol '{role}': kies uit {', '.join(ROLES)}.")
    return role


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _writing(store):
    """A write transaction, or none when the caller already holds one."""
    return nullcontext() if store.con.in_transaction else store.write()


# -- viewers -------------------------------------------------------------------------------
def accounts_exist(store) -> bool:
    return store.has_users()


def viewer_for_user(store, name: str) -> Viewer:
    """The viewer of an account: its role and the documents its collections let it see.
    AccessError for an unknown name."""
    user = store.user(name)
    if user is None:
        raise AccessError(f"Er is geen gebruiker '{name}'.")
    if user.role == "admin":
        return Viewer(user.name, user.role, None)
    hidden = store.hidden_documents(user.name, user.role)
    if not hidden:
        return Viewer(user.name, user.role, None)
    return Viewer(user.name, user.role, frozenset(store.document_ids() - hidden))


def check_login(
    store, name: str, password: str, *, client: str, params: AccessParams = PARAMS, now: float | None = None
) -> Viewer | None:
    """The viewer for a right name and password, None for a wrong one; LoginBlocked when this
    (name, client) has failed too often lately (the password is then not even checked)."""
    now = time.time() if now is None else now
    since = now - params.failure_window_s
    failures = store.login_failures(name, client, since)
    if len(failures) >= params.max_failures:
        oldest = failures[-params.max_failures]
        raise LoginBlocked(math.ceil(oldest + params.failure_window_s - now))
    stored = store.password_hash(name) if isinstance(name, str) else None
    ok = verify_password(password, stored or _dummy_hash(params)) and stored is not None
    with _writing(store):
        if ok:
            store.clear_login_failures(name, client)
        else:
            store.add_login_failure(name, client, now, forget_before=since)
    return viewer_for_user(store, name) if ok else None


def new_session(store, name: str, params: AccessParams = PARAMS, now: float | None = None) -> str:
    """A new session id for `name` (the store keeps only its hash), valid `session_hours`."""
    if store.user(name) is None:
        raise AccessError(f"Er is geen gebruiker '{name}'.")
    now = time.time() if now is None else now
    session_id = secrets.token_urlsafe(32)
    with _writing(store):
        store.add_session(secret_hash(session_id), name, now, now + params.session_hours * 3600)
    return session_id


def viewer_for_session(store, session_id: str, now: float | None = None) -> Viewer | None:
    """The viewer of a session; None when it is unknown, expired or its user is gone."""
    if not isinstance(session_id, str) or not session_id:
        return None
    name = store.session_user(secret_hash(session_id), time.time() if now is None else now)
    if name is None or store.user(name) is None:
        return None
    return viewer_for_user(store, name)


def end_session(store, session_id: str) -> None:
    """Log out: the session is forgotten."""
    if isinstance(session_id, str) and session_id:
        with _writing(store):
            store.delete_session(secret_hash(session_id))


def new_token(store, name: str) -> str:
    """A new API token for `name`, returned once (the store keeps only its hash)."""
    if store.user(name) is None:
        raise AccessError(f"Er is geen gebruiker '{name}'.")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with _writing(store):
        store.add_token(secret_hash(token), name, now_iso())
    return token


def viewer_for_token(store, token: str) -> Viewer | None:
    """The viewer of an API bearer token; None when it is unknown or its user is gone. Its
    last use is noted when the store can be written at once (never waiting for an ingest)."""
    if not isinstance(token, str) or not token.startswith(TOKEN_PREFIX):
        return None
    token_hash = secret_hash(token)
    name = store.token_user(token_hash)
    if name is None or store.user(name) is None:
        return None
    _note_use(store, token_hash)
    return viewer_for_user(store, name)


def _note_use(store, token_hash: str) -> None:
    from .store_io import StoreError

    if store.read_only or store.con.in_transaction:
        return
    try:
        with store.write(wait=0.2, on_wait=lambda *_: None):
            store.touch_token(token_hash, now_iso())
    except StoreError:
        pass  # another writer holds the store: the time of use is a convenience, not a record


# -- the audit log -------------------------------------------------------------------------
def who(viewer: Viewer) -> str:
    """The name an action is recorded under: the account, or the local system user."""
    if viewer.name is not None:
        return viewer.name
    try:
        return "lokaal:" + (getpass.getuser() or "onbekend")
    except (OSError, KeyError, ImportError):
        return "lokaal:onbekend"


def audit(store, viewer: Viewer, action: str, target: str, detail: str = "") -> None:
    """Record that `viewer` did `action` (ingest, replace, remove, correct, review, user.add, ...)
    to `target`, inside the caller's write transaction when it holds one."""
    with _writing(store):
        store.add_audit(now_iso(), who(viewer), action, str(target), str(detail))
