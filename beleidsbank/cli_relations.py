"""`beleidsbank statements`, `links` and `compare`: the recommendations and problems of the
index, the links between them and the source x theme comparison, as text or JSON."""

from __future__ import annotations

import json

import click

from beleidsbank.ui.present import evidence_parts, kind_label, safe, scope_label

from .cli_common import data_dir_option, open_store, settings_for


def _stmt_line(s) -> str:
    section = f", § {s.section}" if s.section else ""
    return f"[{s.kind}, {s.confidence:.2f}] {s.doc_id} p. {s.page_label}{section}: {safe(s.text)}"


STATEMENT_JSON = (
    "id",
    "doc_id",
    "page",
    "page_label",
    "section",
    "section_path",
    "passage_id",
    "kind",
    "confidence",
    "cue",
    "unit",
    "text",
    "theme",
    "theme_label",
)


def statement_json(s) -> dict:
    """A statement in the stable JSON shape of `statements --json` and `links --json`."""
    return {k: getattr(s, k) for k in STATEMENT_JSON}


@click.command()
@data_dir_option
@click.option("--doc", default=None, help="Alleen dit document (id).")
@click.option("--kind", type=click.Choice(["recommendation", "problem", "other"]), default=None)
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
def statements(data_dir, doc, kind, as_json):
    """Toon de uitspraken (aanbevelingen, problemen) met hun vindplaats en de aanwijzing die besliste."""
    found = open_store(settings_for(data_dir)).statements(doc=doc, kind=kind)
    if as_json:
        click.echo(json.dumps([statement_json(s) for s in found], ensure_ascii=False, indent=1))
        return
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
    found = open_store(settings_for(data_dir)).links_for(doc=doc)
    if as_json:
        out = [
            {
                "recommendation": statement_json(rec.recommendation),
                "problems": [
                    dict(
                        statement_json(p.problem),
                        score=p.score,
                        rank=p.rank,
                        scope=p.scope,
                        evidence=p.evidence.to_json(),
                    )
                    for p in rec.problems
                ],
            }
            for rec in found
        ]
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
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


@click.command()
@data_dir_option
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@click.option("--top", type=click.IntRange(0, 20), default=2, show_default=True, help="Sterkste uitspraken per cel.")
def compare(data_dir, as_json, top):
    """Vergelijk bronnen per thema: aantallen aanbevelingen/problemen en de sterkste uitspraken."""
    from beleidsbank.index import relations

    store = open_store(settings_for(data_dir))
    result = relations.compare(store, top=top).to_json()
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    docs = result["documents"]
    short = {d.id: d.short for d in store.documents()}
    click.echo(f"{'thema':<44}" + "".join(f"{short.get(d, d)[:14]:>16}" for d in docs))
    click.echo(f"{'':<44}" + "".join(f"{'aanb./probl.':>16}" for _ in docs))
    for th in result["themes"]:
        cells = "".join(
            f"{str(th['cells'][d]['recommendations']) + ' / ' + str(th['cells'][d]['problems']):>16}" for d in docs
        )
        click.echo(f"{safe(th['label'])[:43]:<44}{cells}")
    if top:
        for th in result["themes"]:
            click.echo(click.style(f"\n== {safe(th['label'])}", bold=True))
            for d in docs:
                for st in th["cells"][d]["top"]:
                    kind = kind_label(st["kind"])
                    click.echo(
                        f"  {short.get(d, d)[:20]:<20} {kind:<11} p. {st['page_label']}: {safe(st['text'])[:150]}"
                    )
