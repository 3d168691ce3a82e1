"""`beleidsbank user add|list|remove|passwd|role|token` (accounts), `beleidsbank audit` (the audit
log), and what the collection commands (cli_collections.py) share with them: a store opened for
one write, and the audit line of a command-line action.

The rules (hashing, roles, who sees what) are in index/access.py. Everything a command here
changes is written to the audit log under the local system user ("lokaal:NAME").
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager

import click

from beleidsbank.ui.present import safe

from .cli_common import data_dir_option, fail, settings_for
from .settings import Settings

ROLE_CHOICE = click.Choice(["reader", "editor", "admin"])
json_option = click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")


@contextmanager
def writing(settings: Settings) -> Iterator:
    """The store (created when there is none yet) inside one write transaction; a Dutch message
    and exit status 1 for an access rule broken or a store that cannot be written."""
    from beleidsbank.index.access import AccessError
    from beleidsbank.index.store import Store, StoreError

    try:
        store = Store.create(settings.data_dir, wait=settings.lock_wait)
    except StoreError as exc:
        fail(str(exc))
    try:
        with store.write(settings.lock_wait):
            yield store
    except (AccessError, StoreError) as exc:
        fail(str(exc))
    finally:
        store.close()


@contextmanager
def reading(settings: Settings, empty_message: str) -> Iterator:
    """The store for reading; without a store the command says `empty_message` and stops (status 0)."""
    from beleidsbank.index.store import NoIndexError, Store, StoreError

    try:
        store = Store.open(settings.data_dir)
    except NoIndexError:
        click.echo(empty_message)
        sys.exit(0)
    except StoreError as exc:
        fail(str(exc))
    try:
        yield store
    finally:
        store.close()


def record(settings: Settings, action: str, targets, detail: str = "cli") -> None:
    """The audit lines of a command-line action that has been done (ingest, remove, correct,
    review): one per target. A log that cannot be written is a warning, not an error: the
    action itself stands."""
    from beleidsbank.index import access
    from beleidsbank.index.store import Store, StoreError

    targets = list(targets)
    if not targets:
        return
    try:
        store = Store.open(settings.data_dir, write=True, wait=settings.lock_wait)
        try:
            with store.write(settings.lock_wait):
                for target in targets:
                    access.audit(store, access.LOCAL, action, target, detail)
        finally:
            store.close()
    except StoreError as exc:
        click.echo(f"waarschuwing: het auditlogboek kon niet worden bijgewerkt: {safe(str(exc))}", err=True)


def checked(check, value: str) -> str:
    """`value` passed through an access.check_* function; its Dutch message ends the command."""
    from beleidsbank.index.access import AccessError

    try:
        return check(value)
    except AccessError as exc:
        fail(str(exc))


def read_password(password_stdin: bool) -> str:
    """A new password: one line from stdin, or asked twice without echo."""
    from beleidsbank.index.access import check_password

    if password_stdin:
        line = sys.stdin.readline()
        if not line:
            fail("geen wachtwoord op stdin.")
        password = line.rstrip("\r\n")
    else:
        if sys.stdin.isatty():
            password = click.prompt("Wachtwoord", hide_input=True, err=True)
            again = click.prompt("Herhaal het wachtwoord", hide_input=True, err=True)
        else:  # piped: two lines, without prompts or warnings about echo
            password, again = (sys.stdin.readline().rstrip("\r\n") for _ in range(2))
        if password != again:
            fail("de twee wachtwoorden verschillen; er is niets gewijzigd.")
    return checked(check_password, password)


password_option = click.option(
    "--password-stdin", is_flag=True, help="Lees het wachtwoord als één regel van stdin (voor scripts)."
)


@click.group("user")
def user() -> None:
    """Beheer accounts: lezers (reader) zoeken en exporteren, redacteuren (editor) voegen ook
    toe, corrigeren en beoordelen, beheerders (admin) beheren ook accounts en collecties."""


@user.command("add")
@click.argument("name")
@click.option("--role", type=ROLE_CHOICE, required=True, help="reader, editor of admin.")
@password_option
@data_dir_option
def user_add(name, role, password_stdin, data_dir):
    """Maak een account aan; het wachtwoord wordt twee keer gevraagd (of van stdin gelezen)."""
    from beleidsbank.index import access

    settings = settings_for(data_dir)
    name = checked(access.check_name, name)
    password_hash = access.hash_password(read_password(password_stdin), settings.access)
    with writing(settings) as store:
        if not store.add_user(name, role, password_hash, access.now_iso()):
            fail(f"er is al een gebruiker '{name}'; kies een andere naam (of beleidsbank user passwd).")
        access.audit(store, access.LOCAL, "user.add", name, role)
    click.echo(f"gebruiker toegevoegd: {name} ({role})")


@user.command("list")
@json_option
@data_dir_option
def user_list(as_json, data_dir):
    """Toon de accounts met hun rol."""
    settings = settings_for(data_dir)
    with reading(settings, "[]" if as_json else "Er zijn nog geen accounts.") as store:
        rows = [dict(u.to_json(), tokens=store.token_count(u.name)) for u in store.users()]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo("Er zijn nog geen accounts.")
    for r in rows:
        click.echo(f"{r['name']:<24} {r['role']:<7} sinds {r['created'][:10]}  API-tokens: {r['tokens']}")


@user.command("remove")
@click.argument("name")
@data_dir_option
def user_remove(name, data_dir):
    """Verwijder een account met zijn tokens, sessies en toegang tot collecties."""
    from beleidsbank.index import access

    with writing(settings_for(data_dir)) as store:
        if not store.delete_user(name):
            fail(f"er is geen gebruiker '{safe(name)}'.")
        access.audit(store, access.LOCAL, "user.remove", name)
    click.echo(f"gebruiker verwijderd: {name}")


@user.command("passwd")
@click.argument("name")
@password_option
@data_dir_option
def user_passwd(name, password_stdin, data_dir):
    """Geef een account een nieuw wachtwoord (zijn sessies in de app eindigen)."""
    from beleidsbank.index import access

    settings = settings_for(data_dir)
    if not _exists(settings, name):  # before the password is asked
        fail(f"er is geen gebruiker '{safe(name)}'.")
    password_hash = access.hash_password(read_password(password_stdin), settings.access)
    with writing(settings) as store:
        if not store.set_password(name, password_hash):
            fail(f"er is geen gebruiker '{safe(name)}'.")
        access.audit(store, access.LOCAL, "user.passwd", name)
    click.echo(f"wachtwoord gewijzigd: {name}")


def _exists(settings: Settings, name: str) -> bool:
    from beleidsbank.index.store import NoIndexError, Store, StoreError

    try:
        store = Store.open(settings.data_dir)
    except NoIndexError:
        return False
    except StoreError as exc:
        fail(str(exc))
    try:
        return store.user(name) is not None
    finally:
        store.close()


@user.command("role")
@click.argument("name")
@click.argument("role", type=ROLE_CHOICE)
@data_dir_option
def user_role(name, role, data_dir):
    """Geef een account een andere rol."""
    from beleidsbank.index import access

    with writing(settings_for(data_dir)) as store:
        if not store.set_role(name, role):
            fail(f"er is geen gebruiker '{safe(name)}'.")
        access.audit(store, access.LOCAL, "user.role", name, role)
    click.echo(f"rol gewijzigd: {name} ({role})")


@user.command("token")
@click.argument("name")
@click.option("--revoke", is_flag=True, help="Trek alle API-tokens van deze gebruiker in (en maak geen nieuw).")
@data_dir_option
def user_token(name, revoke, data_dir):
    """Maak een nieuw API-token (Authorization: Bearer TOKEN); het wordt één keer getoond."""
    from beleidsbank.index import access

    with writing(settings_for(data_dir)) as store:
        if store.user(name) is None:
            fail(f"er is geen gebruiker '{safe(name)}'.")
        if revoke:
            n = store.delete_tokens(name)
            access.audit(store, access.LOCAL, "user.token.revoke", name, str(n))
        else:
            token = access.new_token(store, name)
            access.audit(store, access.LOCAL, "user.token", name)
    if revoke:
        click.echo(f"{n} API-token(s) ingetrokken voor {name}.")
        return
    click.echo(token)
    click.echo("Bewaar dit token: het wordt niet nog eens getoond.", err=True)


@click.command("audit")
@json_option
@click.option("--limit", type=click.IntRange(1, 1_000_000), default=50, show_default=True, help="De laatste N regels.")
@data_dir_option
def audit_cmd(as_json, limit, data_dir):
    """Toon het auditlogboek: wie wat heeft toegevoegd, verwijderd, gecorrigeerd of beoordeeld."""
    settings = settings_for(data_dir)
    with reading(settings, "[]" if as_json else "Het auditlogboek is leeg.") as store:
        entries = store.audit_entries(limit)
    if as_json:
        click.echo(json.dumps([e.to_json() for e in entries], ensure_ascii=False, indent=2))
        return
    if not entries:
        click.echo("Het auditlogboek is leeg.")
    for e in entries:
        detail = f"  ({safe(e.detail)})" if e.detail else ""
        click.echo(f"{e.at}  {safe(e.user):<20} {e.action:<18} {safe(e.target)}{detail}")
