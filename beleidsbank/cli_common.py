"""What every command of the command line shares: the common options, reading the settings
once, opening the store for reading, and failing with a Dutch message (exit status 1)."""

from __future__ import annotations

import sys

import click

from .settings import Settings, SettingsError

data_dir_option = click.option(
    "--data-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Datamap voor de index (standaard $BELEIDSBANK_DATA of ~/.local/share/beleidsbank).",
)
model_option = click.option(
    "--model", default=None, help="sentence-transformers-model (naam of map); standaard intfloat/multilingual-e5-small."
)


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
