"""What every command of the command line shares: the common options, reading the settings
once, opening the store for reading, and failing with a Dutch message (exit status 1)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from beleidsbank.ui.present import safe

from .cli_dutch import install as _dutch_click
from .settings import Settings, SettingsError

_dutch_click()  # before any option below is built

data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Datamap voor de index (standaard $BELEIDSBANK_DATA of ~/.local/share/beleidsbank).",
)
model_option = click.option(
    "--model", default=None, help="sentence-transformers-model (naam of map); standaard intfloat/multilingual-e5-small."
)


YEAR = click.IntRange(1000, 2999)  # the type of every --year option
MAX_FILTER_VALUES = 50  # values of one repeated filter option (--doc, --publisher, --year)
MAX_QUERY_CHARS = 100_000  # longer is no query; the searcher itself cuts a query to what the model reads


def usable_text(value, what: str) -> str:
    """A query or name from the command line or a file, or a Dutch error: text that is not
    UTF-8 (the shell hands invalid bytes over as lone surrogates), empty, or very long."""
    if not isinstance(value, str):
        raise click.BadParameter(f"{what} moet tekst zijn.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise click.BadParameter(f"{what} bevat tekens die geen geldige UTF-8 zijn.") from None
    if not value.strip():
        raise click.BadParameter(f"{what} is leeg.")
    if len(value) > MAX_QUERY_CHARS:
        raise click.BadParameter(f"{what} is langer dan {MAX_QUERY_CHARS} tekens.")
    return value


def check_filters(**filters) -> None:
    """At most MAX_FILTER_VALUES values per repeated filter option, each usable text."""
    for name, values in filters.items():
        if len(values) > MAX_FILTER_VALUES:
            fail(f"--{name} is {len(values)} keer gegeven; het maximum is {MAX_FILTER_VALUES}.")
        for v in values:
            if isinstance(v, str):
                try:
                    usable_text(v, f"--{name}")
                except click.BadParameter as exc:
                    fail(exc.message)


def fail(message: str) -> None:
    click.echo(f"Fout: {message}", err=True)
    sys.exit(1)


def settings_for(data_dir=None, model=None) -> Settings:
    """The settings of this command, read once at its start: the environment, with --data-dir
    and --model over their variables."""
    try:
        return Settings.from_env(data_dir=data_dir, model=model)
    except SettingsError as exc:
        fail(str(exc))


def open_store(settings: Settings):
    """The store for reading; a missing index ends the command with the store's Dutch message."""
    from beleidsbank.index.store import Store, StoreError

    try:
        return Store.open(settings.data_dir)
    except StoreError as exc:
        fail(str(exc))


def filter_options(kinds: bool):
    """The filter options of the search commands: --doc, --publisher, --year and, with `kinds`,
    --kind (each repeatable)."""

    def add(command):
        if kinds:
            command = click.option(
                "--kind",
                multiple=True,
                type=click.Choice(["recommendation", "problem"]),
                help="Alleen passages met een aanbeveling of probleem; herhaalbaar.",
            )(command)
        command = click.option("--year", multiple=True, type=YEAR, help="Alleen dit jaar; herhaalbaar.")(command)
        command = click.option(
            "--publisher", multiple=True, help="Alleen deze uitgever (deel van de naam); herhaalbaar."
        )(command)
        return click.option("--doc", multiple=True, help="Alleen dit document (id); herhaalbaar.")(command)

    return add


def read_queries(path) -> list[tuple[str, str]]:
    """(id, query) of each line of a JSONL query file; a bad line ends the command."""
    name = safe(Path(path).name)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except OSError as exc:
        fail(f"{name} kan niet worden gelezen ({exc.strerror}).")
    except UnicodeDecodeError:
        fail(f"{name} is geen UTF-8-tekst; sla het vragenbestand op als UTF-8.")
    items = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            qid = item.get("id", str(n))
            if isinstance(qid, bool) or not isinstance(qid, (str, int)):
                raise click.BadParameter('"id" moet tekst of een getal zijn.')
            items.append((usable_text(str(qid), '"id"'), usable_text(item["query"], '"query"')))
        except click.BadParameter as exc:
            fail(f"{name}, regel {n}: {exc.message}")
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            fail(f'{name}, regel {n}: verwacht een JSON-object met "id" en "query".')
    if not items:
        fail(f"{name} bevat geen vragen.")
    return items


def query_items(query: str | None, queries, noun: str, what: str, filters: dict) -> list[tuple[str | None, str]]:
    """The (id, text) questions of a command that takes one QUERY or a --queries file, with its
    `filters` checked: a missing, unusable or empty question, or a filter given too often, ends
    the command with a Dutch message (`noun`: "zoekvraag", `what`: how it names the argument)."""
    if not query and not queries:
        fail(f"geef een {noun} of --queries BESTAND.")
    check_filters(**filters)
    if query:
        try:
            usable_text(query, what)
        except click.BadParameter as exc:
            fail(exc.message)
    return read_queries(queries) if queries else [(None, query)]


def accounts_exist(settings) -> bool:
    """Whether the data dir holds accounts (then the app asks for a login and the API for a
    token); no index: none."""
    from beleidsbank.index import access
    from beleidsbank.index.store import Store, StoreError

    try:
        store = Store.open(settings.data_dir)
    except StoreError:
        return False
    try:
        return access.accounts_exist(store)
    finally:
        store.close()
