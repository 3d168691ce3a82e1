"""`beleidsbank documents`, `passages` and `meta`: the documents of the index with their notes on
poor pages, every passage with its citation fields, and corrections of a document's metadata."""

from __future__ import annotations

import json
import textwrap

import click

from beleidsbank.ui.present import (
    META_LABELS,
    meta_changes,
    parse_year,
    passage_citation,
    quality_label,
    safe,
    unknown_document,
)

from . import answers
from .answers import document_warnings
from .cli_common import data_dir_option, fail, open_store, settings_for
from .cli_users import record


@click.command()
@data_dir_option
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
def documents(data_dir, as_json):
    """Toon de documenten in de index, met de pagina's waarvan de tekst matig of slecht leesbaar is."""
    store = open_store(settings_for(data_dir))
    if as_json:
        click.echo(json.dumps(answers.documents(store), ensure_ascii=False, indent=1))
        return
    docs = store.documents()
    counts = store.passage_counts()
    if not docs:
        click.echo("De index is leeg.")
    for d in docs:
        click.echo(
            f"{d.id:<28} {d.year or '----'}  {d.n_pages:>4} p.  {counts.get(d.id, 0):>5} passages  {safe(d.short)}"
        )
        for w in document_warnings(store, d.id):
            click.echo(f"    let op: {safe(w)}")


@click.command()
@data_dir_option
@click.option("--doc", default=None, help="Alleen dit document (id).")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON (één lijst).")
def passages(data_dir, doc, as_json):
    """Toon alle passages met hun vindplaats (pagina, sectie), of ze met OCR zijn gelezen, en hun tekst."""
    store = open_store(settings_for(data_dir))
    if doc is not None and store.document(doc) is None:
        fail(unknown_document(doc))
    doc_ids = [doc] if doc is not None else [d.id for d in store.documents()]
    if as_json:  # one list, written a document at a time: a large index is never held whole
        click.echo("[", nl=False)
        first = True
        for row in answers.passages(store, doc):
            click.echo(("\n" if first else ",\n") + json.dumps(row, ensure_ascii=False), nl=False)
            first = False
        click.echo("\n]")
        return
    if not doc_ids:
        click.echo("De index is leeg.")
    for doc_id in doc_ids:
        for p in store.document_passages(doc_id):
            quality = f", {quality_label(p.quality)}" if p.quality != "goed" else ""
            click.echo(click.style(safe(passage_citation(p)), bold=True) + f" [{p.kind}{quality}]")
            for para in safe(p.text).split("\n"):
                click.echo(textwrap.fill(para, width=100, initial_indent="    ", subsequent_indent="    "))
            click.echo()


@click.command()
@click.argument("doc_id")
@data_dir_option
@click.option("--title", default=None, help="De juiste titel.")
@click.option("--year", default=None, help="Het juiste jaar (vier cijfers).")
@click.option("--publisher", default=None, help="De juiste uitgever.")
@click.option("--kind", default=None, help="De juiste soort document (bijvoorbeeld rapport, advies).")
def meta(doc_id, data_dir, title, year, publisher, kind):
    """Corrigeer de gegevens van een document; de correctie blijft gelden als het opnieuw wordt ingelezen."""
    from beleidsbank.index.store import StoreError
    from beleidsbank.ingest.pipeline import correct_meta

    if title is None and year is None and publisher is None and kind is None:
        fail("geef ten minste één van --title, --year, --publisher of --kind.")
    fields = {"title": title, "publisher": publisher, "kind": kind}
    for name, value in fields.items():
        if value is not None and not value.strip():
            fail(f"de {META_LABELS[name]} mag niet leeg zijn.")
    fields = {k: " ".join(v.split()) if v is not None else None for k, v in fields.items()}
    try:
        fields["year"] = parse_year(year)
    except ValueError as exc:
        fail(str(exc))
    settings = settings_for(data_dir)
    store = open_store(settings)
    old = store.document(doc_id)
    store.close()
    if old is None:
        fail(unknown_document(doc_id))
    try:
        new = correct_meta(doc_id, settings.data_dir, **fields)
    except StoreError as exc:
        fail(str(exc))
    if new is None:  # removed meanwhile
        fail(unknown_document(doc_id))
    record(settings, "correct", [doc_id], meta_changes(old, new))
    click.echo(f"gecorrigeerd: {doc_id} ({safe(meta_changes(old, new))})")
