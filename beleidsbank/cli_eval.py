"""`beleidsbank eval`: the figures of a gold set (queries, statements or links), printed and,
with --output, written as a dated section of a markdown file in docs/."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import click

from beleidsbank.ui.present import safe

from .cli_advise import eval_advice
from .cli_common import data_dir_option, fail, model_option, open_store, settings_for
from .settings import repo_corpus


@click.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@data_dir_option
@model_option
@click.option(
    "--mode",
    "modes",
    multiple=True,
    type=click.Choice(["hybrid", "dense", "lexical"]),
    help="Alleen deze modus; herhaalbaar (standaard alle drie).",
)
@click.option(
    "--manifest",
    type=click.Path(exists=True, dir_okay=False),
    default=None,
    help="manifest.toml die bronbestanden aan document-ids koppelt (standaard corpus/manifest.toml).",
)
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON, met scores per vraag.")
@click.option(
    "--sample",
    type=int,
    default=0,
    help="Bij aanbevelingen/problemen: zoveel willekeurige gelabelde uitspraken om met de hand te beoordelen.",
)
@click.option("--seed", type=int, default=7, help="Startwaarde voor --sample.")
@click.option("--no-rerank", is_flag=True, help="Zonder de geleerde herordening van zoekresultaten (ook in advies).")
@click.option(
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Schrijf de cijfers ook als gedateerde sectie in dit markdown-bestand (bijv. docs/evaluation.md); "
    "de sectie van dezelfde gouden set wordt vervangen, de rest blijft staan.",
)
def eval_cmd(gold, data_dir, model, modes, manifest, as_json, sample, seed, output, no_rerank):
    """Meet de kwaliteit op een gouden set: zoekvragen, aanbevelingen/problemen, koppelingen of
    echte PDF's (de PDF's naast die gold.jsonl worden ingelezen, in --data-dir of tijdelijk)."""
    from beleidsbank.index.evaluate import evaluate, format_table, gold_kind, source_map
    from beleidsbank.index.search import Searcher
    from beleidsbank.index.store import StoreError

    settings = without_rerank(settings_for(data_dir, model), no_rerank)
    items = _read_gold(Path(gold))
    doc_ids = source_map(Path(manifest) if manifest else repo_corpus() / "manifest.toml")
    kind = gold_kind(items)
    if kind == "advice":
        return eval_advice(settings, items, doc_ids, as_json, output, gold)
    if kind != "queries":  # real PDFs, statements (recommendations or problems) or links
        if kind == "real_pdfs":
            result = _eval_real_pdfs(gold, items, settings, data_dir is not None, as_json)
        else:
            result = _eval_statements(open_store(settings), items, gold, kind, doc_ids, as_json, sample, seed)
        _eval_report(output, gold, kind, result, data_dir, model, modes, manifest)
        return
    try:
        searcher = Searcher(settings.data_dir, settings.model, params=settings.search, embedding=settings.embedding)
    except StoreError as exc:
        fail(str(exc))
    result = evaluate(searcher, items, doc_ids, modes or ("hybrid", "dense", "lexical"))
    click.echo(json.dumps(result, indent=1) if as_json else format_table(result))
    _eval_report(output, gold, kind, result, data_dir, model, modes, manifest)


def without_rerank(settings, no_rerank: bool):
    """The settings with the learned reranker off when `no_rerank` (--no-rerank)."""
    return settings.replace(search=replace(settings.search, rerank=False)) if no_rerank else settings


def _eval_real_pdfs(gold, items: list[dict], settings, keep: bool, as_json: bool) -> dict:
    """Ingest a real-PDF gold set's PDFs (into --data-dir when given, else a temporary one) and
    print its figures."""
    from .eval_real import run_real_eval

    result = run_real_eval(Path(gold), items, settings, keep=keep)
    click.echo(json.dumps(result, indent=1, ensure_ascii=False) if as_json else result["table"])
    return result


def _read_gold(path: Path) -> list[dict]:
    """The objects of a JSONL gold file, or a Dutch error naming the file and line."""
    name = safe(path.name)
    try:
        lines = path.read_bytes().decode("utf-8-sig").splitlines()
    except OSError as exc:
        fail(f"{name} kan niet worden gelezen ({exc.strerror}).")
    except UnicodeDecodeError:
        fail(f"{name} is geen UTF-8-tekst.")
    items = []
    for n, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except (ValueError, RecursionError):
            fail(f"{name}, regel {n}: geen geldige JSON.")
        if not isinstance(item, dict):
            fail(f"{name}, regel {n}: verwacht een JSON-object.")
        items.append(item)
    if not items:
        fail(f"{name} bevat geen regels; er valt niets te meten.")
    return items


def _eval_statements(store, items, gold, kind, doc_ids, as_json, sample, seed) -> dict:
    """Recall of labelled statements or Recall@5 of links, printed; with --sample, labelled
    statements from the gold passages to judge precision by hand."""
    from beleidsbank.index.evaluate import evaluate_links, evaluate_statements, sample_labelled

    stmts = store.statements()
    if kind == "links":
        result = evaluate_links(stmts, store.ranked_links(), items, doc_ids)
        line = (
            f"links: Recall@5 {result['recall@5']:.3f} ({result['found']}/{result['pairs']} gold pairs; "
            f"top 5 of the gold link's scope), {result['recall@5_combined']:.3f} "
            "in the top 5 of both scopes together"
        )
    else:
        label = "problem" if "problem" in Path(gold).name else "recommendation"
        result = evaluate_statements(stmts, items, label, doc_ids)
        line = (
            f"{label}: recall {result['recall']:.3f} ({result['found']}/{result['gold']}), "
            f"{result['labelled_in_gold_passages']} labelled in the gold passages, "
            f"of which {result['precision_lower_bound']:.3f} hold a gold quote (a lower bound on precision)"
        )
    click.echo(json.dumps(result, indent=1) if as_json else line)
    if sample and kind != "links":
        for n, (s, held) in enumerate(sample_labelled(stmts, items, label, doc_ids, sample, seed), start=1):
            click.echo(
                f"{n:3d} {'GOUD' if held else '    '} [{safe(s.cue)[:30]}] {s.doc_id} p. {s.page}: "
                f"{' '.join(safe(s.text).split())[:240]}"
            )
    return result


def _eval_report(output, gold, kind, result, data_dir, model, modes, manifest) -> None:
    """The figures of an eval run as a dated section of `output`, keyed by the gold file's name."""
    if not output:
        return
    import shlex

    from .report import eval_markdown, write_section

    args = ["beleidsbank", "eval", gold] + [a for m in modes for a in ("--mode", m)]
    for flag, value in (("--manifest", manifest), ("--data-dir", data_dir), ("--model", model), ("--output", output)):
        if value:
            args += [flag, str(value)]
    key = Path(gold).stem if kind != "real_pdfs" else f"{Path(gold).parent.name}-{Path(gold).stem}"
    write_section(output, key, Path(gold).name, shlex.join(args), eval_markdown(kind, result))
