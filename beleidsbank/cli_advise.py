"""`beleidsbank advise`: what the sources advise on a question, per source, with the problems
each recommendation addresses (or, for a problem question, the recommendations per problem)."""

from __future__ import annotations

import json
import sys
import textwrap

import click

from beleidsbank.ui.present import (
    NO_YEAR,
    advice_heading,
    list_item,
    nothing_found_in,
    safe,
    same_statement_label,
    statement_citation,
)

from .cli_common import data_dir_option, fail, filter_options, model_option, query_items, settings_for
from .cli_compare import addressee_label


@click.command(name="advise")
@click.argument("query", required=False)
@data_dir_option
@model_option
@click.option("--top-k", "-k", type=click.IntRange(1, 100), default=10, show_default=True)
@filter_options(kinds=False)
@click.option(
    "--intent",
    type=click.Choice(["advice", "problem"]),
    default=None,
    help="Vraag naar aanbevelingen of knelpunten (standaard: uit de vraag afgeleid).",
)
@click.option("--addressee", default=None, help="Alleen aanbevelingen aan deze partij (bv. kabinet, scholen).")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@click.option(
    "--queries",
    type=click.Path(exists=True, dir_okay=False),
    help='JSONL-bestand met regels {"id", "query"}: één JSON-regel per vraag.',
)
def advise(query, data_dir, model, top_k, doc, publisher, year, intent, addressee, as_json, queries):
    """Wat adviseren de bronnen over een onderwerp? Aanbevelingen per bron, met bronvermelding."""
    from beleidsbank.index.advise import advise as run_advise
    from beleidsbank.index.search import QueryError, Searcher
    from beleidsbank.index.store import StoreError

    from . import answers

    items = query_items(query, queries, "vraag", "De vraag", dict(doc=doc, publisher=publisher, year=year))
    settings = settings_for(data_dir, model)
    try:
        searcher = Searcher(settings.data_dir, settings.model, params=settings.search, embedding=settings.embedding)
    except StoreError as exc:
        fail(str(exc))
    filters = dict(doc=list(doc) or None, publisher=list(publisher) or None, year=list(year) or None)
    if addressee:
        filters["addressee"] = addressee_label(addressee)
    for qid, text in items:
        try:
            if as_json:
                payload = answers.advise(
                    searcher, text, settings.advise, top_k=top_k, intent=intent, qid=qid if queries else None, **filters
                )
            else:
                answer = run_advise(searcher, text, top_k=top_k, params=settings.advise, intent=intent, **filters)
        except QueryError as exc:
            if queries and as_json:
                click.echo(json.dumps({"id": qid, "query": text, "error": str(exc)}, ensure_ascii=False))
                continue
            fail(str(exc))
        if as_json:
            click.echo(json.dumps(payload, ensure_ascii=False, indent=None if queries else 1))
        else:
            _print_answer(answer, qid, bool(queries))


def _print_answer(answer, qid, batch: bool) -> None:
    """The answer grouped per source, best source first, with citations and linked statements."""
    color = sys.stdout.isatty()
    if batch:
        click.echo(click.style(f"== {qid}: {safe(answer.query)}", bold=True))
    sources = {i.doc_id for i in answer.items}
    click.echo(safe(advice_heading(answer.kind, len(answer.items), len(sources))))
    group_of = {g.id: g for g in answer.groups}
    by_doc: dict[str, list] = {}
    for item in answer.items:
        by_doc.setdefault(item.doc_id, []).append(item)
    for doc_id, items in by_doc.items():
        first = items[0]
        click.echo()
        click.echo(
            click.style(safe(f"{first.publisher or doc_id} ({first.year or NO_YEAR}), {first.short}"), bold=color)
        )
        for item in items:
            text = safe(" ".join(list_item(item.text).split()))
            click.echo(textwrap.fill(text, 100, initial_indent="  - ", subsequent_indent="    "))
            note = f"    [{safe(_cite(item))}; score {item.score:.2f}]"
            if item.group is not None:
                g = group_of[item.group]
                note += f" {same_statement_label(len(g.sources), item.kind)} (groep {g.id})"
            click.echo(note)
            for other in item.linked:
                label = "pakt aan" if item.kind == "recommendation" else "aangepakt door"
                text = " ".join(other.text.split())
                click.echo(
                    textwrap.fill(
                        safe(f"{label}: {text} [{_cite(other)}]"),
                        100,
                        initial_indent="      · ",
                        subsequent_indent="        ",
                    )
                )
    if answer.sources_without:
        click.echo()
        click.echo(safe(nothing_found_in(answer.sources_without, answer.kind)))
    click.echo()


def _cite(item) -> str:
    return statement_citation(item.short or item.doc_id, item.page_label or str(item.page), item.section)


def eval_advice(settings, items: list[dict], doc_ids: dict[str, str], as_json: bool, output, gold) -> dict:
    """`beleidsbank eval` on an advice gold set: recall@10, nDCG@10, source coverage and the
    precision of sources_without, overall and per language; with --output, a dated section."""
    from pathlib import Path

    from beleidsbank.index.advise import advise as run_advise
    from beleidsbank.index.evaluate_advice import evaluate_advice, format_advice_table
    from beleidsbank.index.search import Searcher
    from beleidsbank.index.store import StoreError

    try:
        searcher = Searcher(settings.data_dir, settings.model, params=settings.search, embedding=settings.embedding)
    except StoreError as exc:
        fail(str(exc))
    result = evaluate_advice(lambda q: run_advise(searcher, q, params=settings.advise).to_json(), items, doc_ids)
    click.echo(json.dumps(result, indent=1) if as_json else format_advice_table(result))
    if output:
        import shlex

        from .report import table, write_section

        cols = ["recall@10", "ndcg@10", "coverage", "coverage_relevant", "without_precision", "without_recall"]
        rows = [
            [name, result[name]["n"]] + [result[name][c] for c in cols]
            for name in ("all", "nl", "en")
            if name in result
        ]
        args = ["beleidsbank", "eval", str(gold), "--data-dir", str(settings.data_dir), "--output", str(output)]
        write_section(output, Path(gold).stem, Path(gold).name, shlex.join(args), table(["subset", "n"] + cols, rows))
    return result
