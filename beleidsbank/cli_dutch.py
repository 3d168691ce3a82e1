"""click's own texts in Dutch (ui/present_click.py), for every command of the CLI.

click looks its texts up through gettext, bound in each of its modules as `_` and `ngettext`;
those names are pointed at the Dutch table. Installed once, when the CLI is imported, before any
option or type is built (a path type takes its "file" or "directory" when it is made)."""

from __future__ import annotations

import importlib

from beleidsbank.ui.present_click import CLICK_PLURALS, CLICK_TEXTS, OPTIONS_METAVAR, SUBCOMMAND_METAVAR

_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils")


def dutch(message: str) -> str:
    return CLICK_TEXTS.get(message, message)


def dutch_plural(singular: str, plural: str, n: int) -> str:
    one, many = CLICK_PLURALS.get((singular, plural), (singular, plural))
    return one if n == 1 else many


def install() -> None:
    for name in _MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:
            continue
        if hasattr(module, "_"):
            module._ = dutch
        if hasattr(module, "ngettext"):
            module.ngettext = dutch_plural


def dutch_usage(command) -> None:
    """The usage line's placeholders of `command` and, for a group, of every command in it."""
    command.options_metavar = OPTIONS_METAVAR
    if hasattr(command, "subcommand_metavar"):
        command.subcommand_metavar = SUBCOMMAND_METAVAR
    for sub in getattr(command, "commands", {}).values():
        dutch_usage(sub)
