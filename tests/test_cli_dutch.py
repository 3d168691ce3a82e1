"""click's own usage errors and help texts reach the user in Dutch."""

from __future__ import annotations

import inspect

import click
import pytest
from click.testing import CliRunner

from beleidsbank.cli import main
from beleidsbank.ui.present_click import CLICK_PLURALS, CLICK_TEXTS

ENGLISH = ("Error:", "Invalid value", "is not one of", "No such", "Usage:", "Try '", "Missing", "Got unexpected")


@pytest.mark.parametrize(
    "args, dutch",
    [
        (["search", "--mode", "foo", "x"], "'foo' is geen van 'hybrid', 'dense', 'lexical'"),
        (["user", "add", "x", "--role", "baas"], "Ongeldige waarde voor '--role'"),
        (["serch", "x"], "Onbekende opdracht 'serch'"),
        (["search", "--top-k", "abc", "x"], "'abc' is geen geldig getal"),
        (["search", "--bestaat-niet", "x"], "Onbekende optie '--bestaat-niet'"),
        (["ingest"], "Ontbrekend argument"),
        (["search", "x", "y"], "Onverwacht extra argument"),
        (["search", "--top-k"], "vraagt om een waarde"),
    ],
)
def test_usage_errors_are_dutch(args, dutch):
    res = CliRunner().invoke(main, args)  # each fails in parsing, before anything is opened
    assert res.exit_code == 2
    assert "Fout: " in res.output and dutch in res.output, res.output
    assert not any(word in res.output for word in ENGLISH), res.output


def test_help_is_dutch():
    out = CliRunner().invoke(main, ["user", "--help"], prog_name="beleidsbank").output
    assert out.startswith("Gebruik: beleidsbank user [OPTIES] OPDRACHT [ARGUMENTEN]...")
    assert "Opties:" in out and "Toon deze hulp en stop." in out and "Opdrachten:" in out
    out = CliRunner().invoke(main, ["search", "--help"], prog_name="beleidsbank").output
    assert out.startswith("Gebruik: beleidsbank search [OPTIES]")


def test_every_translated_text_is_one_click_writes():
    """A click release that rewords a text shows here, not as English text for users."""
    source = "".join(
        inspect.getsource(m)
        for m in (click.core, click.decorators, click.exceptions, click.formatting, click.parser, click.types)
    )
    texts = list(CLICK_TEXTS) + [t for pair in CLICK_PLURALS for t in pair]
    missing = [t for t in texts if repr(t).strip("'") not in source and t not in source]
    assert not missing
