"""`beleidsbank review link|label|result` (a user's verdict) and `beleidsbank reviews` (the
verdicts, as a table or as lines in the eval and training formats).

A verdict is stored by document and text (index/store_reviews.py), so it survives a re-ingest;
it acts at once (a rejected link disappears, a confirmed one shows first, a label is set) and
again every time the links are rebuilt.
"""

from __future__ import annotations

import getpass
import json

import click

from beleidsbank.ui.present import (
    REVIEW_KIND_LABELS,
    REVIEW_LABELS,
    VERDICT_MARKS,
    bad_verdict,
    kind_label,
    review_saved,
    safe,
    unknown_passage,
    unknown_statement,
    verdict_of,
)

from .cli_common import data_dir_option, fail, settings_for, usable_text

NOTE_CHARS = 2000  # a note is a remark, not a document
LABEL_CHOICES = {
    "aanbeveling": "recommendation",
    "probleem": "problem",
    "geen": "neither",
    **{k: k for k in REVIEW_LABELS},
}

note_option = click.option("--note", default="", help="Een korte toelichting (optioneel).")


def who() -> str:
    """The OS user who gives the verdict ("onbekend" when the system cannot say)."""
    try:
        return getpass.getuser() or "onbekend"
    except (OSError, KeyError, ImportError):
        return "onbekend"


def _verdict(word: str) -> str:
    verdict = verdict_of(word)
    if verdict is None:
        fail(bad_verdict(word))
    return verdict


def _note(note: str) -> str:
    if not note:
        return ""
    try:
        note = usable_text(note, "--note")
    except click.BadParameter as exc:
        fail(exc.message)
    return " ".join(note.split())[:NOTE_CHARS]


def _write(data_dir, action):
    """Run `action(store)` in one write transaction, with its audit line when it returns the
    review it saved; Dutch errors end the command."""
    from beleidsbank.index import access
    from beleidsbank.index.store import Store, StoreError

    settings = settings_for(data_dir)
    try:
        store = Store.open(settings.data_dir, write=True, wait=settings.lock_wait)
    except StoreError as exc:
        fail(str(exc))
    try:
        with store.write(settings.lock_wait):
            saved = action(store)
            if saved is not None:
                text = " ".join(saved.text.split())[:120]
                access.audit(store, access.LOCAL, "review", f"{saved.kind} {saved.doc_id}", f"{saved.verdict}: {text}")
            return saved
    except StoreError as exc:
        fail(str(exc))
    finally:
        store.close()


@click.group()
def review() -> None:
    """Geef een oordeel: bevestig of verwerp een koppeling, het label van een uitspraak of een zoekresultaat."""


@review.command("link")
@click.argument("rec_id")
@click.argument("prob_id")
@click.argument("verdict")
@note_option
@data_dir_option
def review_link(rec_id, prob_id, verdict, note, data_dir):
    """Bevestig of verwerp dat aanbeveling REC_ID probleem PROB_ID aanpakt (VERDICT: bevestig of verwerp)."""
    verdict, note = _verdict(verdict), _note(note)

    def act(store):
        rec, prob = store.statement(rec_id), store.statement(prob_id)
        if rec is None or rec.kind != "recommendation":
            fail(unknown_statement(rec_id, "recommendation"))
        if prob is None or prob.kind != "problem":
            fail(unknown_statement(prob_id, "problem"))
        return store.put_review(
            "link", rec.doc_id, rec.text, verdict, who(), other_doc=prob.doc_id, other_text=prob.text, note=note
        )

    _write(data_dir, act)
    click.echo(review_saved("link", verdict))


@review.command("label")
@click.argument("statement_id")
@click.argument("verdict")
@click.option("--label", "label", default=None, help="Het juiste label: aanbeveling, probleem of geen.")
@note_option
@data_dir_option
def review_label(statement_id, verdict, label, note, data_dir):
    """Bevestig of verwerp het label van uitspraak STATEMENT_ID; bij verwerp geeft --label het juiste."""
    verdict, note = _verdict(verdict), _note(note)
    if label is not None:
        if label.strip().lower() not in LABEL_CHOICES:
            fail(f"Onbekend label '{safe(label)}': gebruik aanbeveling, probleem of geen.")
        label = LABEL_CHOICES[label.strip().lower()]
    if label is not None and verdict == "confirmed":
        fail("--label hoort bij verwerp: een bevestiging houdt het huidige label.")

    def act(store):
        s = store.statement(statement_id)
        if s is None:
            fail(unknown_statement(statement_id))
        current = s.kind if s.kind in ("recommendation", "problem") else "neither"
        holds = current if verdict == "confirmed" else label
        if holds is None:
            if current == "neither":
                fail("Geef met --label aan wat deze uitspraak wel is: aanbeveling of probleem.")
            holds = "neither"
        if verdict == "rejected" and holds == current:
            fail(f"Het label is al {REVIEW_LABELS[current]}; gebruik bevestig om het te bevestigen.")
        return store.put_review("label", s.doc_id, s.text, verdict, who(), label=holds, note=note)

    saved = _write(data_dir, act)
    click.echo(f"{review_saved('label', verdict)} Label: {REVIEW_LABELS[saved.label]}.")


@review.command("result")
@click.argument("query")
@click.argument("passage_id")
@click.argument("verdict")
@note_option
@data_dir_option
def review_result(query, passage_id, verdict, note, data_dir):
    """Bevestig of verwerp dat passage PASSAGE_ID (id uit beleidsbank search --json) de vraag QUERY beantwoordt."""
    try:
        query = " ".join(usable_text(query, "De vraag").split())
    except click.BadParameter as exc:
        fail(exc.message)
    verdict, note = _verdict(verdict), _note(note)

    def act(store):
        subject = store.passage_subject(passage_id)
        if subject is None:
            fail(unknown_passage(passage_id))
        return store.put_review("result", subject[0], subject[1], verdict, who(), query=query, note=note)

    _write(data_dir, act)
    click.echo(review_saved("result", verdict))


@click.command()
@data_dir_option
@click.option("--kind", type=click.Choice(["link", "label", "result"]), default=None, help="Alleen dit soort oordelen.")
@click.option(
    "--label",
    "label",
    type=click.Choice(["recommendation", "problem", "neither"]),
    default=None,
    help="Bij --kind label: alleen uitspraken met dit label (een bestand voor beleidsbank eval).",
)
@click.option("--json", "as_json", is_flag=True, help="Regels in de formaten van de evaluatie en training/ (JSONL).")
def reviews(data_dir, kind, label, as_json):
    """Toon de gegeven oordelen, of schrijf ze met --json als evaluatie- en trainingsregels."""
    from beleidsbank.index.reviews import export

    from .cli_common import open_store

    store = open_store(settings_for(data_dir))
    try:
        if as_json:
            for line in export(store, kind, label):
                click.echo(json.dumps(line, ensure_ascii=False))
            return
        found = store.reviews(kind)
    finally:
        store.close()
    if not found:
        click.echo("Nog geen oordelen gegeven.")
    for r in found:
        click.echo(_line(r))


def _line(r) -> str:
    what = {
        "link": lambda: f"{safe(r.text[:80])} -> {safe(r.other_text[:80])}",
        "label": lambda: (
            f"{kind_label(r.label) if r.label != 'neither' else REVIEW_LABELS['neither']}: {safe(r.text[:120])}"
        ),
        "result": lambda: f"'{safe(r.query[:60])}' -> {safe(r.text[:100])}",
    }[r.kind]()
    note = f"  ({safe(r.note)})" if r.note else ""
    return f"[{REVIEW_KIND_LABELS[r.kind]}, {VERDICT_MARKS[r.verdict]}] {r.doc_id}: {' '.join(what.split())}{note}"
