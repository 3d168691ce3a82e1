"""The store on disk: documents, passages, statements, links and themes in SQLite.

All SQL of beleidsbank lives here (tables in schema.py, version upgrades in
migrations.py, statement/link/theme, page and metadata-correction methods in
store_relations.py, mixins of `Store`); every method returns frozen dataclasses
(records.py).

SQLite is the source of truth: passage rows carry their embedding (float32
blob) and their stemmed terms, so the FAISS and BM25 indexes are derived files
that can always be rebuilt. Every committed change bumps `generation`; index
files are named after the generation they were built for, and written before
the transaction that makes that generation current commits. A reader that
reads the generation and the rows inside one read transaction (WAL snapshot
isolation) therefore always sees rows and indexes that agree.

`Store.open` is for reading: it never creates a file or folder, and opens a data
directory this process may not write read-only (store_io.py). `Store.open(..., write=True)`
and `Store.create` are for writing (ingest, remove, corrections): `create` makes the store
or upgrades an old one; both refuse a read-only directory with `ReadOnlyError`. Full disks,
read-only files and held locks reach callers as the Dutch errors of store_io.py.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import numpy as np

from . import migrations, schema
from .access import doc_filter, seen
from .migrations import NoIndexError, StoreError
from .records import (
    Document,
    Evidence,
    Link,
    Linkable,
    LinkedProblem,
    MetaOverride,
    PageVerdict,
    Passage,
    RecommendationLinks,
    Statement,
    Theme,
)
from .schema import DB_NAME, SCHEMA_VERSION, chunks, marks, passage_id, passage_record, statement_id
from .store_accounts import AccountsStore
from .store_io import (
    DiskFullError,
    LockedError,
    OnWait,
    ReadOnlyError,
    Txn,
    connect,
    connect_read_only,
    ingest_lock,
    translate,
    writable,
)
from .store_relations import PagesStore, RelationsStore, passage_verdicts
from .store_reviews import ReviewsStore
from .store_themes import ThemesStore

__all__ = [
    "Store",
    "StoreError",
    "NoIndexError",
    "DiskFullError",
    "ReadOnlyError",
    "LockedError",
    "Document",
    "Passage",
    "Statement",
    "Evidence",
    "Link",
    "LinkedProblem",
    "RecommendationLinks",
    "Theme",
    "Linkable",
    "MetaOverride",
    "PageVerdict",
    "passage_id",
    "statement_id",
    "SCHEMA_VERSION",
]


WRITE_WAIT = 60.0  # seconds a statement waits for another writer's lock, unless the caller says otherwise


class Store(RelationsStore, PagesStore, ReviewsStore, AccountsStore, ThemesStore):
    """SQLite access. Use `with store.write():` for a write transaction, `with store.read():`
    for a consistent read of several queries. Statement, link and theme methods come from
    `RelationsStore`, page and metadata-correction methods from `PagesStore` (both
    store_relations.py), users' reviews from `ReviewsStore` (store_reviews.py), accounts,
    collections and list shares from `AccountsStore` (store_accounts.py), theme edits from
    `ThemesStore` (store_themes.py)."""

    def __init__(self, data_dir: Path, con: sqlite3.Connection, read_only: bool = False):
        """Use `Store.open` (reading) or `Store.create` (writing); they check the schema."""
        self.data_dir = Path(data_dir)
        self.db_path = self.data_dir / DB_NAME
        self.index_dir = self.data_dir / "index"
        self.con = con
        self.read_only = read_only  # opened read-only: the data directory may not be written
        self._held = ExitStack()  # the ingest lock, when taken; released by close
        self.on_rollback: list = []  # what to undo when the current write transaction does not commit

    @classmethod
    def open(cls, data_dir: Path, write: bool = False, wait: float = WRITE_WAIT) -> Store:
        """The store in `data_dir`, for reading, or with `write` for writing (`wait`: seconds a
        write waits for another writer). Creates nothing: NoIndexError when there is no store. A
        directory this process may not write is opened read-only (ReadOnlyError with `write`);
        an older schema is upgraded when it may be (StoreError when that cannot be done now),
        a newer one refused."""
        data_dir = Path(data_dir)
        if not (data_dir / DB_NAME).is_file():
            raise NoIndexError(data_dir)
        read_only = not writable(data_dir)
        if read_only and write:
            raise ReadOnlyError(data_dir)
        try:
            con = (
                connect_read_only(data_dir / DB_NAME, data_dir)
                if read_only
                else connect(data_dir / DB_NAME, False, wait)
            )
        except sqlite3.Error as exc:
            better = translate(exc, data_dir)
            if better is not exc:
                raise better from exc
            raise StoreError(f"De index in {data_dir} kan niet worden geopend: {exc}.") from exc
        return cls._checked(data_dir, con, reader=not write, read_only=read_only)

    @classmethod
    def create(cls, data_dir: Path, wait: float = WRITE_WAIT) -> Store:
        """The store in `data_dir`, for writing: created when missing, upgraded when older."""
        data_dir = Path(data_dir)
        if data_dir.exists() and not writable(data_dir):
            raise ReadOnlyError(data_dir)
        try:
            data_dir.mkdir(parents=True, exist_ok=True)
            con = connect(data_dir / DB_NAME, True, wait)
        except (OSError, sqlite3.Error) as exc:
            better = translate(exc, data_dir)
            if better is not exc:
                raise better from exc
            raise StoreError(f"De index in {data_dir} kan niet worden gemaakt of geopend: {exc}.") from exc
        return cls._checked(data_dir, con, reader=False)

    @classmethod
    def _checked(cls, data_dir: Path, con: sqlite3.Connection, reader: bool, read_only: bool = False) -> Store:
        try:
            version = migrations.stored_version(con)
            if version is None and reader:
                raise NoIndexError(data_dir)
            if version is None:
                migrations.initialize(con, data_dir)
            elif read_only and version < SCHEMA_VERSION:
                raise StoreError(
                    f"De index in {data_dir} heeft een ouder formaat (schema {version}) en moet worden "
                    f"bijgewerkt, maar de datamap is alleen-lezen. Open hem één keer met schrijfrechten "
                    f"(bijvoorbeeld met beleidsbank ingest)."
                )
            else:
                migrations.upgrade(con, version, data_dir, reader=reader)
        except sqlite3.DatabaseError as exc:
            con.close()
            better = translate(exc, data_dir)
            if better is not exc:
                raise better from exc
            raise StoreError(f"De index in {data_dir} kan niet worden gelezen: {exc}.") from exc
        except BaseException:
            con.close()
            raise
        return cls(data_dir, con, read_only)

    def close(self) -> None:
        self._held.close()
        self.con.close()

    def hold_ingest_lock(self, wait: float, on_wait: OnWait | None = None) -> None:
        """Take the data directory's ingest lock until `close` (another ingest waits for it, at
        most `wait` seconds, then LockedError)."""
        self._held.enter_context(ingest_lock(self.data_dir, wait, on_wait))

    # -- transactions ------------------------------------------------------
    def write(self, wait: float = WRITE_WAIT, on_wait: OnWait | None = None) -> Txn:
        """A write transaction. With `on_wait`, it is called about every second while another
        writer holds the lock; after `wait` seconds the transaction gives up with LockedError.
        A full disk or a read-only directory ends it as DiskFullError or ReadOnlyError."""
        if self.read_only:
            raise ReadOnlyError(self.data_dir)
        return Txn(self.con, "BEGIN IMMEDIATE", self.data_dir, wait, on_wait, self.on_rollback)

    def read(self) -> Txn:
        return Txn(self.con, "BEGIN", self.data_dir)

    def can_write_now(self, wait: float, on_wait: OnWait | None = None) -> None:
        """Take the write lock and let it go at once: LockedError when another writer holds it
        longer than `wait` seconds. For a check before expensive work."""
        with self.write(wait, on_wait):
            pass

    # -- meta --------------------------------------------------------------
    def get_meta(self, key: str, default: str | None = None) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES(?, ?)", (key, value))

    def generation(self) -> int:
        return int(self.get_meta("generation", "0"))

    def bump_generation(self) -> int:
        gen = self.generation() + 1
        self.set_meta("generation", str(gen))
        return gen

    # -- documents ---------------------------------------------------------
    def documents(self, visible: frozenset[str] | None = None) -> list[Document]:
        rows = self.con.execute(schema.DOCUMENT_SELECT + " ORDER BY id")
        return [Document(*r) for r in rows if seen(visible, r[0])]

    def document(self, doc_id: str, visible: frozenset[str] | None = None) -> Document | None:
        row = self.con.execute(schema.DOCUMENT_SELECT + " WHERE id=?", (doc_id,)).fetchone()
        return Document(*row) if row and seen(visible, doc_id) else None

    def document_text(self, doc_id: str) -> str:
        row = self.con.execute("SELECT text FROM documents WHERE id=?", (doc_id,)).fetchone()
        return row[0] if row else ""

    def passage_counts(self, visible: frozenset[str] | None = None) -> dict[str, int]:
        """Passages per document id (documents without passages, or outside `visible`, are left out)."""
        rows = self.con.execute("SELECT doc_id, COUNT(*) FROM passages GROUP BY doc_id").fetchall()
        return {d: n for d, n in rows if seen(visible, d)}

    def put_document(self, parsed, vectors: np.ndarray, terms: list[str]) -> None:
        """Insert or replace one parsed document with its passages and pages (inside a write txn);
        a recorded metadata correction of the document is laid over the parsed values."""
        meta = parsed.meta
        doc = parsed.doc
        pages = getattr(parsed, "pages", None) or []
        verdicts = passage_verdicts(pages, doc.passages)
        self.delete_document(meta.id, keep_corrections=True)
        labels = sorted({(p.page, p.page_label) for p in doc.passages})
        self.con.execute(
            "INSERT INTO documents VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                meta.id,
                parsed.path,
                parsed.sha256,
                meta.title,
                meta.short or meta.title[:60],
                meta.publisher,
                meta.year,
                meta.kind,
                meta.language,
                parsed.n_pages,
                doc.text,
                json.dumps(labels),
                time.strftime("%Y-%m-%dT%H:%M:%S"),
            ),
        )
        vectors = np.ascontiguousarray(vectors, dtype=np.float32)
        self.con.executemany(
            "INSERT INTO passages(id, doc_id, seq, page, page_end, page_label, section, section_path, "
            "kind, start, end, text, sentences, terms, vector, ocr, quality) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (  # a generator, not a list: rows are made one at a time (bounded memory on huge documents)
                (
                    passage_id(meta.id, p.seq),
                    meta.id,
                    p.seq,
                    p.page,
                    p.page_end,
                    p.page_label,
                    p.section,
                    p.section_path,
                    p.kind,
                    p.start,
                    p.end,
                    p.text,
                    json.dumps(p.sentences),
                    terms[i],
                    vectors[i].tobytes(),
                    int(verdicts[i][0]),
                    verdicts[i][1],
                )
                for i, p in enumerate(doc.passages)
            ),
        )
        self.put_pages(meta.id, pages)
        self.apply_meta_override(meta.id)

    def delete_document(self, doc_id: str, keep_corrections: bool = False) -> bool:
        """Delete a document with its passages and pages; its metadata correction too, unless
        `keep_corrections` (a document being replaced keeps it)."""
        if not keep_corrections:
            self.delete_meta_override(doc_id)
        self.con.execute("DELETE FROM pages WHERE doc_id=?", (doc_id,))
        self.con.execute("DELETE FROM passages WHERE doc_id=?", (doc_id,))
        cur = self.con.execute("DELETE FROM documents WHERE id=?", (doc_id,))
        return cur.rowcount > 0

    # -- passages ----------------------------------------------------------
    def passages(self, rowids: list[int]) -> dict[int, Passage]:
        """Passages by rowid (with their document's citation fields); unknown rowids are left out."""
        out = {}
        for chunk in chunks([int(r) for r in rowids]):
            for row in self.con.execute(f"{schema.PASSAGE_SELECT} WHERE p.rowid IN ({marks(chunk)})", chunk):
                p = passage_record(row)
                out[p.rowid] = p
        return out

    def document_passages(self, doc_id: str, visible: frozenset[str] | None = None) -> list[Passage]:
        """One document's passages in reading order (none when it is outside `visible`)."""
        if not seen(visible, doc_id):
            return []
        return [
            passage_record(r)
            for r in self.con.execute(f"{schema.PASSAGE_SELECT} WHERE p.doc_id=? ORDER BY p.seq", (doc_id,))
        ]

    def passage_count(self) -> int:
        return self.con.execute("SELECT COUNT(*) FROM passages").fetchone()[0]

    def passage_rowids(self) -> np.ndarray:
        """All passage rowids visible in the current transaction, sorted."""
        # through the (doc_id, seq) index, which holds every rowid: a scan of it reads a few MB
        # where a scan of the table would read every passage row (GBs at a million passages)
        rows = self.con.execute("SELECT rowid FROM passages INDEXED BY passages_doc").fetchall()
        return np.sort(np.fromiter((r for (r,) in rows), dtype=np.int64, count=len(rows)))

    def vectors_between(self, lo: int, hi: int, dim: int) -> tuple[np.ndarray, np.ndarray]:
        """(rowids, vectors) of the passages with lo <= rowid <= hi, in rowid order."""
        rows = self.con.execute(
            "SELECT rowid, vector FROM passages WHERE rowid BETWEEN ? AND ? ORDER BY rowid", (lo, hi)
        ).fetchall()
        ids = np.fromiter((r for r, _ in rows), dtype=np.int64, count=len(rows))
        vecs = np.empty((len(rows), dim), dtype=np.float32)
        for j, (_, blob) in enumerate(rows):
            vecs[j] = np.frombuffer(blob, dtype=np.float32)
        return ids, vecs

    def vectors_of(self, rowids, dim: int) -> np.ndarray:
        """The vectors of the given passage rowids, in that order."""
        out = np.empty((len(rowids), dim), dtype=np.float32)
        pos = {int(r): i for i, r in enumerate(rowids)}
        for chunk in chunks([int(r) for r in rowids]):
            for rowid, blob in self.con.execute(
                f"SELECT rowid, vector FROM passages WHERE rowid IN ({marks(chunk)})", chunk
            ):
                out[pos[rowid]] = np.frombuffer(blob, dtype=np.float32)
        return out

    def terms_of(self, rowids) -> Iterator[str]:
        """Stored feature strings of the given rowids, in that order, streamed."""
        for chunk in chunks([int(r) for r in rowids]):
            got = dict(self.con.execute(f"SELECT rowid, terms FROM passages WHERE rowid IN ({marks(chunk)})", chunk))
            for r in chunk:
                yield got[r]

    def iter_terms(self) -> Iterator[str]:
        """Stored feature strings of every passage, in rowid order, streamed."""
        for (terms,) in self.con.execute("SELECT terms FROM passages ORDER BY rowid"):
            yield terms

    def passage_filter(
        self, doc: list[str] | None, publisher: list[str] | None, year: list[int] | None, kind=None, visible=None
    ) -> set[int] | None:
        """Rowids allowed by the filters, or None when no filter is set. `kind`
        (recommendation, problem) keeps passages that hold a statement of that kind; `visible` (the
        ids a viewer may see; empty: none) narrows the document filter: where search and find restrict."""
        doc = doc_filter(doc, visible)
        if doc == []:
            return set()
        clauses, args = [], []
        if kind:
            clauses.append(f"p.id IN (SELECT passage_id FROM statements WHERE kind IN ({marks(kind)}))")
            args.extend(kind)
        for col, values in (("d.id", doc), ("d.publisher", publisher), ("d.year", year)):
            if values:
                if col == "d.publisher":
                    # a part of the name: % and _ in it are letters, not LIKE wildcards
                    clauses.append("(" + " OR ".join("d.publisher LIKE ? ESCAPE '\\'" for _ in values) + ")")
                    args.extend("%" + re.sub(r"([\\%_])", r"\\\1", v) + "%" for v in values)
                else:
                    clauses.append(f"{col} IN ({marks(values)})")
                    args.extend(values)
        if not clauses:
            return None
        sql = "SELECT p.rowid FROM passages p JOIN documents d ON d.id=p.doc_id WHERE " + " AND ".join(clauses)
        return {r[0] for r in self.con.execute(sql, args)}
