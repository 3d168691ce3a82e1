"""Stores as older code wrote them: the version-1 tables, verbatim, and version 2 (version 1
plus an index on statements(passage_id)).

Used by tests/test_migrations.py to check that such a data directory still opens (and is
upgraded). `make_v1_copy` (`make_old_copy`) copies a current store's rows into a fresh
version-1 (or version-2) database, so the two hold the same data and can be searched side by side.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

# index/store.py SCHEMA + index/relations.py SCHEMA at schema version "1"
V1_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents(
    id TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    title TEXT NOT NULL,
    short TEXT NOT NULL,
    publisher TEXT NOT NULL,
    year INTEGER,
    kind TEXT NOT NULL,
    language TEXT NOT NULL,
    n_pages INTEGER NOT NULL,
    text TEXT NOT NULL,
    page_labels TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS passages(
    rowid INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    page INTEGER NOT NULL,
    page_end INTEGER NOT NULL,
    page_label TEXT NOT NULL,
    section TEXT NOT NULL,
    section_path TEXT NOT NULL,
    kind TEXT NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    sentences TEXT NOT NULL,
    terms TEXT NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id, seq);

CREATE TABLE IF NOT EXISTS statements(
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    page INTEGER NOT NULL,
    page_label TEXT NOT NULL,
    section TEXT NOT NULL,
    section_path TEXT NOT NULL,
    passage_id TEXT,
    kind TEXT NOT NULL,
    confidence REAL NOT NULL,
    cue TEXT NOT NULL,
    unit TEXT NOT NULL,
    text TEXT NOT NULL,
    theme INTEGER,
    vector BLOB
);
CREATE INDEX IF NOT EXISTS statements_doc ON statements(doc_id, seq);
CREATE INDEX IF NOT EXISTS statements_kind ON statements(kind);
CREATE TABLE IF NOT EXISTS links(
    rec_id TEXT NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    prob_id TEXT NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    rank INTEGER NOT NULL,
    score REAL NOT NULL,
    scope TEXT NOT NULL,
    evidence TEXT NOT NULL,
    PRIMARY KEY(rec_id, prob_id)
);
CREATE TABLE IF NOT EXISTS themes(id INTEGER PRIMARY KEY, label TEXT NOT NULL, terms TEXT NOT NULL, \
size INTEGER NOT NULL);
"""

# index/schema.py at schema version "2"
V2_SCHEMA = V1_SCHEMA + "CREATE INDEX IF NOT EXISTS statements_passage ON statements(passage_id);\n"

TABLES = ("meta", "documents", "passages", "statements", "links", "themes")


def make_v1_copy(source: Path, target: Path) -> Path:
    """A version-1 data directory at `target` holding the rows and index files of `source`."""
    return make_old_copy(source, target, 1)


def make_old_copy(source: Path, target: Path, version: int) -> Path:
    """A data directory of schema `version` (1 or 2) at `target` holding the rows and index files
    of `source`; columns and tables the old version lacked are left out."""
    target.mkdir(parents=True)
    con = sqlite3.connect(str(target / "beleidsbank.sqlite"), isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.executescript({1: V1_SCHEMA, 2: V2_SCHEMA}[version])
    con.execute("ATTACH DATABASE ? AS src", (str(source / "beleidsbank.sqlite"),))
    con.execute("BEGIN")
    for table in TABLES:
        cols = [r[1] for r in con.execute(f"PRAGMA main.table_info({table})")]
        names = ", ".join(cols)
        con.execute(f"INSERT INTO main.{table}({names}) SELECT {names} FROM src.{table}")
    con.execute("UPDATE main.meta SET value=? WHERE key='schema'", (str(version),))
    con.execute("COMMIT")
    con.execute("DETACH DATABASE src")
    con.close()
    if (source / "index").exists():
        shutil.copytree(source / "index", target / "index")
    return target


def schema_sql(db: Path) -> dict[str, str]:
    """name -> CREATE statement of every table and index of a database."""
    con = sqlite3.connect(str(db))
    try:
        return {name: sql for name, sql in con.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL")}
    finally:
        con.close()
