"""`beleidsbank find`: every passage that holds an expression (complete word search, index/find.py).

Exit status: 0 (also when nothing matches), 1 when the index cannot be read or a filter is
wrong, 2 when the expression cannot be read (a Dutch message says why).
"""

from __future__ import annotations

import json
import sys
import textwrap

import click

from beleidsbank.ui.present import (
    FIND_SYNTAX_HELP,
    find_per_document,
    find_summary,
    hit_citation,
    no_mention_in,
    safe,
    safe_name,
)

from .cli_common import check_filters, data_dir_option, filter_options, open_store, settings_for, usable_text

EXIT_EXPRESSION = 2


def _bad_expression(message: str) -> None:
    click.echo(f"Fout: {message}", err=True)
    sys.exit(EXIT_EXPRESSION)


@click.command(
    "find",
    help="Vind elke passage met een woord, zinsnede of combinatie: alle treffers, geen selectie, "
    "met het aantal per document en de documenten zonder vermelding.\n\n" + FIND_SYNTAX_HELP,
)
@click.argument("expression")
@data_dir_option
@filter_options(kinds=True)
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
def find_cmd(expression, data_dir, doc, publisher, year, kind, as_json):
    from beleidsbank.index.find import find
    from beleidsbank.index.find_query import FindQueryError, parse

    from . import answers

    try:
        parse(usable_text(expression, "De zoekopdracht"))  # a bad expression fails before the index is read
    except click.BadParameter as exc:
        _bad_expression(exc.message)
    except FindQueryError as exc:
        _bad_expression(str(exc))
    check_filters(doc=doc, publisher=publisher, year=year)
    store = open_store(settings_for(data_dir))
    filters = dict(
        doc=list(doc) or None, publisher=list(publisher) or None, year=list(year) or None, kind=list(kind) or None
    )
    try:
        if as_json:
            click.echo(json.dumps(answers.find(store, expression, **filters), ensure_ascii=False, indent=1))
            return
        result = find(store, expression, **filters)
    finally:
        store.close()
    _print(result, sys.stdout.isatty())


def _print(result, color: bool) -> None:
    """The count, the count per document, the documents without a match, then every hit."""
    click.echo(find_summary(result.total, result.occurrences, len(result.per_document), result.seconds))
    for doc_id, n in result.per_document.items():
        click.echo("  " + safe_name(find_per_document(doc_id, n)))
    if result.documents_without:
        click.echo(safe_name(no_mention_in(result.documents_without)))
    for n, hit in enumerate(result.hits, start=1):
        click.echo()
        click.echo(click.style(f"{n:>3}. ", bold=True) + safe_name(hit_citation(hit.passage)))
        snippet = safe(hit.snippet())
        if color:
            snippet = snippet.replace("»", "\x1b[1;4m").replace("«", "\x1b[0m")
        for para in snippet.split("\n"):
            click.echo(textwrap.fill(para, width=100, initial_indent="     ", subsequent_indent="     "))
