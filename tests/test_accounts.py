"""Accounts and access (issue 18): schema 5, password hashing, roles, login rate limit, sessions,
API tokens, and the `user`, `collection` and `audit` commands."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from functools import partial

import pytest
from click.testing import CliRunner

from beleidsbank.cli import main
from beleidsbank.index import access, migrations, schema
from beleidsbank.index.access import Viewer
from beleidsbank.index.store import Store
from beleidsbank.settings import AccessParams
from tests.test_migrations import build_store
from tests.test_store import parsed, put, unit_vectors
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


# -- passwords, roles, viewers ----------------------------------------------------------------
FAST = AccessParams(scrypt_n=2**10)  # the rules do not depend on the cost; tests stay quick


@pytest.fixture
def store(tmp_path):
    s = Store.create(tmp_path / "data")
    yield s
    s.close()


def add(store, name: str, role: str, password: str = "geheim123") -> None:
    with store.write():
        assert store.add_user(name, role, access.hash_password(password, FAST), access.now_iso())


def test_a_password_is_stored_as_a_salted_scrypt_hash():
    one, two = access.hash_password("geheim123", FAST), access.hash_password("geheim123", FAST)
    assert one != two and one.startswith("scrypt$1024$8$1$") and "geheim123" not in one
    assert access.verify_password("geheim123", one) and access.verify_password("geheim123", two)
    assert not access.verify_password("geheim124", one) and not access.verify_password("", one)
    for broken in ("", "scrypt$x", "bcrypt$1$2$3$4$5", one[:-4]):
        assert not access.verify_password("geheim123", broken)
    assert access.verify_password("geheim123", access.hash_password("geheim123"))  # the default cost


def test_roles_each_may_what_the_previous_one_may_and_more():
    may = {
        role: {a for a in ("read", "export", "add", "correct", "review", "manage") if Viewer(None, role, None).may(a)}
        for role in access.ROLES
    }
    assert may["reader"] == {"read", "export"}
    assert may["editor"] == {"read", "export", "add", "correct", "review"}
    assert may["admin"] == may["editor"] | {"manage"}
    assert access.LOCAL.may("manage") and access.LOCAL.visible is None and access.LOCAL.sees("x")
    assert not Viewer("x", "gast", None).may("read")


@pytest.mark.parametrize("bad", ["", " anna", "an na", "a" * 65, "../x", "ánna", "-a"])
def test_names_and_passwords_are_checked_in_dutch(bad):
    with pytest.raises(access.AccessError, match="naam"):
        access.check_name(bad)
    with pytest.raises(access.AccessError, match="minstens 8 tekens"):
        access.check_password("kort")
    with pytest.raises(access.AccessError, match="Onbekende rol"):
        access.check_role("baas")


def test_what_a_user_sees_follows_the_collections(store):
    for name, role in (("a", "reader"), ("b", "reader"), ("c", "editor"), ("d", "admin")):
        add(store, name, role)
    assert {n: access.viewer_for_user(store, n).visible for n in "abcd"} == dict.fromkeys("abcd")  # no collections
    with store.write():
        store.add_collection("open", "Open", True, access.now_iso())
        store.add_collection("dicht", "Dicht", False, access.now_iso())
        store.add_collection("voor-a", "Voor a", False, access.now_iso())
        store.grant("voor-a", "user", "a")
        store.add_to_collection("dicht", ["x", "y"])
        store.add_to_collection("open", ["y"])  # in an open and a closed collection: visible
        store.add_to_collection("voor-a", ["z"])
    docs = {"x", "y", "z", "w"}  # w: in no collection
    store.document_ids = lambda: docs  # the rule is over ids; the documents need not be ingested here
    assert access.viewer_for_user(store, "a").visible == {"y", "z", "w"}
    assert access.viewer_for_user(store, "b").visible == {"y", "w"}
    assert access.viewer_for_user(store, "d").visible is None
    with store.write():
        store.grant("dicht", "role", "editor")
    assert access.viewer_for_user(store, "c").visible == {"x", "y", "w"}
    assert access.viewer_for_user(store, "b").visible == {"y", "w"}
    with pytest.raises(access.AccessError, match="geen gebruiker"):
        access.viewer_for_user(store, "niemand")


# -- logins, sessions, tokens -------------------------------------------------------------------
def test_failed_logins_are_rate_limited_per_name_and_client(store):
    add(store, "anna", "reader")
    t0 = 1_000_000.0
    login = partial(access.check_login, store, params=FAST)
    assert login("anna", "geheim123", client="1.2.3.4", now=t0).name == "anna"
    for i in range(FAST.max_failures):
        assert login("anna", "fout", client="1.2.3.4", now=t0 + i) is None
    with pytest.raises(access.LoginBlocked) as blocked:
        login("anna", "geheim123", client="1.2.3.4", now=t0 + 10)  # even the right password
    assert "Te veel mislukte inlogpogingen" in str(blocked.value)
    assert blocked.value.retry_after == pytest.approx(FAST.failure_window_s - 10, abs=1)
    assert login("anna", "geheim123", client="5.6.7.8", now=t0 + 10).name == "anna"  # another client
    # once the oldest failure leaves the window, one more try is allowed
    assert login("anna", "geheim123", client="1.2.3.4", now=t0 + FAST.failure_window_s + 1).name == "anna"
    assert store.login_failures("anna", "1.2.3.4", 0) == []  # a success clears the count


def test_an_unknown_name_is_answered_and_counted_like_a_wrong_password(store):
    for i in range(FAST.max_failures):
        assert access.check_login(store, "niemand", "geheim123", client="c", params=FAST, now=100.0 + i) is None
    with pytest.raises(access.LoginBlocked):
        access.check_login(store, "niemand", "geheim123", client="c", params=FAST, now=110.0)


def test_a_session_expires_and_ends(store):
    add(store, "anna", "editor")
    t0 = 1_000_000.0
    sid = access.new_session(store, "anna", params=FAST, now=t0)
    assert access.viewer_for_session(store, sid, now=t0 + 60) == Viewer("anna", "editor", None)
    assert access.viewer_for_session(store, sid, now=t0 + FAST.session_hours * 3600 + 1) is None
    assert access.viewer_for_session(store, sid + "x", now=t0) is None
    assert access.viewer_for_session(store, "", now=t0) is None
    with store.con:  # the store holds only a hash of the id
        assert store.con.execute("SELECT COUNT(*) FROM sessions WHERE hash=?", (sid,)).fetchone()[0] == 0
    access.end_session(store, sid)
    assert access.viewer_for_session(store, sid, now=t0 + 60) is None
    other = access.new_session(store, "anna", params=FAST, now=t0)
    with store.write():
        store.set_password("anna", access.hash_password("nieuw-wachtwoord", FAST))
    assert access.viewer_for_session(store, other, now=t0 + 60) is None  # a new password ends sessions


def test_an_api_token_is_shown_once_and_stored_as_a_hash(store):
    add(store, "anna", "reader")
    token = access.new_token(store, "anna")
    assert token.startswith("bb_") and len(token) > 40
    assert access.viewer_for_token(store, token).name == "anna"
    assert store.con.execute("SELECT last_used FROM api_tokens").fetchone()[0] is not None
    raw = (store.data_dir / schema.DB_NAME).read_bytes()
    assert token.encode() not in raw
    for wrong in (token + "x", token[:-1], "", "Bearer " + token, None):
        assert access.viewer_for_token(store, wrong) is None
    with store.write():
        store.delete_user("anna")
    assert access.viewer_for_token(store, token) is None


def test_the_audit_log_records_who_did_what(store):
    add(store, "anna", "editor")
    access.audit(store, access.viewer_for_user(store, "anna"), "ingest", "doc-1", "app")
    access.audit(store, access.LOCAL, "remove", "doc-1")
    newest, oldest = store.audit_entries()
    assert (oldest.user, oldest.action, oldest.target, oldest.detail) == ("anna", "ingest", "doc-1", "app")
    assert newest.user.startswith("lokaal:") and newest.action == "remove"
    assert [e.action for e in store.audit_entries(1)] == ["remove"]


# -- the command line ---------------------------------------------------------------------------
def run(args, data, input=None):
    result = CliRunner().invoke(main, args + ["--data-dir", str(data)], input=input)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    return result


def test_user_commands(tmp_path):
    data = tmp_path / "data"
    assert run(["user", "list"], data).output.strip() == "Er zijn nog geen accounts."
    assert not data.exists()  # reading creates nothing
    r = run(["user", "add", "anna", "--role", "editor"], data, input="geheim123\ngeheim123\n")
    assert r.exit_code == 0 and "gebruiker toegevoegd: anna (editor)" in r.output
    r = run(["user", "add", "bob", "--role", "reader"], data, input="geheim123\nanders123\n")
    assert r.exit_code == 1 and "wachtwoorden verschillen" in r.output
    r = run(["user", "add", "bob", "--role", "reader", "--password-stdin"], data, input="kort\n")
    assert r.exit_code == 1 and "minstens 8 tekens" in r.output
    r = run(["user", "add", "anna", "--role", "reader", "--password-stdin"], data, input="geheim123\n")
    assert r.exit_code == 1 and "al een gebruiker 'anna'" in r.output
    r = run(["user", "add", "bob", "--role", "baas", "--password-stdin"], data, input="geheim123\n")
    assert r.exit_code == 2
    assert run(["user", "add", "bob", "--role", "reader", "--password-stdin"], data, input="geheim123\n").exit_code == 0
    token = run(["user", "token", "bob"], data).stdout.strip()
    listed = json.loads(run(["user", "list", "--json"], data).output)
    assert [(u["name"], u["role"], u["tokens"]) for u in listed] == [("anna", "editor", 0), ("bob", "reader", 1)]
    store = Store.open(data)
    try:
        assert access.viewer_for_token(store, token).name == "bob"
        assert access.check_login(store, "anna", "geheim123", client="t").role == "editor"
        assert run(["user", "passwd", "anna", "--password-stdin"], data, input="nieuw-geheim\n").exit_code == 0
        assert access.check_login(store, "anna", "nieuw-geheim", client="t") is not None
        assert run(["user", "role", "anna", "admin"], data).exit_code == 0
        assert access.viewer_for_user(store, "anna").role == "admin"
        assert "1 API-token(s) ingetrokken" in run(["user", "token", "bob", "--revoke"], data).output
        assert access.viewer_for_token(store, token) is None
        assert run(["user", "remove", "bob"], data).exit_code == 0
        r = run(["user", "remove", "bob"], data)
        assert r.exit_code == 1 and "geen gebruiker 'bob'" in r.output
        assert [u.name for u in store.users()] == ["anna"]
    finally:
        store.close()
    actions = [e["action"] for e in json.loads(run(["audit", "--json"], data).output)]
    assert actions == [
        "user.remove",
        "user.token.revoke",
        "user.role",
        "user.passwd",
        "user.token",
        "user.add",
        "user.add",
    ]
    assert len(json.loads(run(["audit", "--json", "--limit", "2"], data).output)) == 2
    assert "lokaal:" in run(["audit"], data).output


def stored_documents(data, names) -> None:
    store = Store.create(data)
    for k, name in enumerate(names):
        put(
            store,
            parsed(name, ["Er is een tekort aan technici.", "Investeer in techniek."], sha=name),
            unit_vectors(2, 8, k),
        )
    with store.write():
        store.set_meta("model", "nep-model")
        store.set_meta("dim", "8")
    store.close()


def test_collection_commands(tmp_path):
    data = tmp_path / "data"
    stored_documents(data, ["d1", "d2", "d3"])
    for name, role in (("anna", "reader"), ("bob", "reader"), ("cor", "editor")):
        run(["user", "add", name, "--role", role, "--password-stdin"], data, input="geheim123\n")
    r = run(["collection", "add", "dossier", "--label", "Dossier X", "--users", "anna"], data)
    assert r.exit_code == 0 and "voor anna" in r.output
    assert run(["collection", "add", "dossier"], data).exit_code == 1
    r = run(["collection", "add", "x", "--users", "niemand"], data)
    assert r.exit_code == 1 and "geen gebruiker 'niemand'" in r.output
    assert run(["collection", "add", "x", "--roles", "baas"], data).exit_code == 1
    r = run(["collection", "docs", "dossier", "d1", "onbekend"], data)
    assert r.exit_code == 1 and "onbekend" in r.output
    assert run(["collection", "docs", "dossier", "d1", "d2"], data).exit_code == 0
    assert run(["collection", "undocs", "dossier", "d2"], data).exit_code == 0

    def sees(name):
        store = Store.open(data)
        try:
            return {d for d in ("d1", "d2", "d3") if access.viewer_for_user(store, name).sees(d)}
        finally:
            store.close()

    assert sees("anna") == {"d1", "d2", "d3"} and sees("bob") == sees("cor") == {"d2", "d3"}
    assert "rol editor" in run(["collection", "grant", "dossier", "--roles", "editor"], data).output
    assert sees("cor") == {"d1", "d2", "d3"}
    assert run(["collection", "revoke", "dossier", "--users", "anna"], data).exit_code == 0
    assert sees("anna") == {"d2", "d3"}
    assert run(["collection", "grant", "dossier"], data).exit_code == 1  # nothing to grant
    assert "open voor iedereen" in run(["collection", "grant", "dossier", "--open"], data).output
    assert sees("bob") == {"d1", "d2", "d3"}
    listed = json.loads(run(["collection", "list", "--json"], data).output)
    assert listed == [
        {
            "id": "dossier",
            "label": "Dossier X",
            "open_to_all": True,
            "created": listed[0]["created"],
            "docs": ["d1"],
            "users": [],
            "roles": ["editor"],
        }
    ]
    assert "documenten: d1" in run(["collection", "list"], data).output
    assert run(["collection", "remove", "dossier"], data).exit_code == 0
    assert run(["collection", "list"], data).output.strip() == "Er zijn nog geen collecties."
    actions = [e["action"] for e in json.loads(run(["audit", "--json"], data).output)]
    assert actions[:7] == [
        "collection.remove",
        "collection.grant",
        "collection.revoke",
        "collection.grant",
        "collection.undocs",
        "collection.docs",
        "collection.add",
    ]


def test_correcting_and_removing_a_document_are_audited(tmp_path):
    data = tmp_path / "data"
    stored_documents(data, ["d1", "d2"])
    assert run(["meta", "d1", "--title", "Een betere titel"], data).exit_code == 0
    r = run(["remove", "d2"], data)
    assert r.exit_code == 0, r.output
    entries = json.loads(run(["audit", "--json"], data).output)
    assert [(e["action"], e["target"]) for e in entries] == [("remove", "d2"), ("correct", "d1")]
    assert "Een betere titel" in entries[1]["detail"]


def test_the_user_command_in_a_real_process(tmp_path):
    data = str(tmp_path / "data")
    exe = [sys.executable, "-m", "beleidsbank.cli"]
    add = subprocess.run(
        exe + ["user", "add", "anna", "--role", "admin", "--password-stdin", "--data-dir", data],
        input="geheim123\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert add.returncode == 0 and "gebruiker toegevoegd" in add.stdout, add.stderr
    bad = subprocess.run(
        exe + ["user", "passwd", "anna", "--data-dir", data],
        input="geheim123\nanders\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 1 and "Traceback" not in bad.stderr and "verschillen" in bad.stderr
    listed = subprocess.run(
        exe + ["user", "list", "--json", "--data-dir", data], capture_output=True, text=True, timeout=120
    )
    assert [u["name"] for u in json.loads(listed.stdout)] == ["anna"]
