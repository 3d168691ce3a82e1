"""The app's login (issue 18) with Streamlit's AppTest, on a small store without the model: asked
when accounts exist and the app is reachable from other computers, never on this computer only;
a wrong password refused in Dutch; a reader offered no page to add documents and shown no
document of a collection closed to them; export lists owned and shared by name."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from beleidsbank.index import access, schema
from beleidsbank.index.store import Store
from beleidsbank.ui import exportlist
from tests.test_migrations import build_store

APP = str(Path(__file__).resolve().parent.parent / "ui" / "app.py")
PASSWORD = "lang-genoeg-wachtwoord"


def add_accounts(data: Path, hide: str | None = None) -> None:
    """A reader and an editor; `hide`: a document only editors may see."""
    store = Store.open(data, write=True)
    with store.write():
        for name, role in (("lezer", "reader"), ("redacteur", "editor")):
            store.add_user(name, role, access.hash_password(PASSWORD), access.now_iso())
        if hide:
            store.add_collection("dossier", "Dossier", False, access.now_iso())
            store.add_to_collection("dossier", [hide])
            store.grant("dossier", "role", "editor")
    store.close()


def make_team(tmp_path, monkeypatch, hide: str) -> Path:
    data = build_store(tmp_path / "data")
    con = sqlite3.connect(data / schema.DB_NAME)
    with con:  # no model recorded: the pages that search say "no index yet" instead of loading one
        con.execute("DELETE FROM meta WHERE key='model'")
    con.close()
    add_accounts(data, hide=hide)
    monkeypatch.setenv("BELEIDSBANK_DATA", str(data))
    monkeypatch.setenv("BELEIDSBANK_APP_HOST", "0.0.0.0")
    return data


@pytest.fixture
def team(tmp_path, monkeypatch):
    """The store's one document, "a", is closed to readers."""
    return make_team(tmp_path, monkeypatch, hide="a")


def login(name: str, password: str = PASSWORD) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert [h.value for h in at.header] == ["Inloggen"]
    at.text_input[0].input(name)
    at.text_input[1].input(password)
    return at.button[0].click().run()


def test_on_this_computer_no_login(team, monkeypatch):
    monkeypatch.setenv("BELEIDSBANK_APP_HOST", "127.0.0.1")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert "Inloggen" not in [h.value for h in at.header]
    monkeypatch.setenv("BELEIDSBANK_APP_LOGIN", "1")  # behind a reverse proxy on this computer
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert [h.value for h in at.header] == ["Inloggen"]


def test_wrong_password_refused_in_dutch(team):
    at = login("lezer", "niet-het-wachtwoord")
    assert not at.exception
    assert [e.value for e in at.error] == ["Naam of wachtwoord onjuist."]
    assert [h.value for h in at.header] == ["Inloggen"]


def test_reader_sees_no_closed_document_and_cannot_add(team):
    at = login("lezer")
    assert not at.exception and not at.error
    assert "Ingelogd als lezer (lezer)" in [c.value for c in at.sidebar.caption]
    with pytest.raises(ValueError):  # no such page for a reader
        at.switch_page("views/toevoegen.py")
    at.switch_page("views/documenten.py").run()
    assert not at.exception
    assert any("De index is leeg" in i.value for i in at.info)  # its one document is closed to readers

    editor = login("redacteur")
    editor.switch_page("views/documenten.py").run()
    assert not editor.exception and not editor.info
    editor.switch_page("views/toevoegen.py").run()
    assert not editor.exception


def test_logout_asks_again(team):
    at = login("redacteur")
    at.sidebar.button[0].click().run()
    assert [h.value for h in at.header] == ["Inloggen"]


def test_lists_are_owned_and_shared_by_name(tmp_path, monkeypatch):
    team = make_team(tmp_path, monkeypatch, hide="b")  # "a" open to all, "b" to editors
    store = Store.open(team, write=True)
    token = exportlist.mint(team)
    item = dict(id="p1", doc_id="a", title="T", publisher="U", year=2024, page=1, kind="passage", text="Een citaat.")
    hidden = dict(item, id="p2", doc_id="b", text="Verborgen citaat.")
    exportlist.save(team, token, [item, hidden])
    with store.write():
        store.add_list(token, "redacteur", access.now_iso())
    store.close()

    at = login("lezer")
    at.query_params["lijst"] = token  # a token alone opens nothing
    at.switch_page("views/exportlijst.py").run()
    assert not at.exception
    assert not [s for s in at.selectbox if s.label == "Lijst"]
    assert any("leeg" in i.value for i in at.info)

    store = Store.open(team, write=True)
    with store.write():
        store.share_list(token, "redacteur", "lezer", "read", access.now_iso())
    store.close()
    at = login("lezer")
    at.switch_page("views/exportlijst.py").run()
    at.run()
    assert not at.exception
    choice = next(s for s in at.selectbox if s.label == "Lijst")
    assert "Lijst van redacteur (1 item, alleen lezen)" in choice.options
    assert any("gedeeld om te lezen" in i.value for i in at.info)
    assert not [b for b in at.button if b.label == "Verwijderen"]
    shown = " ".join(str(h.proto.body) for h in at.get("html"))
    assert "Een citaat." in shown and "Verborgen citaat." not in shown

    # shared to change: a change keeps the items the user may not see
    store = Store.open(team, write=True)
    with store.write():
        store.share_list(token, "redacteur", "lezer", "edit", access.now_iso())
    store.close()
    at = login("lezer")
    at.switch_page("views/exportlijst.py").run()
    at.run()
    next(b for b in at.button if b.label == "Verwijderen").click().run()
    assert not at.exception
    assert [it["id"] for it in exportlist.load(team, token)] == ["p2"]


@pytest.mark.parametrize("host", ["127.0.0.1", "0.0.0.0"])
def test_an_added_item_is_kept_in_the_users_list(tmp_path, monkeypatch, host):
    """On this computer the list is found by the token in the URL; with a login it is the user's own."""
    data = make_team(tmp_path, monkeypatch, hide="zz")
    monkeypatch.setenv("BELEIDSBANK_APP_HOST", host)
    at = login("redacteur") if host == "0.0.0.0" else AppTest.from_file(APP, default_timeout=60).run()
    at.switch_page("views/aanbevelingen.py").run()
    next(b for b in at.button if b.label == "Aanbeveling aan exportlijst").click().run()
    assert not at.exception and not at.warning
    token = at.query_params["lijst"]
    assert len(exportlist.load(data, token)) == 1
    store = Store.open(data)
    assert store.lists_of("redacteur") == ([token] if host == "0.0.0.0" else [])
    store.close()
