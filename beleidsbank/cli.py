"""The `beleidsbank` command line: ingest, search, evaluate, manage documents.

Messages for users are Dutch. Exit status: 0 success, 1 error,
3 ingest finished but some files were skipped.
"""
from __future__ import annotations

import json
import os
import re
import sys
import textwrap
from pathlib import Path

import click

from . import config

EXIT_SKIPPED = 3

data_dir_option = click.option(
    "--data-dir", type=click.Path(file_okay=False), default=None,
    help="Datamap voor de index (standaard $BELEIDSBANK_DATA of ~/.local/share/beleidsbank).",
)
model_option = click.option(
    "--model", default=None,
    help="sentence-transformers-model (naam of map); standaard intfloat/multilingual-e5-small.",
)

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str) -> str:
    """Document text for a terminal: no control or escape characters."""
    return _CONTROL.sub(" ", text or "")


def _fail(message: str) -> None:
    click.echo(f"Fout: {message}", err=True)
    sys.exit(1)


class _Progress:
    """tqdm bars on stderr, one per stage."""

    LABELS = {"parse": "PDF's lezen", "embed": "Embedden", "index": "Index bouwen"}

    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self.bars = {}

    def __call__(self, stage: str, done: int, total: int, detail: str = "") -> None:
        if not self.enabled:
            return
        from tqdm import tqdm

        bar = self.bars.get(stage)
        if bar is None:
            bar = self.bars[stage] = tqdm(total=total, desc=self.LABELS.get(stage, stage), unit="",
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
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@data_dir_option
@model_option
@click.option("--quiet", is_flag=True, help="Geen voortgangsbalken.")
def ingest(paths, data_dir, model, quiet):
    """Voeg PDF's toe (bestanden of mappen) of werk ze bij."""
    from index.store import StoreError
    from index.updater import ingest as run_ingest

    progress = _Progress(not quiet)
    try:
        report = run_ingest([Path(p) for p in paths], config.data_dir(data_dir),
                            config.model_choice(model), progress)
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
        click.echo(f"waarschuwing: {w}", err=True)
    for s in report.skipped:
        click.echo(f"overgeslagen: {s.path}: {s.reason}", err=True)
    click.echo(f"{len(report.added) + len(report.replaced)} document(en) verwerkt, {report.passages} passages, "
               f"{len(report.unchanged)} ongewijzigd, {len(report.skipped)} overgeslagen.")
    if report.skipped:
        sys.exit(EXIT_SKIPPED)


@main.command()
@click.argument("doc_id")
@data_dir_option
def remove(doc_id, data_dir):
    """Verwijder een document uit de index."""
    from index.updater import remove as run_remove

    if not run_remove(doc_id, config.data_dir(data_dir)):
        _fail(f"document '{doc_id}' staat niet in de index.")
    click.echo(f"verwijderd: {doc_id}")


@main.command()
@data_dir_option
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
def documents(data_dir, as_json):
    """Toon de documenten in de index."""
    from index.store import Store

    store = Store(config.data_dir(data_dir))
    docs = store.documents()
    counts = dict(store.con.execute("SELECT doc_id, COUNT(*) FROM passages GROUP BY doc_id").fetchall())
    if as_json:
        click.echo(json.dumps([dict(d.__dict__, passages=counts.get(d.id, 0)) for d in docs], ensure_ascii=False, indent=1))
        return
    if not docs:
        click.echo("De index is leeg.")
    for d in docs:
        click.echo(f"{d.id:<28} {d.year or '----'}  {d.n_pages:>4} p.  {counts.get(d.id, 0):>5} passages  {safe(d.short)}")


def _citation(hit) -> str:
    year = hit.year or "z.j."
    publisher = hit.publisher or hit.title
    page = f"p. {hit.page_label}" if hit.page_label else f"p. {hit.page}"
    section = f", § {hit.section}" if hit.section else ""
    return f"{publisher} ({year}), {hit.short}, {page}{section}"


def _print_hits(hits, color: bool) -> None:
    if not hits:
        click.echo("Geen resultaten.")
    for h in hits:
        click.echo(click.style(f"{h.rank:>2}. [{h.score:.3f}] ", bold=True) + safe(_citation(h)))
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
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@click.option("--queries", type=click.Path(exists=True, dir_okay=False),
              help="JSONL-bestand met regels {\"id\", \"query\"}: alle vragen met één modellading.")
def search(query, data_dir, model, mode, top_k, doc, publisher, year, as_json, queries):
    """Zoek passages op betekenis en woorden."""
    from index.search import QueryError, Searcher
    from index.store import StoreError

    if not query and not queries:
        _fail("geef een zoekvraag of --queries BESTAND.")
    try:
        searcher = Searcher(config.data_dir(data_dir), config.model_choice(model))
    except StoreError as exc:
        _fail(str(exc))
    filters = dict(doc=list(doc) or None, publisher=list(publisher) or None, year=list(year) or None)
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
def eval_cmd(gold, data_dir, model, modes, manifest, as_json):
    """Meet de zoekkwaliteit op een gouden set (nDCG@10, Recall@10, MRR@10, Hit@5)."""
    from index.evaluate import evaluate, format_table, load_jsonl, source_map
    from index.search import Searcher
    from index.store import StoreError

    try:
        searcher = Searcher(config.data_dir(data_dir), config.model_choice(model))
    except StoreError as exc:
        _fail(str(exc))
    manifest_path = Path(manifest) if manifest else config.repo_corpus() / "manifest.toml"
    result = evaluate(searcher, load_jsonl(Path(gold)), source_map(manifest_path), modes or ("hybrid", "dense", "lexical"))
    if as_json:
        click.echo(json.dumps(result, indent=1))
    else:
        click.echo(format_table(result))


@main.command()
def model():
    """Bouw het standaardmodel (eenmalig per machine) en toon waar het staat."""
    from index.e5_model import ModelUnavailableError, ensure_default_model

    try:
        path = ensure_default_model(progress=lambda msg: click.echo(msg, err=True))
    except ModelUnavailableError as exc:
        _fail(f"het standaardmodel kan niet worden gebouwd: {exc}")
    click.echo(str(path))


@main.command()
@data_dir_option
@click.option("--port", type=int, default=8501, show_default=True)
def app(data_dir, port):
    """Start de webapp (Streamlit)."""
    import subprocess

    env = dict(os.environ, BELEIDSBANK_DATA=str(config.data_dir(data_dir)))
    script = Path(__file__).resolve().parent.parent / "ui" / "app.py"
    cmd = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
           "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    sys.exit(subprocess.call(cmd, env=env))


if __name__ == "__main__":
    main()
