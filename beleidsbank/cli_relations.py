"""`beleidsbank statements`, `links` and `compare`: the recommendations and problems of the
index, the links between them and the source x theme comparison, as text or JSON."""

from __future__ import annotations

import json

import click

from beleidsbank.ui.present import evidence_parts, safe, scope_label

from . import answers
from .cli_common import data_dir_option, open_store, settings_for
from .cli_compare import compare as compare  # the command lives in its own module


def _stmt_line(s) -> str:
    section = f", § {s.section}" if s.section else ""
    return f"[{s.kind}, {s.confidence:.2f}] {s.doc_id} p. {s.page_label}{section}: {safe(s.text)}"


@click.command()
@data_dir_option
@click.option("--doc", default=None, help="Alleen dit document (id).")
@click.option("--kind", type=click.Choice(["recommendation", "problem", "other"]), default=None)
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
def statements(data_dir, doc, kind, as_json):
    """Toon de uitspraken (aanbevelingen, problemen) met hun vindplaats en de aanwijzing die besliste."""
    store = open_store(settings_for(data_dir))
    if as_json:
        click.echo(json.dumps(answers.statements(store, doc=doc, kind=kind), ensure_ascii=False, indent=1))
        return
    found = store.statements(doc=doc, kind=kind)
    if not found:
        click.echo("Geen uitspraken gevonden.")
    for s in found:
        click.echo(_stmt_line(s) + (f"  ({safe(s.cue)})" if s.cue else ""))


@click.command()
@data_dir_option
@click.option("--doc", default=None, help="Alleen aanbevelingen uit dit document (id).")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
def links(data_dir, doc, as_json):
    """Toon per aanbeveling de problemen die zij aanpakt, met score en bewijs."""
    store = open_store(settings_for(data_dir))
    if as_json:
        click.echo(json.dumps(answers.links(store, doc=doc), ensure_ascii=False, indent=1))
        return
    found = store.links_for(doc=doc)
    for rec in found:
        click.echo(click.style("AANBEVELING ", bold=True) + _stmt_line(rec.recommendation))
        if not rec.problems:
            click.echo("    (geen gekoppelde problemen boven de drempel)")
        for p in rec.problems:
            why = ", ".join(evidence_parts(p.evidence))
            click.echo(
                f"    {p.rank}. [{p.score:.2f}, {scope_label(p.scope)}] {p.problem.doc_id} "
                f"p. {p.problem.page_label}: {safe(p.problem.text)[:200]}\n       ({safe(why)})"
            )
        click.echo()
