"""`beleidsbank compare`: the sources compared per theme (shares of their statements, agreement,
gaps, differences), as text, JSON or an exported Word or Excel file."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import click

from beleidsbank.ui import present_compare as pc
from beleidsbank.ui.present import model_unavailable, safe

from .cli_common import data_dir_option, fail, open_store, settings_for

WIDTH = 100


def comparison_json(settings, store, *, top: int, addressee: str | None, visible=None) -> dict:
    """The comparison as JSON; the recommendations not embedded on their own yet are embedded
    first (once: they are kept beside the index), with a note on stderr. Without a model (it
    cannot be loaded or built here) the comparison is made without them: a read command serves."""
    from beleidsbank import answers
    from beleidsbank.index import compare as comparing

    encode = None
    n = comparing.to_embed(store, visible)
    if n:
        from beleidsbank.index.embed import Embedder

        click.echo(pc.embedding_note(n), err=True)
        try:
            encode = Embedder(settings.model, params=settings.embedding).encode_statements
        except Exception as exc:  # no model here (not built, not readable, not found): compare without it
            click.echo(
                safe(f"{pc.ungrouped_note(n)} {model_unavailable(f'{type(exc).__name__}: {exc}'[:300])}"), err=True
            )
    return answers.compare(store, top=top, visible=visible, addressee=addressee, encode=encode, params=settings.advise)


def addressee_label(name: str | None) -> str | None:
    """The actor label of --addressee, or a Dutch error naming the labels."""
    if not name:
        return None
    from beleidsbank.index.addressees import label_of, labels

    label = label_of(name)
    if label is None:
        fail(pc.unknown_addressee(name, list(labels())))
    return label


@click.command()
@data_dir_option
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@click.option(
    "--top", type=click.IntRange(0, 20), default=2, show_default=True, help="Uitspraken per bron en onderdeel."
)
@click.option(
    "--addressee", default=None, help="Alleen aanbevelingen aan deze partij (bv. kabinet, scholen, werkgevers)."
)
@click.option("--theme", "theme_id", type=int, default=None, help="Alleen dit thema (id) in detail.")
@click.option(
    "--export", "export", type=click.Path(dir_okay=False), default=None, help="Schrijf naar een .docx of .xlsx."
)
def compare(data_dir, as_json, top, addressee, theme_id, export):
    """Vergelijk bronnen per thema: aandeel, overeenstemming, leemtes en verschillen, met bronvermelding."""
    settings = settings_for(data_dir)
    label = addressee_label(addressee)
    if export and Path(export).suffix.lower() not in (".docx", ".xlsx"):
        fail(pc.bad_export(export))
    store = open_store(settings)
    result = comparison_json(settings, store, top=max(top, 1) if export else top, addressee=label)
    if export:
        _export(result, export)
        return
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    _print_matrix(result)
    for th in result["themes"]:
        if theme_id is None or th["id"] == theme_id:
            _print_theme(th, result, top)


def _export(result: dict, name: str) -> None:
    from beleidsbank.ui import export_compare

    data = export_compare.to_docx(result) if name.lower().endswith(".docx") else export_compare.to_xlsx(result)
    try:
        Path(name).write_bytes(data)
    except OSError as exc:
        fail(pc.export_failed(name, exc))
    click.echo(safe(f"{name}: {len(result['themes'])} thema's, {len(result['documents'])} bronnen."))


def _short(result: dict) -> dict[str, str]:
    return {s["id"]: s.get("short") or s["id"] for s in result["sources"]}


def _print_matrix(result: dict) -> None:
    short = _short(result)
    docs = result["documents"]
    click.echo(safe(pc.matrix_heading(len(result["themes"]), len(docs), result.get("addressee"))))
    if result.get("ungrouped"):
        click.echo(pc.ungrouped_note(result["ungrouped"]))
    click.echo()
    click.echo(f"{'id':>3} {'thema':<38}" + "".join(f"{safe(short[d])[:15]:>17}" for d in docs))
    for th in result["themes"]:
        cells = "".join(f"{pc.cell(th['per_source'][d]):>17}" for d in docs)
        tid = "" if th["id"] is None else str(th["id"])
        click.echo(f"{tid:>3} {safe(pc.theme_label(th['label'], th.get('parent')))[:37]:<38}{cells}")


def _line(text: str, indent: str) -> None:
    click.echo(
        textwrap.fill(safe(" ".join(text.split())), WIDTH, initial_indent=indent, subsequent_indent=indent + "  ")
    )


def _cited(item: dict, short: dict, indent: str = "    - ") -> None:
    who = pc.addressed(item)
    _line(f"{pc.cite(item, short)}: {item['text']}" + (f" [{who}]" if who else ""), indent)


def _print_theme(th: dict, result: dict, top: int) -> None:
    short = _short(result)
    click.echo()
    click.echo(click.style(safe(f"== {pc.theme_label(th['label'], th.get('parent'))}"), bold=True))
    if th.get("description"):
        _line(th["description"], "   ")
    click.echo(f"  {pc.PARTS['agreements']} ({len(th['agreements'])}):")
    for a in th["agreements"][: top or None]:
        click.echo(f"   {pc.agreement_heading(a['id'], len(a['sources']))}")
        for item in a["statements"]:
            _cited(item, short)
    click.echo(f"  {pc.PARTS['gaps']} ({len(th['gaps'])}):")
    for g in th["gaps"][: top or None]:
        if g["kind"] == "silent_source":
            _line(pc.silent(short.get(g["doc_id"], g["doc_id"]), [short.get(o, o) for o in g["others"]]), "   ")
        else:
            _line(pc.unaddressed(short.get(g["doc_id"], g["doc_id"])), "   ")
            for item in g["statements"]:
                _cited(item, short)
    click.echo(f"  {pc.PARTS['differences']} ({len(th['differences'])}):")
    for x in th["differences"][: top or None]:
        _line(pc.difference_heading(x["kind"], len(x["sources"]), x["cues"]), "   ")
        _cited(x["problem"], short, "    probleem: ")
        for item in x["statements"]:
            _cited(item, short)
