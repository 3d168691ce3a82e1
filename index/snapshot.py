"""A consistent view of the derived indexes (dense + lexical) for one store generation.

Index files are named after the generation they belong to:
`index/dense-<gen>.faiss` and `index/lexical-<gen>.npz`. `write_indexes` is
called inside the write transaction that creates the generation, before it
commits; `load` is called inside a read transaction and falls back to
rebuilding from SQLite rows when a file is missing or unreadable.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

from . import vectors
from .lexical import LexicalIndex
from .store import Store

log = logging.getLogger(__name__)


@dataclass
class Snapshot:
    generation: int
    dense: object             # faiss.Index
    lexical: LexicalIndex
    rowids: np.ndarray        # all passage rowids, sorted (positions for masks)


def _paths(store: Store, gen: int) -> tuple[Path, Path]:
    return store.index_dir / f"dense-{gen}.faiss", store.index_dir / f"lexical-{gen}.npz"


def build_indexes(store: Store, dim: int, progress: Callable[[str, int, int], None] | None = None):
    """Build both indexes from the rows visible in the current transaction."""
    if progress:
        progress("index", 0, 2)
    ids, vecs = store.all_vectors(dim)
    dense = vectors.build(ids, vecs)
    del ids, vecs    # faiss holds its own copy
    if progress:
        progress("index", 1, 2)
    lex_ids, terms = store.all_terms()
    lexical = LexicalIndex.build(lex_ids, terms)
    if progress:
        progress("index", 2, 2)
    return dense, lexical


def write_indexes(store: Store, gen: int, dim: int, progress=None) -> Snapshot:
    store.index_dir.mkdir(parents=True, exist_ok=True)
    dense, lexical = build_indexes(store, dim, progress)
    dpath, lpath = _paths(store, gen)
    vectors.save(dense, dpath)
    lexical.save(lpath)
    return Snapshot(gen, dense, lexical, np.sort(lexical.rowids))


def prune(store: Store, keep: int) -> None:
    """Remove index files of generations older than `keep` (after commit).

    Newer ones are left alone: they belong to a writer that started after this
    one committed and may be writing them right now (its commit makes them
    current); files of a killed writer are overwritten by the next writer of
    that generation.
    """
    for path in store.index_dir.glob("*-*.*"):
        stem = path.name.split(".")[0]
        try:
            gen = int(stem.rsplit("-", 1)[1])
        except (IndexError, ValueError):
            continue
        if gen < keep:
            path.unlink(missing_ok=True)


def index_rowids(dense) -> np.ndarray:
    """The passage rowids a dense index holds, sorted."""
    import faiss

    return np.sort(faiss.vector_to_array(dense.id_map).astype(np.int64))


def store_rowids(store: Store) -> np.ndarray:
    """All passage rowids visible in the current transaction, sorted."""
    rows = store.con.execute("SELECT rowid FROM passages ORDER BY rowid").fetchall()
    return np.fromiter((r for (r,) in rows), dtype=np.int64, count=len(rows))


def load(store: Store, dim: int) -> Snapshot:
    """Load the indexes of the store's current generation (call inside a read txn)."""
    gen = store.generation()
    dpath, lpath = _paths(store, gen)
    try:
        dense = vectors.load(dpath)
        lexical = LexicalIndex.load(lpath)
        want = store_rowids(store)
        # the exact rowids, not only their number: files left by an earlier
        # history of this generation number must never be served
        if not (np.array_equal(index_rowids(dense), want) and np.array_equal(np.sort(lexical.rowids), want)):
            raise ValueError(f"index files hold {dense.ntotal}/{len(lexical.rowids)} passages "
                             f"that differ from the store's {len(want)}")
    except Exception as exc:  # missing or stale files: rebuild in memory from the rows
        log.info("rebuilding indexes of generation %d from the store: %s", gen, exc)
        dense, lexical = build_indexes(store, dim)
    return Snapshot(gen, dense, lexical, np.sort(lexical.rowids))
