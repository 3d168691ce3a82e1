"""Metadata corrections: recorded apart from the parsed values, applied at once, kept across a
re-ingest, dropped with the document; `beleidsbank meta` with Dutch errors."""

from __future__ import annotations

import json

from click.testing import CliRunner

from beleidsbank.cli import main
from beleidsbank.index.store import Store
from tests.page_quality_fixtures import DIM, TEXTS, store_with
from tests.test_store import parsed, put, unit_vectors


def _reput(store: Store, doc_id: str, **meta) -> None:
    """Write `doc_id` again from freshly parsed values, as a re-ingest of a changed file does."""
    doc = parsed(doc_id, TEXTS, sha="nieuw")
    for key, value in meta.items():
        setattr(doc.meta, key, value)
    put(store, doc, unit_vectors(len(TEXTS), DIM))


def test_a_correction_applies_at_once_and_survives_a_reingest(tmp_path):
    store = store_with(tmp_path, [("a", []), ("b", [])])
    with store.write():
        doc = store.set_meta_override("a", title="Juiste titel", year=2019)
    assert (doc.title, doc.year, doc.publisher, doc.short) == ("Juiste titel", 2019, "Uitgever", "a")
    assert store.document("a") == doc
    assert store.document_passages("a")[0].title == "Juiste titel"
    with store.write():  # a second correction adds to the first
        store.set_meta_override("a", publisher="Juiste uitgever", kind="advies")
    _reput(store, "a")
    doc = store.document("a")
    assert (doc.title, doc.year, doc.publisher, doc.kind, doc.sha256) == (
        "Juiste titel",
        2019,
        "Juiste uitgever",
        "advies",
        "nieuw",
    )
    assert store.document("b").title == "Titel b"  # other documents untouched
    over = store.meta_override("a")
    assert (over.title, over.year, over.publisher, over.kind) == ("Juiste titel", 2019, "Juiste uitgever", "advies")
    store.close()


def test_a_short_title_cut_from_the_title_follows_a_corrected_title(tmp_path):
    store = store_with(tmp_path, [])
    _reput(store, "c", title="Verkeerde titel", short="Verkeerde titel")
    with store.write():
        store.set_meta_override("c", title="Een veel betere titel " + "x" * 60)
    assert store.document("c").short == ("Een veel betere titel " + "x" * 60)[:60]
    _reput(store, "c", title="Verkeerde titel", short="Verkeerde titel")
    assert store.document("c").short == ("Een veel betere titel " + "x" * 60)[:60]
    store.close()


def test_an_unknown_document_records_nothing_and_removing_drops_the_correction(tmp_path):
    store = store_with(tmp_path, [("a", [])])
    with store.write():
        assert store.set_meta_override("zz", title="X") is None
        store.set_meta_override("a", title="Juiste titel")
    assert store.meta_override("zz") is None
    with store.write():
        store.delete_document("a")
    assert store.meta_override("a") is None
    _reput(store, "a")
    assert store.document("a").title == "Titel a"
    store.close()


def _run(*args):
    return CliRunner().invoke(main, [*map(str, args)])


def test_cli_meta_corrects_and_documents_shows_it(tmp_path):
    store_with(tmp_path, [("a", [])]).close()
    result = _run("meta", "a", "--title", "  Juiste   titel ", "--year", "2019", "--data-dir", tmp_path)
    assert result.exit_code == 0, result.output
    assert "gecorrigeerd: a" in result.output and "jaar: 2020 -> 2019" in result.output
    [row] = json.loads(_run("documents", "--json", "--data-dir", tmp_path).output)
    assert (row["title"], row["year"], row["warnings"]) == ("Juiste titel", 2019, [])


def test_cli_meta_errors_are_dutch_with_status_1(tmp_path):
    store_with(tmp_path, [("a", [])]).close()
    cases = [
        (["meta", "zz", "--title", "X"], "staat niet in de index"),
        (["meta", "a"], "ten minste één"),
        (["meta", "a", "--year", "twintig"], "geen jaartal"),
        (["meta", "a", "--title", "  "], "mag niet leeg zijn"),
    ]
    for args, message in cases:
        result = _run(*args, "--data-dir", tmp_path)
        assert result.exit_code == 1, result.output
        assert isinstance(result.exception, SystemExit)  # no traceback
        assert "Fout:" in result.output and message in result.output
    missing = tmp_path / "geen-data"
    result = _run("meta", "a", "--title", "X", "--data-dir", missing)
    assert result.exit_code == 1 and "nog geen index" in result.output and not missing.exists()
    assert Store.open(tmp_path).document("a").title == "Titel a"
