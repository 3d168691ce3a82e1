"""The `beleidsbank` command line: ingest, search, evaluate, manage documents.

Messages for users are Dutch. Exit status: 0 success, 1 error,
3 ingest finished but some files were skipped.
"""
from __future__ import annotations

import json
import sys
import textwrap
from dataclasses import asdict
from pathlib import Path

import click

from beleidsbank.ui.present import STAGE_LABELS, evidence_parts, hit_citation, kind_label, safe, scope_label

from .settings import Settings, SettingsError, quiet_libraries, repo_corpus

EXIT_SKIPPED = 3

data_dir_option = click.option(
    "--data-dir", type=click.Path(file_okay=False), default=None,
    help="Datamap voor de index (standaard $BELEIDSBANK_DATA of ~/.local/share/beleidsbank).",
)
model_option = click.option(
    "--model", default=None,
    help="sentence-transformers-model (naam of map); standaard intfloat/multilingual-e5-small.",
)

def _fail(message: str) -> None:
    click.echo(f"Fout: {message}", err=True)
    sys.exit(1)


class _Progress:
    """tqdm bars on stderr, one per stage."""

    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self.bars = {}

    def __call__(self, stage: str, done: int, total: int, detail: str = "") -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        bar = self.bars.get(stage)
        if bar is None:
            bar = self.bars[stage] = tqdm(total=total, desc=STAGE_LABELS.get(stage, stage), unit="",
                                          file=sys.stderr, leave=True, dynamic_ncols=True)
        bar.total = total
        bar.n = done
        if detail:
            bar.set_postfix_str(detail[:40], refresh=False)
        bar.refresh()
        if done >= total:
            bar.close()

    def close(self):
        for bar in self.bars.values():
            bar.close()


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """beleidsbank: kennisbank over Nederlandse beleidsdocumenten."""
    quiet_libraries()


def _settings(data_dir=None, model=None) -> Settings:
    """The settings of this command, read once at its start: the environment, with --data-dir
    and --model over their variables."""
    try:
        return Settings.from_env(data_dir=data_dir, model=model)
    except SettingsError as exc:
        _fail(str(exc))


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@data_dir_option
@model_option
@click.option("--quiet", is_flag=True, help="Geen voortgangsbalken.")
def ingest(paths, data_dir, model, quiet):
    """Voeg PDF's toe (bestanden of mappen) of werk ze bij."""
    from beleidsbank.index.store import StoreError
    from beleidsbank.ingest.pipeline import ingest as run_ingest

    settings = _settings(data_dir, model)
    progress = _Progress(not quiet)
    try:
        report = run_ingest([Path(p) for p in paths], settings.data_dir, settings.model, progress,
                            settings=settings)
    except StoreError as exc:
        _fail(str(exc))
    finally:
        progress.close()
    for doc_id in report.added:
        click.echo(f"toegevoegd: {doc_id}")
    for doc_id in report.replaced:
        click.echo(f"bijgewerkt: {doc_id}")
    for doc_id in report.unchanged:
        click.echo(f"ongewijzigd: {doc_id}")
    for w in report.warnings:
        click.echo(f"waarschuwing: {safe(w)}", err=True)
    for s in report.skipped:
        click.echo(f"overgeslagen: {safe(s.path)}: {safe(s.reason)}", err=True)
    click.echo(f"{len(report.added) + len(report.replaced)} document(en) verwerkt, {report.passages} passages, "
               f"{len(report.unchanged)} ongewijzigd, {len(report.skipped)} overgeslagen.")
    if report.skipped:
        sys.exit(EXIT_SKIPPED)


@main.command()
@click.argument("doc_id")
@data_dir_option
def remove(doc_id, data_dir):
    """Verwijder een document uit de index."""
    from beleidsbank.ingest.pipeline import remove as run_remove

    settings = _settings(data_dir)
    if not run_remove(doc_id, settings.data_dir, settings):
        _fail(f"document '{doc_id}' staat niet in de index.")
    click.echo(f"verwijderd: {doc_id}")


@main.command()
@data_dir_option
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
def documents(data_dir, as_json):
    """Toon de documenten in de index."""
    store = _store_or_fail(_settings(data_dir))
    docs = store.documents()
    counts = store.passage_counts()
    if as_json:
        rows = [dict(asdict(d), passages=counts.get(d.id, 0)) for d in docs]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
        return
    if not docs:
        click.echo("De index is leeg.")
    for d in docs:
        click.echo(f"{d.id:<28} {d.year or '----'}  {d.n_pages:>4} p.  "
                   f"{counts.get(d.id, 0):>5} passages  {safe(d.short)}")


def _print_hits(hits, color: bool) -> None:
    if not hits:
        click.echo("Geen resultaten.")
    for h in hits:
        click.echo(click.style(f"{h.rank:>2}. [{h.score:.3f}] ", bold=True) + safe(hit_citation(h)))
        s, e = h.best_sentence
        text = safe(h.text)
        before, mid, after = text[:s], text[s:e], text[e:]
        if color:
            marked = before + click.style(mid, bold=True, underline=True) + after
        else:
            marked = f"{before}»{mid}«{after}"
        for para in marked.split("\n"):
            click.echo(textwrap.fill(para, width=100, initial_indent="    ", subsequent_indent="    "))
        click.echo()


@main.command()
@click.argument("query", required=False)
@data_dir_option
@model_option
@click.option("--mode", type=click.Choice(["hybrid", "dense", "lexical"]), default="hybrid", show_default=True)
@click.option("--top-k", "-k", type=click.IntRange(1, 1000), default=10, show_default=True)
@click.option("--doc", multiple=True, help="Alleen dit document (id); herhaalbaar.")
@click.option("--publisher", multiple=True, help="Alleen deze uitgever (deel van de naam); herhaalbaar.")
@click.option("--year", multiple=True, type=int, help="Alleen dit jaar; herhaalbaar.")
@click.option("--kind", multiple=True, type=click.Choice(["recommendation", "problem"]),
              help="Alleen passages met een aanbeveling of probleem; herhaalbaar.")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@click.option("--queries", type=click.Path(exists=True, dir_okay=False),
              help="JSONL-bestand met regels {\"id\", \"query\"}: alle vragen met één modellading.")
def search(query, data_dir, model, mode, top_k, doc, publisher, year, kind, as_json, queries):
    """Zoek passages op betekenis en woorden."""
    from beleidsbank.index.search import QueryError, Searcher
    from beleidsbank.index.store import StoreError

    if not query and not queries:
        _fail("geef een zoekvraag of --queries BESTAND.")
    settings = _settings(data_dir, model)
    try:
        searcher = Searcher(settings.data_dir, settings.model, params=settings.search, embedding=settings.embedding)
    except StoreError as exc:
        _fail(str(exc))
    filters = dict(doc=list(doc) or None, publisher=list(publisher) or None, year=list(year) or None,
                   kind=list(kind) or None)
    items = []
    if queries:
        for n, line in enumerate(Path(queries).read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
                items.append((item.get("id", str(n)), str(item["query"])))
            except (json.JSONDecodeError, KeyError, TypeError, AttributeError):
                _fail(f"{queries}, regel {n}: verwacht een JSON-object met \"id\" en \"query\".")
    else:
        items.append((None, query))
    color = sys.stdout.isatty()
    for qid, text in items:
        try:
            hits = searcher.search(text, k=top_k, mode=mode, **filters)
        except QueryError as exc:
            if queries and as_json:
                click.echo(json.dumps({"id": qid, "hits": [], "error": str(exc)}, ensure_ascii=False))
                continue
            _fail(str(exc))
        if as_json:
            payload = [h.to_json() for h in hits]
            if queries:
                click.echo(json.dumps({"id": qid, "hits": payload}, ensure_ascii=False))
            else:
                click.echo(json.dumps(payload, ensure_ascii=False, indent=1))
        else:
            if queries:
                click.echo(click.style(f"== {qid}: {safe(text)}", bold=True))
            _print_hits(hits, color)


@main.command(name="eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@data_dir_option
@model_option
@click.option("--mode", "modes", multiple=True, type=click.Choice(["hybrid", "dense", "lexical"]),
              help="Alleen deze modus; herhaalbaar (standaard alle drie).")
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False), default=None,
              help="manifest.toml die bronbestanden aan document-ids koppelt (standaard corpus/manifest.toml).")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON, met scores per vraag.")
@click.option("--sample", type=int, default=0,
              help="Bij aanbevelingen/problemen: toon zoveel willekeurige gelabelde uitspraken uit de gouden passages "
                   "om de precisie met de hand te beoordelen.")
@click.option("--seed", type=int, default=7, help="Startwaarde voor --sample.")
@click.option("--output", type=click.Path(dir_okay=False), default=None,
              help="Schrijf de cijfers ook als gedateerde sectie in dit markdown-bestand (bijv. docs/evaluation.md); "
                   "de sectie van dezelfde gouden set wordt vervangen, de rest blijft staan.")
def eval_cmd(gold, data_dir, model, modes, manifest, as_json, sample, seed, output):
    """Meet de kwaliteit op een gouden set: zoekvragen (nDCG@10, Recall@10, MRR@10, Hit@5),
    aanbevelingen/problemen (recall) of koppelingen (Recall@5)."""
    from beleidsbank.index.evaluate import (
        evaluate,
        evaluate_links,
        evaluate_statements,
        format_table,
        gold_kind,
        load_jsonl,
        sample_labelled,
        source_map,
    )
    from beleidsbank.index.search import Searcher
    from beleidsbank.index.store import StoreError

    settings = _settings(data_dir, model)
    items = load_jsonl(Path(gold))
    manifest_path = Path(manifest) if manifest else repo_corpus() / "manifest.toml"
    doc_ids = source_map(manifest_path)
    kind = gold_kind(items)
    if kind != "queries":   # statements (recommendations or problems) or links
        store = _store_or_fail(settings)
        stmts = store.statements()
        if kind == "links":
            ranked = store.ranked_links()
            result = evaluate_links(stmts, ranked, items, doc_ids)
            line = (f"links: Recall@5 {result['recall@5']:.3f} ({result['found']}/{result['pairs']} gold pairs; "
                    f"top 5 of the gold link's scope), {result['recall@5_combined']:.3f} "
                    "in the top 5 of both scopes together")
        else:
            label = "problem" if "problem" in Path(gold).name else "recommendation"
            result = evaluate_statements(stmts, items, label, doc_ids)
            line = (f"{label}: recall {result['recall']:.3f} ({result['found']}/{result['gold']}), "
                    f"{result['labelled_in_gold_passages']} labelled in the gold passages, "
                    f"of which {result['precision_lower_bound']:.3f} hold a gold quote (a lower bound on precision)")
        click.echo(json.dumps(result, indent=1) if as_json else line)
        if sample and kind != "links":
            for n, (s, held) in enumerate(sample_labelled(stmts, items, label, doc_ids, sample, seed), start=1):
                click.echo(f"{n:3d} {'GOUD' if held else '    '} [{safe(s.cue)[:30]}] {s.doc_id} p. {s.page}: "
                           f"{' '.join(safe(s.text).split())[:240]}")
        _eval_report(output, gold, kind, result, data_dir, model, modes, manifest)
        return
    try:
        searcher = Searcher(settings.data_dir, settings.model, params=settings.search, embedding=settings.embedding)
    except StoreError as exc:
        _fail(str(exc))
    result = evaluate(searcher, items, doc_ids, modes or ("hybrid", "dense", "lexical"))
    if as_json:
        click.echo(json.dumps(result, indent=1))
    else:
        click.echo(format_table(result))
    _eval_report(output, gold, kind, result, data_dir, model, modes, manifest)


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
    write_section(output, Path(gold).stem, Path(gold).name, shlex.join(args), eval_markdown(kind, result))


def _store_or_fail(settings: Settings):
    from beleidsbank.index.store import Store, StoreError

    try:
        return Store.open(settings.data_dir)
    except StoreError as exc:
        _fail(str(exc))


def _stmt_line(s: dict) -> str:
    return (f"[{s['kind']}, {s['confidence']:.2f}] {s['doc_id']} p. {s['page_label']}"
            f"{', § ' + s['section'] if s['section'] else ''}: {safe(s['text'])}")


STATEMENT_JSON = ("id", "doc_id", "page", "page_label", "section", "section_path", "passage_id", "kind",
                  "confidence", "cue", "unit", "text", "theme", "theme_label")


@main.command()
@data_dir_option
@click.option("--doc", default=None, help="Alleen dit document (id).")
@click.option("--kind", type=click.Choice(["recommendation", "problem", "other"]), default=None)
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
def statements(data_dir, doc, kind, as_json):
    """Toon de uitspraken (aanbevelingen, problemen) met hun vindplaats en de aanwijzing die besliste."""
    store = _store_or_fail(_settings(data_dir))
    rows = [asdict(s) for s in store.statements(doc=doc, kind=kind)]
    if as_json:
        click.echo(json.dumps([{k: r[k] for k in STATEMENT_JSON} for r in rows], ensure_ascii=False, indent=1))
        return
    if not rows:
        click.echo("Geen uitspraken gevonden.")
    for r in rows:
        click.echo(_stmt_line(r) + (f"  ({safe(r['cue'])})" if r["cue"] else ""))


@main.command()
@data_dir_option
@click.option("--doc", default=None, help="Alleen aanbevelingen uit dit document (id).")
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
def links(data_dir, doc, as_json):
    """Toon per aanbeveling de problemen die zij aanpakt, met score en bewijs."""
    from beleidsbank.index.store import Evidence

    store = _store_or_fail(_settings(data_dir))
    found = [{"recommendation": asdict(rec.recommendation),
              "problems": [dict(asdict(p.problem), rank=p.rank, score=p.score, scope=p.scope,
                                evidence=p.evidence.to_json()) for p in rec.problems]}
             for rec in store.links_for(doc=doc)]
    if as_json:
        out = [{"recommendation": {k: rec["recommendation"][k] for k in STATEMENT_JSON},
                "problems": [dict({k: p[k] for k in STATEMENT_JSON}, score=p["score"], rank=p["rank"],
                                  scope=p["scope"], evidence=p["evidence"]) for p in rec["problems"]]}
               for rec in found]
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))
        return
    for rec in found:
        click.echo(click.style("AANBEVELING ", bold=True) + _stmt_line(rec["recommendation"]))
        if not rec["problems"]:
            click.echo("    (geen gekoppelde problemen boven de drempel)")
        for p in rec["problems"]:
            why = ", ".join(evidence_parts(Evidence.from_json(p["evidence"])))
            scope = scope_label(p["scope"])
            click.echo(f"    {p['rank']}. [{p['score']:.2f}, {scope}] {p['doc_id']} p. {p['page_label']}: "
                       f"{safe(p['text'])[:200]}\n       ({safe(why)})")
        click.echo()


@main.command()
@data_dir_option
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@click.option("--top", type=click.IntRange(0, 20), default=2, show_default=True, help="Sterkste uitspraken per cel.")
def compare(data_dir, as_json, top):
    """Vergelijk bronnen per thema: aantallen aanbevelingen/problemen en de sterkste uitspraken."""
    from beleidsbank.index import relations

    store = _store_or_fail(_settings(data_dir))
    result = relations.compare(store, top=top).to_json()
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    docs = result["documents"]
    short = {d.id: d.short for d in store.documents()}
    click.echo(f"{'thema':<44}" + "".join(f"{short.get(d, d)[:14]:>16}" for d in docs))
    click.echo(f"{'':<44}" + "".join(f"{'aanb./probl.':>16}" for _ in docs))
    for th in result["themes"]:
        cells = "".join(f"{str(th['cells'][d]['recommendations']) + ' / ' + str(th['cells'][d]['problems']):>16}"
                        for d in docs)
        click.echo(f"{safe(th['label'])[:43]:<44}{cells}")
    if top:
        for th in result["themes"]:
            click.echo(click.style(f"\n== {safe(th['label'])}", bold=True))
            for d in docs:
                for st in th["cells"][d]["top"]:
                    kind = kind_label(st["kind"])
                    click.echo(f"  {short.get(d, d)[:20]:<20} {kind:<11} p. {st['page_label']}: "
                               f"{safe(st['text'])[:150]}")


@main.command()
def model():
    """Bouw het standaardmodel (eenmalig per machine) en toon waar het staat."""
    from beleidsbank.index.e5_model import ModelUnavailableError, ensure_default_model

    settings = _settings()
    try:
        path = ensure_default_model(settings.model_cache, progress=lambda msg: click.echo(msg, err=True))
    except ModelUnavailableError as exc:
        _fail(f"het standaardmodel kan niet worden gebouwd: {exc}")
    click.echo(str(path))


@main.command()
@data_dir_option
@click.option("--port", type=int, default=8501, show_default=True)
def app(data_dir, port):
    """Start de webapp (Streamlit)."""
    import subprocess

    env = _settings(data_dir).child_environ()
    from beleidsbank import ui

    script = Path(ui.__file__).resolve().parent / "app.py"
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
           "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--client.toolbarMode", "viewer"]   # no English "Deploy" menu for users
    sys.exit(subprocess.call(cmd, env=env))


if __name__ == "__main__":
    main()
