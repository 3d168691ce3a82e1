"""A consistent view of the derived indexes (dense + lexical) for one store generation.

Index files are named after the generation they belong to. A generation is
served either by full files, `index/dense-<gen>.faiss` and
`index/lexical-<gen>.npz`, or by the full files of an earlier generation (its
*base*) plus `index/delta-<gen>.npz`: the passages added since the base (rowids,
vectors, term counts) and the base passages deleted since. The store's meta
key `index_base` says which, and is committed in the same transaction as the
generation, so a reader never combines files of different histories.

`write_indexes` is called inside the write transaction that creates the
generation, before it commits. It writes a delta when the store holds at least
`delta_min_base` passages and the change since the base is at most
`delta_max_fraction` of it (Settings); otherwise it rebuilds both indexes (which also
picks the dense index type for the new size). So adding one document to a
million passages writes a file of that document's size instead of the whole index, and
readers reuse the base they already hold. `load` is called inside a read
transaction and falls back to rebuilding from SQLite rows when a file is
missing, unreadable or holds other passages than the store.

A write that fails (a full disk) removes the files it made for the new generation: no
reader can use them (the generation never commits), and the disk gets its room back. The
files of the current generation are never touched, so the previous index stays usable.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from beleidsbank.settings import Settings

from . import vectors
from .lexical import LexicalIndex
from .postings import read_segment, save_npz, segment_arrays
from .store import Store

log = logging.getLogger(__name__)

CHUNK = 50_000  # rows read from SQLite at a time while building


@dataclass
class Snapshot:
    generation: int
    dense: object  # faiss.Index, or vectors.DenseIndex (base + delta)
    lexical: LexicalIndex
    rowids: np.ndarray  # all passage rowids, sorted
    base: int | None = None  # generation of the base files, when served from base + delta


def _paths(store: Store, gen: int) -> tuple[Path, Path]:
    return store.index_dir / f"dense-{gen}.faiss", store.index_dir / f"lexical-{gen}.npz"


def _delta_path(store: Store, gen: int) -> Path:
    return store.index_dir / f"delta-{gen}.npz"


def _vector_chunks(store: Store, dim: int, rowids: np.ndarray):
    for i in range(0, len(rowids), CHUNK):
        lo, hi = int(rowids[i]), int(rowids[min(i + CHUNK, len(rowids)) - 1])
        yield store.vectors_between(lo, hi, dim)


def build_indexes(
    store: Store, dim: int, progress: Callable[[str, int, int], None] | None = None, kind: str | None = None
):
    """Build both indexes from the rows visible in the current transaction.

    Vectors and terms are streamed from SQLite in chunks: the only full copy
    of the vectors is the one FAISS holds.
    """
    if progress:
        progress("index", 0, 2)
    ids = store_rowids(store)
    rng = np.random.default_rng(0)
    dense = vectors.build_streaming(
        len(ids),
        dim,
        _vector_chunks(store, dim, ids),
        sample=lambda m: store.vectors_of(np.sort(rng.choice(ids, m, replace=False)), dim),
        kind=kind,
    )
    if progress:
        progress("index", 1, 2)
    lexical = LexicalIndex.build(ids, store.iter_terms())
    if progress:
        progress("index", 2, 2)
    return dense, lexical


def write_indexes(
    store: Store,
    gen: int,
    dim: int,
    progress=None,
    rebuild: bool = False,
    *,
    delta_min_base: int = Settings.delta_min_base,
    delta_max_fraction: float = Settings.delta_max_fraction,
    event: Callable[[str], None] | None = None,
) -> Snapshot:
    """Write the index files of generation `gen` (inside its write transaction, before commit).

    A delta on the current base when that is allowed (see the module's doc), full files when
    not or when `rebuild` is set. On failure the files of `gen` are removed again. `event(name)`
    is called after each file is written (the kill test stops the process there).
    """
    # files of a generation that does not commit are of no use to anyone: they go with it
    store.on_rollback.append(lambda: remove_generation(store, gen))
    try:
        return _write_indexes(
            store, gen, dim, progress, rebuild, delta_min_base, delta_max_fraction, event or (lambda name: None)
        )
    except BaseException:
        remove_generation(store, gen)
        raise


def remove_generation(store: Store, gen: int) -> None:
    """Remove the index files (and temporary files) of generation `gen`, which is not committed."""
    dense, lexical = _paths(store, gen)
    for path in (dense, lexical, _delta_path(store, gen)):
        for p in (path, path.with_name(path.name + ".tmp")):
            try:
                p.unlink(missing_ok=True)
            except OSError as exc:
                log.warning("could not remove %s: %s", p.name, exc)


def _write_indexes(store, gen, dim, progress, rebuild, delta_min_base, delta_max_fraction, event) -> Snapshot:
    store.index_dir.mkdir(parents=True, exist_ok=True)
    want = store_rowids(store)
    base = None if rebuild else _delta_base(store, want, delta_min_base, delta_max_fraction)
    if base is not None:
        b, base_ids = base
        added = np.setdiff1d(want, base_ids, assume_unique=True)
        deleted = np.setdiff1d(base_ids, want, assume_unique=True)
        if progress:
            progress("index", 0, 1)
        add_vecs = store.vectors_of(added, dim)
        delta_lex = LexicalIndex.build(added, store.terms_of(added))
        _save_delta(_delta_path(store, gen), b, added, add_vecs, deleted, delta_lex)
        event("delta-written")
        store.set_meta("index_base", str(b))
        if progress:
            progress("index", 1, 1)
        return Snapshot(gen, None, None, want, base=b)
    dense, lexical = build_indexes(store, dim, progress)
    dpath, lpath = _paths(store, gen)
    vectors.save(dense, dpath)
    event("dense-written")
    lexical.save(lpath)
    event("lexical-written")
    _delta_path(store, gen).unlink(missing_ok=True)  # a killed writer's delta of this generation
    store.set_meta("index_base", str(gen))
    return Snapshot(gen, dense, lexical, want, base=None)


def _delta_base(store: Store, want: np.ndarray, min_base: int, max_fraction: float):
    """(base generation, its rowids) when this generation can be written as a delta, else None."""
    if len(want) < min_base:
        return None
    b = store.get_meta("index_base")
    if b is None:
        return None
    b = int(b)
    dpath, lpath = _paths(store, b)
    if not dpath.exists():
        return None
    try:
        with np.load(lpath) as z:
            base_ids = np.sort(z["rowids"])
    except Exception:
        return None
    changed = len(np.setxor1d(want, base_ids, assume_unique=True))
    if changed > max_fraction * len(base_ids):
        return None
    return b, base_ids


def _save_delta(path: Path, base: int, added, add_vecs, deleted, lex: LexicalIndex) -> None:
    save_npz(
        path,
        base=np.array([base]),
        added=added,
        vectors=add_vecs,
        deleted=deleted,
        lengths=lex.lengths,
        **segment_arrays(lex.segments[0]),
    )


def _load_delta(path: Path):
    with np.load(path) as z:
        lex = LexicalIndex([read_segment(z, z["lengths"])], z["added"], z["lengths"])
        return int(z["base"][0]), z["added"], z["vectors"], z["deleted"], lex


def prune(store: Store, keep: int) -> None:
    """Remove index files of generations older than `keep` (after commit), except its base.

    Newer ones are left alone: they belong to a writer that started after this
    one committed and may be writing them right now (its commit makes them
    current); files of a killed writer are overwritten by the next writer of
    that generation.
    """
    base = int(store.get_meta("index_base", str(keep)))
    for path in store.index_dir.glob("*-*.*"):
        stem = path.name.split(".")[0]
        kind, _, num = stem.rpartition("-")
        try:
            gen = int(num)
        except ValueError:
            continue
        if gen < keep and not (gen == base and kind in ("dense", "lexical")):
            path.unlink(missing_ok=True)


def index_rowids(dense) -> np.ndarray:
    """The passage rowids a dense index holds, sorted."""
    return vectors.index_ids(dense)


def store_rowids(store: Store) -> np.ndarray:
    """All passage rowids visible in the current transaction, sorted."""
    return store.passage_rowids()


# Bases loaded by this process, shared by the snapshots that use them: a reader
# that moves to a generation with the same base loads only the delta.
_bases: weakref.WeakValueDictionary[tuple, _Base] = weakref.WeakValueDictionary()
_bases_lock = threading.Lock()


class _Base:
    def __init__(self, dense, lexical):
        self.dense, self.lexical = dense, lexical


def _load_base(store: Store, gen: int) -> _Base:
    dpath, lpath = _paths(store, gen)
    key = (str(dpath.resolve()), dpath.stat().st_mtime_ns, lpath.stat().st_mtime_ns)
    with _bases_lock:
        base = _bases.get(key)
        if base is None:
            base = _Base(vectors.load(dpath), LexicalIndex.load(lpath))
            _bases[key] = base
        return base


def load_files(store: Store, gen: int, base: int):
    """(dense, lexical, shared base) from the files of generation `gen` served from `base`; raises when unusable."""
    shared = _load_base(store, base)
    if base == gen:
        return shared.dense, shared.lexical, shared
    d_base, added, add_vecs, deleted, delta_lex = _load_delta(_delta_path(store, gen))
    if d_base != base:
        raise ValueError(f"delta of generation {gen} is for base {d_base}, not {base}")
    dense = vectors.DenseIndex(shared.dense, deleted, added, add_vecs)
    lexical = LexicalIndex.combine(shared.lexical, delta_lex, deleted)
    return dense, lexical, shared


def load(store: Store, dim: int) -> Snapshot:
    """Load the indexes of the store's current generation (call inside a read txn)."""
    gen = store.generation()
    b = int(store.get_meta("index_base", str(gen)))
    want = store_rowids(store)
    try:
        dense, lexical, holder = load_files(store, gen, b)
        # the exact rowids, not only their number: files left by an earlier
        # history of this generation number must never be served
        if not (np.array_equal(index_rowids(dense), want) and np.array_equal(lexical.live_rowids(), want)):
            raise ValueError(
                f"index files hold {dense.ntotal}/{lexical.n_live} passages that differ from the store's {len(want)}"
            )
    except Exception as exc:  # missing or stale files: rebuild in memory from the rows
        log.info("rebuilding indexes of generation %d from the store: %s", gen, exc)
        dense, lexical = build_indexes(store, dim)
        b, holder = gen, None
    snap = Snapshot(gen, dense, lexical, want, base=b if b != gen else None)
    snap._base_ref = holder  # keeps a shared base alive as long as this snapshot
    return snap
