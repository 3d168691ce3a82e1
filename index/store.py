"""The store on disk: documents and passages in SQLite, in the data directory.

SQLite is the source of truth: passage rows carry their embedding (float32
blob) and their stemmed terms, so the FAISS and BM25 indexes are derived files
that can always be rebuilt. Every committed change bumps `generation`; index
files are named after the generation they were built for, and written before
the transaction that makes that generation current commits. A reader that
reads the generation and the rows inside one read transaction (WAL snapshot
isolation) therefore always sees rows and indexes that agree.
"""
from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .relations import SCHEMA as RELATIONS_SCHEMA

SCHEMA_VERSION = "1"

SCHEMA = """
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
"""

PASSAGE_FIELDS = (
    "rowid", "id", "doc_id", "seq", "page", "page_end", "page_label", "section",
    "section_path", "kind", "start", "end", "text", "sentences",
)


class StoreError(Exception):
    """A store that cannot be used as asked (message in Dutch, for users)."""


@dataclass
class DocumentRow:
    id: str
    path: str
    sha256: str
    title: str
    short: str
    publisher: str
    year: int | None
    kind: str
    language: str
    n_pages: int
    ingested_at: str


def connect(db_path: Path) -> sqlite3.Connection:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(str(db_path), timeout=60, isolation_level=None, check_same_thread=False)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA foreign_keys=ON")
    con.executescript(SCHEMA + RELATIONS_SCHEMA)   # CREATE ... IF NOT EXISTS takes no write lock when all exist
    # Only write the meta defaults when they are missing: an INSERT, even one that
    # ignores its row, needs the write lock, and a reader opening the store must
    # not wait for (or time out on) an ingest that holds it.
    have = {k for (k,) in con.execute("SELECT key FROM meta WHERE key IN ('schema', 'generation')")}
    if "schema" not in have:
        con.execute("INSERT OR IGNORE INTO meta VALUES('schema', ?)", (SCHEMA_VERSION,))
    if "generation" not in have:
        con.execute("INSERT OR IGNORE INTO meta VALUES('generation', '0')")
    return con


class Store:
    """SQLite access. Use `with store.write() as con:` for a write transaction."""

    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir)
        self.db_path = self.data_dir / "beleidsbank.sqlite"
        self.index_dir = self.data_dir / "index"
        self.con = connect(self.db_path)

    def close(self) -> None:
        self.con.close()

    # -- transactions ------------------------------------------------------
    def write(self):
        return _Txn(self.con, "BEGIN IMMEDIATE")

    def read(self):
        return _Txn(self.con, "BEGIN")

    # -- meta --------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES(?, ?)", (key, value))

    def generation(self) -> int:
        return int(self.get_meta("generation", "0"))

    # -- documents ---------------------------------------------------------
    def documents(self) -> list[DocumentRow]:
        rows = self.con.execute(
            "SELECT id, path, sha256, title, short, publisher, year, kind, language, n_pages, ingested_at "
            "FROM documents ORDER BY id"
        ).fetchall()
        return [DocumentRow(*r) for r in rows]

    def document(self, doc_id: str) -> DocumentRow | None:
        return next((d for d in self.documents() if d.id == doc_id), None)

    def document_by_hash(self, sha256: str) -> DocumentRow | None:
        row = self.con.execute(
            "SELECT id, path, sha256, title, short, publisher, year, kind, language, n_pages, ingested_at "
            "FROM documents WHERE sha256=?", (sha256,)
        ).fetchone()
        return DocumentRow(*row) if row else None

    def document_text(self, doc_id: str) -> str:
        row = self.con.execute("SELECT text FROM documents WHERE id=?", (doc_id,)).fetchone()
        return row[0] if row else ""

    def put_document(self, parsed, vectors: np.ndarray, terms: list[str]) -> None:
        """Insert or replace one parsed document with its passages (inside a write txn)."""
        meta = parsed.meta
        doc = parsed.doc
        self.delete_document(meta.id)
        labels = sorted({(p.page, p.page_label) for p in doc.passages})
        self.con.execute(
            "INSERT INTO documents VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (meta.id, parsed.path, parsed.sha256, meta.title, meta.short or meta.title[:60],
             meta.publisher, meta.year, meta.kind, meta.language, parsed.n_pages, doc.text,
             json.dumps(labels), time.strftime("%Y-%m-%dT%H:%M:%S")),
        )
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.con.executemany(
            "INSERT INTO passages(id, doc_id, seq, page, page_end, page_label, section, section_path, "
            "kind, start, end, text, sentences, terms, vector) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (   # a generator, not a list: rows are made one at a time (bounded memory on huge documents)
                (passage_id(meta.id, p.seq), meta.id, p.seq, p.page, p.page_end, p.page_label,
                 p.section, p.section_path, p.kind, p.start, p.end, p.text,
                 json.dumps(p.sentences), terms[i], vectors[i].tobytes())
                for i, p in enumerate(doc.passages)
            ),
        )

    def delete_document(self, doc_id: str) -> bool:
        self.con.execute("DELETE FROM passages WHERE doc_id=?", (doc_id,))
        cur = self.con.execute("DELETE FROM documents WHERE id=?", (doc_id,))
        return cur.rowcount > 0

    def bump_generation(self) -> int:
        gen = self.generation() + 1
        self.set_meta("generation", str(gen))
        return gen

    # -- passages ----------------------------------------------------------
    def passages(self, rowids: list[int]) -> dict[int, dict]:
        if not rowids:
            return {}
        out = {}
        cols = ", ".join(f"p.{f}" if f != "rowid" else "p.rowid" for f in PASSAGE_FIELDS)
        for i in range(0, len(rowids), 500):
            chunk = [int(r) for r in rowids[i:i + 500]]
            marks = ",".join("?" * len(chunk))
            for row in self.con.execute(
                f"SELECT {cols}, d.title, d.short, d.publisher, d.year FROM passages p "
                f"JOIN documents d ON d.id = p.doc_id WHERE p.rowid IN ({marks})", chunk
            ):
                rec = dict(zip(PASSAGE_FIELDS + ("title", "short", "publisher", "year"), row))
                rec["sentences"] = json.loads(rec["sentences"])
                out[rec["rowid"]] = rec
        return out

    def all_vectors(self, dim: int) -> tuple[np.ndarray, np.ndarray]:
        """(rowids, vectors) of every passage, in rowid order."""
        n = self.con.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
        ids = np.empty(n, dtype=np.int64)
        vecs = np.empty((n, dim), dtype=np.float32)
        for i, (rowid, blob) in enumerate(self.con.execute("SELECT rowid, vector FROM passages ORDER BY rowid")):
            ids[i] = rowid
            vecs[i] = np.frombuffer(blob, dtype=np.float32)
        return ids, vecs

    def all_terms(self) -> tuple[np.ndarray, list[str]]:
        rows = self.con.execute("SELECT rowid, terms FROM passages ORDER BY rowid").fetchall()
        return np.array([r[0] for r in rows], dtype=np.int64), [r[1] for r in rows]

    def passage_filter(self, doc: list[str] | None, publisher: list[str] | None,
                       year: list[int] | None, kind: list[str] | None = None) -> set[int] | None:
        """Rowids allowed by the filters, or None when no filter is set. `kind`
        (recommendation, problem) keeps passages that hold a statement of that kind."""
        clauses, args = [], []
        if kind:
            clauses.append(f"p.id IN (SELECT passage_id FROM statements WHERE kind IN ({','.join('?' * len(kind))}))")
            args.extend(kind)
        for col, values in (("d.id", doc), ("d.publisher", publisher), ("d.year", year)):
            if values:
                if col == "d.publisher":
                    clauses.append("(" + " OR ".join("d.publisher LIKE ?" for _ in values) + ")")
                    args.extend(f"%{v}%" for v in values)
                else:
                    clauses.append(f"{col} IN ({','.join('?' * len(values))})")
                    args.extend(values)
        if not clauses:
            return None
        sql = "SELECT p.rowid FROM passages p JOIN documents d ON d.id=p.doc_id WHERE " + " AND ".join(clauses)
        return {r[0] for r in self.con.execute(sql, args)}


def passage_id(doc_id: str, seq: int) -> str:
    return f"{doc_id}:{seq:04d}"


class _Txn:
    def __init__(self, con: sqlite3.Connection, begin: str):
        self.con, self.begin = con, begin

    def __enter__(self):
        self.con.execute(self.begin)
        return self.con

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            self.con.execute("COMMIT")
        else:
            self.con.execute("ROLLBACK")
        return False
