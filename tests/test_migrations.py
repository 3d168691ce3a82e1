"""Schema versions: an old store opens (upgraded), a newer one is refused, reading creates nothing."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest
from click.testing import CliRunner

from beleidsbank.cli import main
from beleidsbank.index import migrations, relations, schema
from beleidsbank.index.store import NoIndexError, Store, StoreError
from tests.test_store import parsed, put, unit_vectors
from tests.v1_store import V1_SCHEMA, V2_SCHEMA, make_old_copy, make_v1_copy, schema_sql

DIM = 8
TEXTS = [
    "Er is een groot tekort aan technici in de regio.",
    "Scholen werken samen met bedrijven.",
    "Investeer in leraren en docenten techniek.",
    "Het imago van techniek is negatief.",
]


class FakeEmbedder:
    """Query vectors from a seeded generator: enough to compare two stores' rankings."""

    name = "nep-model"
    dim = DIM

    def encode_query(self, query: str) -> np.ndarray:
        v = np.random.default_rng(len(query)).normal(size=DIM).astype(np.float32)
        return v / np.linalg.norm(v)


def _statements(doc):
    kinds = ["problem", "other", "recommendation", "problem"]
    return [
        SimpleNamespace(
            seq=i,
            start=p.start,
            end=p.end,
            page=p.page,
            page_label=p.page_label,
            section=p.section,
            section_path=p.section_path,
            kind=kinds[i],
            confidence=0.8,
            cue="cue",
            unit="sentence",
            text=p.text,
        )
        for i, p in enumerate(doc.doc.passages)
    ]


def build_store(data: Path) -> Path:
    """A current store with passages, statements, themes and links."""
    store = Store.create(data)
    doc = parsed("a", TEXTS)
    vecs = unit_vectors(len(TEXTS), DIM)
    put(store, doc, vecs)
    with store.write():
        stmts = _statements(doc)
        relations.put_statements(
            store, "a", stmts, doc.doc.passages, {s.seq: vecs[s.seq] for s in stmts if relations.needs_vector(s)}
        )
        relations.rebuild(store)
        store.set_meta("model", FakeEmbedder.name)
        store.set_meta("dim", str(DIM))
    store.close()
    return data


def _reads(store: Store) -> tuple:
    return (
        store.documents(),
        store.statements(),
        store.links_for(),
        # a theme's description and members come with the next rebuild (schema 6 adds them empty)
        [(t.id, t.label, t.terms, t.size) for t in store.themes()],
        store.ranked_links(),
        store.passage_statements([p.id for p in store.document_passages("a")]),
    )


def test_the_v1_fixture_is_the_v1_schema(tmp_path):
    """The copy holds exactly the tables and indexes the version-1 code made."""
    old = tmp_path / "v1.sqlite"
    sqlite3.connect(str(old)).executescript(V1_SCHEMA)
    v1 = make_v1_copy(build_store(tmp_path / "nu"), tmp_path / "oud")
    assert schema_sql(v1 / schema.DB_NAME) == schema_sql(old)
    assert "statements_passage" not in schema_sql(v1 / schema.DB_NAME)


def test_the_v2_fixture_is_the_v2_schema(tmp_path):
    old = tmp_path / "v2.sqlite"
    sqlite3.connect(str(old)).executescript(V2_SCHEMA)
    v2 = make_old_copy(build_store(tmp_path / "nu"), tmp_path / "oud", 2)
    assert schema_sql(v2 / schema.DB_NAME) == schema_sql(old)
    assert "pages" not in schema_sql(v2 / schema.DB_NAME)


@pytest.mark.parametrize("version", [1, 2])
def test_an_old_store_is_upgraded_to_the_schema_of_a_new_one(tmp_path, version):
    current = build_store(tmp_path / "nu")
    old = make_old_copy(current, tmp_path / "oud", version)
    Store.open(old).close()
    assert schema_sql(old / schema.DB_NAME) == schema_sql(current / schema.DB_NAME)


def test_a_v2_store_opens_with_every_page_text_of_good_quality(tmp_path):
    v2 = make_old_copy(build_store(tmp_path / "nu"), tmp_path / "oud", 2)
    store = Store.open(v2)
    assert store.get_meta("schema") == str(schema.SCHEMA_VERSION) == "6"
    passages = store.document_passages("a")
    assert passages and {(p.ocr, p.quality) for p in passages} == {(False, "goed")}
    assert store.page_verdicts() == [] and store.poor_passages() == {} and store.page_words("a", 1) == []
    assert store.meta_override("a") is None
    store.close()


@pytest.mark.parametrize("version", [1, 2])
def test_an_old_store_opens_upgraded_and_searches_the_same(tmp_path, caplog, version):
    from beleidsbank.index.search import Searcher

    current = build_store(tmp_path / "nu")
    v1 = make_old_copy(current, tmp_path / "oud", version)
    with caplog.at_level("WARNING"):
        store = Store.open(v1)
    assert f"bijgewerkt van schema {version} naar {schema.SCHEMA_VERSION}" in caplog.text
    assert store.get_meta("schema") == str(schema.SCHEMA_VERSION)
    assert "statements_passage" in schema_sql(v1 / schema.DB_NAME)
    reference = Store.open(current)
    assert _reads(store) == _reads(reference)
    assert store.links_for() and store.themes()
    store.close()
    reference.close()
    for mode in ("hybrid", "dense", "lexical"):
        a, b = Searcher(current, embedder=FakeEmbedder()), Searcher(v1, embedder=FakeEmbedder())
        for query in ("tekort aan technici", "samenwerking scholen bedrijven"):
            assert [h.to_json() for h in a.search(query, k=3, mode=mode)] == [
                h.to_json() for h in b.search(query, k=3, mode=mode)
            ]
        a.close()
        b.close()


def test_a_v1_store_that_is_being_written_is_not_upgraded_by_a_reader(tmp_path, monkeypatch):
    v1 = make_v1_copy(build_store(tmp_path / "nu"), tmp_path / "oud")
    monkeypatch.setattr(migrations, "READER_WAIT_MS", 50)
    writer = sqlite3.connect(str(v1 / schema.DB_NAME), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="ouder formaat.*schrijft er nu in"):
            Store.open(v1)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    store = Store.open(v1)  # once the writer is done, the reader upgrades it
    assert store.get_meta("schema") == str(schema.SCHEMA_VERSION)
    store.close()


def test_a_v1_store_is_upgraded_by_a_writer(tmp_path):
    v1 = make_v1_copy(build_store(tmp_path / "nu"), tmp_path / "oud")
    store = Store.create(v1)
    assert store.get_meta("schema") == str(schema.SCHEMA_VERSION) and [d.id for d in store.documents()] == ["a"]
    store.close()


def test_a_newer_store_is_refused_and_left_alone(tmp_path):
    data = build_store(tmp_path / "nu")
    con = sqlite3.connect(str(data / schema.DB_NAME), isolation_level=None)
    con.execute("UPDATE meta SET value=? WHERE key='schema'", (str(schema.SCHEMA_VERSION + 1),))
    con.close()
    before = schema_sql(data / schema.DB_NAME)
    for opener in (Store.open, Store.create):
        with pytest.raises(StoreError, match="nieuwere versie van beleidsbank"):
            opener(data)
    assert schema_sql(data / schema.DB_NAME) == before


def test_opening_a_missing_store_creates_nothing(tmp_path):
    missing = tmp_path / "nergens"
    with pytest.raises(NoIndexError, match="nog geen index"):
        Store.open(missing)
    assert not missing.exists()
    empty = tmp_path / "leeg"
    empty.mkdir()
    with pytest.raises(NoIndexError):
        Store.open(empty)
    assert list(empty.iterdir()) == []


def test_a_store_being_created_is_no_index_yet(tmp_path):
    """A reader that comes between a writer's new file and its first commit sees no index."""
    data = tmp_path / "data"
    data.mkdir()
    sqlite3.connect(str(data / schema.DB_NAME)).close()  # the empty file a writer starts with
    with pytest.raises(NoIndexError):
        Store.open(data)


def test_readers_do_not_wait_for_a_writer_of_a_current_store(tmp_path):
    data = build_store(tmp_path / "nu")
    writer = Store.create(data)
    writer.con.execute("BEGIN IMMEDIATE")
    done = threading.Event()

    def read():
        Store.open(data).close()
        done.set()

    threading.Thread(target=read, daemon=True).start()
    assert done.wait(5)
    writer.con.execute("ROLLBACK")
    writer.close()


@pytest.mark.parametrize(
    "args",
    [
        ["search", "tekort"],
        ["documents"],
        ["documents", "--json"],
        ["statements"],
        ["statements", "--json"],
        ["links"],
        ["links", "--json"],
        ["compare"],
        ["compare", "--json"],
        ["eval", "QUERIES"],
        ["eval", "LINKS"],
    ],
)
def test_cli_read_commands_on_a_missing_data_dir(tmp_path, args):
    gold = {
        "QUERIES": '{"id": "q1", "query": "tekort", "relevant": []}\n',
        "LINKS": '{"id": "l1", "recommendation": {"doc": "a", "quote": "x"}, "problems": [], "scope": "same-doc"}\n',
    }
    if args[-1] in gold:
        path = tmp_path / "gold.jsonl"
        path.write_text(gold[args[-1]])
        args = args[:-1] + [str(path)]
    missing = tmp_path / "geen-data"
    result = CliRunner().invoke(main, args + ["--data-dir", str(missing)])
    assert result.exit_code == 1, result.output
    assert "nog geen index" in result.output
    assert not missing.exists()


def test_a_v2_store_that_may_not_be_written_is_refused_in_dutch_and_left_alone(tmp_path, monkeypatch):
    from beleidsbank.index import store_io

    v2 = make_old_copy(build_store(tmp_path / "nu"), tmp_path / "oud", 2)
    before = schema_sql(v2 / schema.DB_NAME)
    # as files the user may only read (root ignores file modes)
    monkeypatch.setattr(store_io.os, "access", lambda path, mode: mode != store_io.os.W_OK)
    with pytest.raises(StoreError, match="ouder formaat \\(schema 2\\).*alleen-lezen"):
        Store.open(v2)
    monkeypatch.undo()
    assert schema_sql(v2 / schema.DB_NAME) == before
    store = Store.open(v2)  # with write access it is upgraded
    assert store.get_meta("schema") == str(schema.SCHEMA_VERSION)
    store.close()
