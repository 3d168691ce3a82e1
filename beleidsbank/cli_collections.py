"""`beleidsbank collection add|docs|undocs|grant|revoke|list|remove`: collections of documents
and who may see them (index/access.py has the rule: a document in no collection is visible to
everyone; one in collections to whoever any of them is open to). Every change is audited."""

from __future__ import annotations

import json

import click

from beleidsbank.ui.present import safe, unknown_document

from .cli_common import data_dir_option, fail, settings_for
from .cli_users import checked, json_option, reading, writing

users_option = click.option("--users", default="", help="Gebruikers met toegang, met komma's: a,b.")
roles_option = click.option("--roles", default="", help="Rollen met toegang, met komma's: reader,editor,admin.")


def _names(text: str) -> list[str]:
    return [n.strip() for n in text.split(",") if n.strip()]


def _grants(store, users: str, roles: str) -> list[tuple[str, str]]:
    """('user', name) and ('role', role) pairs; an unknown user or role ends the command."""
    from beleidsbank.index import access

    pairs = []
    for name in _names(users):
        if store.user(name) is None:
            fail(f"er is geen gebruiker '{safe(name)}' (maak hem eerst aan met beleidsbank user add).")
        pairs.append(("user", name))
    for role in _names(roles):
        pairs.append(("role", checked(access.check_role, role)))
    return pairs


def _known(store, cid: str):
    found = store.collection(cid)
    if found is None:
        fail(f"er is geen collectie '{safe(cid)}' (zie beleidsbank collection list).")
    return found


def _describe(grants: list[tuple[str, str]], open_to_all: bool) -> str:
    if open_to_all:
        return "open voor iedereen"
    if not grants:
        return "alleen voor beheerders"
    return "voor " + ", ".join(f"{'rol ' if k == 'role' else ''}{p}" for k, p in grants)


@click.group("collection")
def collection() -> None:
    """Beheer collecties: een document in een of meer collecties is alleen zichtbaar voor wie
    een van die collecties mag zien; een document in geen collectie ziet iedereen."""


@collection.command("add")
@click.argument("cid", metavar="ID")
@click.option("--label", default=None, help="Naam van de collectie (standaard het id).")
@click.option("--open", "open_to_all", is_flag=True, help="Open voor iedereen.")
@users_option
@roles_option
@data_dir_option
def collection_add(cid, label, open_to_all, users, roles, data_dir):
    """Maak een collectie, open voor iedereen of voor genoemde gebruikers en rollen."""
    from beleidsbank.index import access

    cid = checked(access.check_name, cid)
    label = " ".join((label or cid).split())
    with writing(settings_for(data_dir)) as store:
        grants = _grants(store, users, roles)
        if not store.add_collection(cid, label, open_to_all, access.now_iso()):
            fail(f"er is al een collectie '{cid}'.")
        for kind, principal in grants:
            store.grant(cid, kind, principal)
        how = _describe(grants, open_to_all)
        access.audit(store, access.LOCAL, "collection.add", cid, how)
    click.echo(f"collectie toegevoegd: {cid} ({safe(label)}; {how})")


@collection.command("docs")
@click.argument("cid", metavar="ID")
@click.argument("docs", nargs=-1, required=True)
@data_dir_option
def collection_docs(cid, docs, data_dir):
    """Zet documenten (ids) in een collectie."""
    from beleidsbank.index import access

    with writing(settings_for(data_dir)) as store:
        _known(store, cid)
        for d in docs:
            if store.document(d) is None:
                fail(unknown_document(d))
        n = store.add_to_collection(cid, list(docs))
        access.audit(store, access.LOCAL, "collection.docs", cid, " ".join(docs))
    click.echo(f"{n} document(en) toegevoegd aan {cid}.")


@collection.command("undocs")
@click.argument("cid", metavar="ID")
@click.argument("docs", nargs=-1, required=True)
@data_dir_option
def collection_undocs(cid, docs, data_dir):
    """Haal documenten (ids) uit een collectie."""
    from beleidsbank.index import access

    with writing(settings_for(data_dir)) as store:
        _known(store, cid)
        n = store.remove_from_collection(cid, list(docs))
        access.audit(store, access.LOCAL, "collection.undocs", cid, " ".join(docs))
    click.echo(f"{n} document(en) uit {cid} gehaald.")


def _change(cid, open_flag, users, roles, data_dir, grant: bool) -> None:
    from beleidsbank.index import access

    if not open_flag and not _names(users) and not _names(roles):
        fail("geef --users, --roles of --open.")
    with writing(settings_for(data_dir)) as store:
        _known(store, cid)
        pairs = _grants(store, users, "") + [("role", checked(access.check_role, r)) for r in _names(roles)]
        for kind, principal in pairs:
            (store.grant if grant else store.revoke)(cid, kind, principal)
        if open_flag:
            store.update_collection(cid, open_to_all=grant)
        now = store.collection(cid)
        how = _describe([("user", u) for u in now.users] + [("role", r) for r in now.roles], now.open_to_all)
        detail = ", ".join(f"{k} {p}" for k, p in pairs) + (" open" if open_flag else "")
        access.audit(store, access.LOCAL, "collection.grant" if grant else "collection.revoke", cid, detail.strip())
    click.echo(f"collectie {cid}: {how}")


@collection.command("grant")
@click.argument("cid", metavar="ID")
@click.option("--open", "open_flag", is_flag=True, help="Zet de collectie open voor iedereen.")
@users_option
@roles_option
@data_dir_option
def collection_grant(cid, open_flag, users, roles, data_dir):
    """Geef gebruikers of rollen toegang tot een collectie (of zet hem open)."""
    _change(cid, open_flag, users, roles, data_dir, grant=True)


@collection.command("revoke")
@click.argument("cid", metavar="ID")
@click.option("--open", "open_flag", is_flag=True, help="Zet de collectie niet langer open voor iedereen.")
@users_option
@roles_option
@data_dir_option
def collection_revoke(cid, open_flag, users, roles, data_dir):
    """Neem gebruikers of rollen de toegang tot een collectie af (of sluit hem)."""
    _change(cid, open_flag, users, roles, data_dir, grant=False)


@collection.command("remove")
@click.argument("cid", metavar="ID")
@data_dir_option
def collection_remove(cid, data_dir):
    """Verwijder een collectie (de documenten blijven; wat alleen in deze collectie zat, ziet daarna iedereen)."""
    from beleidsbank.index import access

    with writing(settings_for(data_dir)) as store:
        _known(store, cid)
        store.delete_collection(cid)
        access.audit(store, access.LOCAL, "collection.remove", cid)
    click.echo(f"collectie verwijderd: {cid}")


@collection.command("list")
@json_option
@data_dir_option
def collection_list(as_json, data_dir):
    """Toon de collecties met hun documenten en wie ze mag zien."""
    with reading(settings_for(data_dir), "[]" if as_json else "Er zijn nog geen collecties.") as store:
        found = store.collections()
    if as_json:
        click.echo(json.dumps([c.to_json() for c in found], ensure_ascii=False, indent=2))
        return
    if not found:
        click.echo("Er zijn nog geen collecties.")
    for c in found:
        how = _describe([("user", u) for u in c.users] + [("role", r) for r in c.roles], c.open_to_all)
        click.echo(f"{c.id}: {safe(c.label)} ({how})")
        click.echo(f"  documenten: {', '.join(c.docs) if c.docs else '(geen)'}")
