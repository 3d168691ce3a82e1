"""Accounts and access in the store (the `AccountsStore` mixin of `Store`): users, API tokens,
sessions, failed logins, the audit log, collections of documents and who may see them, and
export lists with their shares. The rules (hashing, roles, who sees what) are in access.py;
this module holds only their SQL (the store modules are the only ones that may).

Secrets (passwords, tokens, session ids) never reach the store: callers hand in hashes. Write
methods run inside the caller's write transaction (`with store.write():`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from .schema import marks

PRINCIPAL_KINDS = ("user", "role")
SHARE_MODES = ("read", "edit")


@dataclass(frozen=True)
class User:
    name: str
    role: str
    created: str

    def to_json(self) -> dict:
        return {"name": self.name, "role": self.role, "created": self.created}


@dataclass(frozen=True)
class Collection:
    id: str
    label: str
    open_to_all: bool
    created: str
    docs: tuple[str, ...]
    users: tuple[str, ...]
    roles: tuple[str, ...]

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "label": self.label,
            "open_to_all": self.open_to_all,
            "created": self.created,
            "docs": list(self.docs),
            "users": list(self.users),
            "roles": list(self.roles),
        }


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: str
    user: str
    action: str
    target: str
    detail: str

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in ("id", "at", "user", "action", "target", "detail")}


@dataclass(frozen=True)
class ListShare:
    list_token: str
    owner: str
    user: str
    mode: str
    created: str

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in ("list_token", "owner", "user", "mode", "created")}


class AccountsStore:
    """Account, collection and list methods of `Store`; `self.con` is the store's connection."""

    con: sqlite3.Connection

    # -- users ---------------------------------------------------------------------------
    def has_users(self) -> bool:
        return self.con.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None

    def users(self) -> list[User]:
        return [User(*r) for r in self.con.execute("SELECT name, role, created FROM users ORDER BY name")]

    def user(self, name: str) -> User | None:
        row = self.con.execute("SELECT name, role, created FROM users WHERE name=?", (name,)).fetchone()
        return User(*row) if row else None

    def password_hash(self, name: str) -> str | None:
        row = self.con.execute("SELECT password FROM users WHERE name=?", (name,)).fetchone()
        return row[0] if row else None

    def add_user(self, name: str, role: str, password_hash: str, at: str) -> bool:
        """False when the name is taken."""
        cur = self.con.execute("INSERT OR IGNORE INTO users VALUES(?, ?, ?, ?)", (name, role, password_hash, at))
        return cur.rowcount == 1

    def set_password(self, name: str, password_hash: str) -> bool:
        """A new password ends the user's sessions. False for an unknown user."""
        cur = self.con.execute("UPDATE users SET password=? WHERE name=?", (password_hash, name))
        self.con.execute("DELETE FROM sessions WHERE user=?", (name,))
        return cur.rowcount == 1

    def set_role(self, name: str, role: str) -> bool:
        return self.con.execute("UPDATE users SET role=? WHERE name=?", (role, name)).rowcount == 1

    def delete_user(self, name: str) -> bool:
        """The user with their tokens, sessions, collection grants and the shares made to them."""
        for sql in (
            "DELETE FROM api_tokens WHERE user=?",
            "DELETE FROM sessions WHERE user=?",
            "DELETE FROM collection_access WHERE kind='user' AND principal=?",
            "DELETE FROM list_shares WHERE user=?",
        ):
            self.con.execute(sql, (name,))
        return self.con.execute("DELETE FROM users WHERE name=?", (name,)).rowcount == 1

    # -- API tokens and sessions (by hash) ---------------------------------------------------
    def add_token(self, token_hash: str, user: str, at: str) -> None:
        self.con.execute("INSERT INTO api_tokens(hash, user, created) VALUES(?, ?, ?)", (token_hash, user, at))

    def token_user(self, token_hash: str) -> str | None:
        row = self.con.execute("SELECT user FROM api_tokens WHERE hash=?", (token_hash,)).fetchone()
        return row[0] if row else None

    def touch_token(self, token_hash: str, at: str) -> None:
        self.con.execute("UPDATE api_tokens SET last_used=? WHERE hash=?", (at, token_hash))

    def token_count(self, user: str) -> int:
        return self.con.execute("SELECT COUNT(*) FROM api_tokens WHERE user=?", (user,)).fetchone()[0]

    def delete_tokens(self, user: str) -> int:
        return self.con.execute("DELETE FROM api_tokens WHERE user=?", (user,)).rowcount

    def add_session(self, session_hash: str, user: str, created: float, expires: float) -> None:
        self.con.execute("DELETE FROM sessions WHERE expires <= ?", (created,))
        self.con.execute("INSERT INTO sessions VALUES(?, ?, ?, ?)", (session_hash, user, created, expires))

    def session_user(self, session_hash: str, now: float) -> str | None:
        """The user of a session that has not expired at `now`."""
        row = self.con.execute("SELECT user FROM sessions WHERE hash=? AND expires > ?", (session_hash, now)).fetchone()
        return row[0] if row else None

    def delete_session(self, session_hash: str) -> None:
        self.con.execute("DELETE FROM sessions WHERE hash=?", (session_hash,))

    # -- failed logins -------------------------------------------------------------------
    def login_failures(self, name: str, client: str, since: float) -> list[float]:
        """Times of the failed logins for (name, client) from `since` on, oldest first."""
        rows = self.con.execute(
            "SELECT at FROM login_attempts WHERE name=? AND client=? AND at >= ? ORDER BY at", (name, client, since)
        )
        return [r[0] for r in rows]

    def add_login_failure(self, name: str, client: str, at: float, forget_before: float) -> None:
        self.con.execute("DELETE FROM login_attempts WHERE at < ?", (forget_before,))
        self.con.execute("INSERT INTO login_attempts VALUES(?, ?, ?)", (name, client, at))

    def clear_login_failures(self, name: str, client: str) -> None:
        self.con.execute("DELETE FROM login_attempts WHERE name=? AND client=?", (name, client))

    # -- audit log -----------------------------------------------------------------------
    def add_audit(self, at: str, user: str, action: str, target: str, detail: str) -> None:
        self.con.execute(
            "INSERT INTO audit_log(at, user, action, target, detail) VALUES(?, ?, ?, ?, ?)",
            (at, user, action, target, detail),
        )

    def audit_entries(self, limit: int | None = None) -> list[AuditEntry]:
        """The newest `limit` entries (all when None), newest first."""
        sql = "SELECT id, at, user, action, target, detail FROM audit_log ORDER BY id DESC"
        args: tuple = ()
        if limit is not None:
            sql += " LIMIT ?"
            args = (limit,)
        return [AuditEntry(*r) for r in self.con.execute(sql, args)]

    # -- collections ---------------------------------------------------------------------
    def add_collection(self, cid: str, label: str, open_to_all: bool, at: str) -> bool:
        """False when the id is taken."""
        sql = "INSERT OR IGNORE INTO collections VALUES(?, ?, ?, ?)"
        cur = self.con.execute(sql, (cid, label, int(open_to_all), at))
        return cur.rowcount == 1

    def update_collection(self, cid: str, label: str | None = None, open_to_all: bool | None = None) -> bool:
        if label is not None:
            self.con.execute("UPDATE collections SET label=? WHERE id=?", (label, cid))
        if open_to_all is not None:
            self.con.execute("UPDATE collections SET open_to_all=? WHERE id=?", (int(open_to_all), cid))
        return self.collection(cid) is not None

    def delete_collection(self, cid: str) -> bool:
        self.con.execute("DELETE FROM collection_documents WHERE collection=?", (cid,))
        self.con.execute("DELETE FROM collection_access WHERE collection=?", (cid,))
        return self.con.execute("DELETE FROM collections WHERE id=?", (cid,)).rowcount == 1

    def collection(self, cid: str) -> Collection | None:
        row = self.con.execute("SELECT id, label, open_to_all, created FROM collections WHERE id=?", (cid,)).fetchone()
        return self._collection(row) if row else None

    def collections(self) -> list[Collection]:
        rows = self.con.execute("SELECT id, label, open_to_all, created FROM collections ORDER BY id").fetchall()
        return [self._collection(r) for r in rows]

    def _collection(self, row) -> Collection:
        cid, label, open_to_all, created = row
        docs = tuple(
            r[0]
            for r in self.con.execute(
                "SELECT doc_id FROM collection_documents WHERE collection=? ORDER BY doc_id", (cid,)
            )
        )
        grants = self.con.execute(
            "SELECT kind, principal FROM collection_access WHERE collection=? ORDER BY principal", (cid,)
        ).fetchall()
        users = tuple(p for k, p in grants if k == "user")
        roles = tuple(p for k, p in grants if k == "role")
        return Collection(cid, label, bool(open_to_all), created, docs, users, roles)

    def add_to_collection(self, cid: str, doc_ids: list[str]) -> int:
        return sum(
            self.con.execute("INSERT OR IGNORE INTO collection_documents VALUES(?, ?)", (cid, d)).rowcount
            for d in doc_ids
        )

    def remove_from_collection(self, cid: str, doc_ids: list[str]) -> int:
        if not doc_ids:
            return 0
        sql = f"DELETE FROM collection_documents WHERE collection=? AND doc_id IN ({marks(doc_ids)})"
        return self.con.execute(sql, (cid, *doc_ids)).rowcount

    def grant(self, cid: str, kind: str, principal: str) -> bool:
        sql = "INSERT OR IGNORE INTO collection_access VALUES(?, ?, ?)"
        return self.con.execute(sql, (cid, kind, principal)).rowcount == 1

    def revoke(self, cid: str, kind: str, principal: str) -> bool:
        sql = "DELETE FROM collection_access WHERE collection=? AND kind=? AND principal=?"
        return self.con.execute(sql, (cid, kind, principal)).rowcount == 1

    def hidden_documents(self, user: str, role: str) -> set[str]:
        """Ids of documents in at least one collection, none of which is open to all, to `user`
        or to `role`. A document in no collection is hidden from nobody."""
        sql = """SELECT DISTINCT doc_id FROM collection_documents WHERE doc_id NOT IN (
            SELECT cd.doc_id FROM collection_documents cd JOIN collections c ON c.id = cd.collection
            WHERE c.open_to_all = 1 OR EXISTS (
                SELECT 1 FROM collection_access a WHERE a.collection = c.id
                AND ((a.kind = 'user' AND a.principal = ?) OR (a.kind = 'role' AND a.principal = ?))))"""
        return {r[0] for r in self.con.execute(sql, (user, role))}

    def document_ids(self) -> set[str]:
        return {r[0] for r in self.con.execute("SELECT id FROM documents")}

    # -- export lists and their shares ---------------------------------------------------
    def add_list(self, token: str, owner: str, at: str, label: str = "") -> bool:
        cur = self.con.execute("INSERT OR IGNORE INTO lists VALUES(?, ?, ?, ?)", (token, owner, label, at))
        return cur.rowcount == 1

    def list_owner(self, token: str) -> str | None:
        row = self.con.execute("SELECT owner FROM lists WHERE token=?", (token,)).fetchone()
        return row[0] if row else None

    def lists_of(self, owner: str) -> list[str]:
        rows = self.con.execute("SELECT token FROM lists WHERE owner=? ORDER BY created", (owner,))
        return [r[0] for r in rows]

    def delete_list(self, token: str) -> bool:
        self.con.execute("DELETE FROM list_shares WHERE list_token=?", (token,))
        return self.con.execute("DELETE FROM lists WHERE token=?", (token,)).rowcount == 1

    def share_list(self, token: str, owner: str, user: str, mode: str, at: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO list_shares VALUES(?, ?, ?, ?, ?)", (token, owner, user, mode, at))

    def unshare_list(self, token: str, user: str) -> bool:
        sql = "DELETE FROM list_shares WHERE list_token=? AND user=?"
        return self.con.execute(sql, (token, user)).rowcount == 1

    def list_shares(self, token: str) -> list[ListShare]:
        sql = "SELECT list_token, owner, user, mode, created FROM list_shares WHERE list_token=? ORDER BY user"
        return [ListShare(*r) for r in self.con.execute(sql, (token,))]

    def shared_with(self, user: str) -> list[ListShare]:
        sql = "SELECT list_token, owner, user, mode, created FROM list_shares WHERE user=? ORDER BY created"
        return [ListShare(*r) for r in self.con.execute(sql, (user,))]
