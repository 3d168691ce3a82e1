"""Accounts and access (issue 18): schema 5, password hashing, roles, login rate limit, sessions,
API tokens, and the `user`, `collection` and `audit` commands."""

from __future__ import annotations

import sqlite3

from beleidsbank.index import access, migrations, schema
from beleidsbank.index.store import Store
from tests.test_migrations import build_store
from tests.v1_store import schema_sql


def test_a_v4_store_is_upgraded_to_schema_5(tmp_path):
    """Step 4 -> 5 makes exactly the account tables a new store has (later steps have their own tests)."""
    current = build_store(tmp_path / "nu")
    old = schema_sql(current / schema.DB_NAME)
    con = sqlite3.connect(str(current / schema.DB_NAME), isolation_level=None)
    names = [
        r[0]
        for r in con.execute("SELECT name FROM sqlite_master WHERE sql IS NOT NULL")
        if any(f" {r[0]}(" in stmt or f" {r[0]} ON" in stmt for stmt in schema.VERSION_5)
    ]
    assert {"users", "api_tokens", "sessions", "login_attempts", "audit_log", "collections"} <= set(names)
    assert {"collection_documents", "collection_access", "lists", "list_shares"} <= set(names)
    for name in names:
        kind = con.execute("SELECT type FROM sqlite_master WHERE name=?", (name,)).fetchone()
        if kind:
            con.execute(f"DROP {kind[0].upper()} {name}")
    assert schema_sql(current / schema.DB_NAME) != old
    con.execute("BEGIN IMMEDIATE")
    migrations.STEPS[4](con)
    con.execute("COMMIT")
    con.close()
    assert schema_sql(current / schema.DB_NAME) == old
    store = Store.open(current)
    assert [d.id for d in store.documents()] == ["a"] and not access.accounts_exist(store)
    store.close()
