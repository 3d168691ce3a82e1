"""Dense retrieval: a FAISS inner-product index over normalised passage vectors.

The index type follows the collection size (figures: docs/decisions.md, "Dense index type"):

- below `APPROX_THRESHOLD` vectors: exact search (`IndexFlatIP`), recall 1;
- from there on: an inverted file over `nlist` k-means cells with vectors
  stored as float16 (`IVF<nlist>,SQfp16`), probing max(512, nlist/8) cells per query.
  It builds in a fraction of HNSW's time on two cores, takes half the memory
  of float32 storage, and supports adding and removing ids without a rebuild.

Ids are the passage rowids of the store, so hits map straight back to SQLite
rows. `DenseIndex` serves a base index plus the small delta of later
generations (added vectors searched exactly, deleted ids masked out), see
snapshot.py.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from pathlib import Path

import faiss
import numpy as np

from .files import write_atomically

APPROX_THRESHOLD = 100_000  # exact search below this many vectors
MIN_NPROBE = 512  # cells probed per query (IVF): max(MIN_NPROBE, nlist / NPROBE_DIVISOR)
NPROBE_DIVISOR = 8
TRAIN_PER_CELL = 40  # k-means training vectors per cell
HNSW_M = 32  # only when kind="hnsw" is asked for (benchmarks)
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128
EXACT_FILTER_MAX = 20_000  # filtered searches over at most this many ids are exact


def choose_kind(n: int) -> str:
    return "flat" if n < APPROX_THRESHOLD else "ivf"


def ivf_nlist(n: int) -> int:
    """Cells: about 4 * sqrt(n), a power of two (1M vectors -> 4096)."""
    return int(2 ** round(math.log2(max(4 * math.sqrt(max(n, 1)), 16))))


def ivf_nprobe(nlist: int) -> int:
    """Cells probed: 1/8 of them, at least 512: the smallest setting that keeps recall@10 against exact
    search at 0.95 or more on the synthetic 100k and 1M corpora (docs/decisions.md)."""
    return min(nlist, max(MIN_NPROBE, nlist // NPROBE_DIVISOR))


def new_index(dim: int, kind: str, n: int) -> faiss.Index:
    if kind == "flat":
        return faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
    if kind == "hnsw":
        base = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        base.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        base.hnsw.efSearch = HNSW_EF_SEARCH
        return faiss.IndexIDMap2(base)
    if kind == "ivf":
        quantizer = faiss.IndexFlatIP(dim)
        index = faiss.IndexIVFScalarQuantizer(
            quantizer, dim, ivf_nlist(n), faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT
        )
        index.own_fields = True
        quantizer.this.disown()
        index.nprobe = ivf_nprobe(index.nlist)
        index.set_direct_map_type(faiss.DirectMap.Hashtable)  # reconstruct(rowid)
        return index
    raise ValueError(f"unknown index kind {kind!r}")


def build(ids: np.ndarray, vectors: np.ndarray, kind: str | None = None) -> faiss.Index:
    """Index of `vectors` (n x dim) under `ids`; the kind follows n unless given."""
    dim = vectors.shape[1] if vectors.ndim == 2 and vectors.shape[0] else 384
    n = len(ids)
    kind = kind or choose_kind(n)
    index = new_index(dim, kind, n)
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    if kind == "ivf":
        index.train(training_sample(vectors, index.nlist))
    if n:
        index.add_with_ids(vectors, np.asarray(ids, dtype=np.int64))
    return index


def build_streaming(
    n: int, dim: int, chunks: Iterable[tuple[np.ndarray, np.ndarray]], sample=None, kind: str | None = None
) -> faiss.Index:
    """Index of n vectors that arrive in (ids, vectors) chunks: one copy in memory, FAISS's own.

    `sample(m)` returns m vectors drawn at random from all n (k-means training for IVF).
    """
    kind = kind or choose_kind(n)
    index = new_index(dim, kind, n)
    if kind == "ivf":
        m = min(n, TRAIN_PER_CELL * index.nlist)
        index.train(np.ascontiguousarray(sample(m), dtype=np.float32))
    for ids, vecs in chunks:
        if len(ids):
            index.add_with_ids(np.ascontiguousarray(vecs, dtype=np.float32), np.asarray(ids, dtype=np.int64))
    return index


def training_sample(vectors: np.ndarray, nlist: int, seed: int = 0) -> np.ndarray:
    m = min(len(vectors), TRAIN_PER_CELL * nlist)
    if m == len(vectors):
        return vectors
    pick = np.sort(np.random.default_rng(seed).choice(len(vectors), m, replace=False))
    return vectors[pick]


def kind_of(index) -> str:
    index = getattr(index, "base", index)
    if isinstance(index, faiss.IndexIVF):
        return "ivf"
    inner = faiss.downcast_index(index.index) if hasattr(index, "index") else index
    return "hnsw" if isinstance(inner, faiss.IndexHNSW) else "flat"


def _search_params(index, sel):
    if isinstance(index, faiss.IndexIVF):
        return faiss.SearchParametersIVF(sel=sel, nprobe=index.nprobe)
    return faiss.SearchParameters(sel=sel)


def search(index, query: np.ndarray, k: int, allowed_ids: np.ndarray | None = None):
    """Top-k (ids, scores) for one normalised query vector."""
    if isinstance(index, DenseIndex):
        return index.search(query, k, allowed_ids)
    return _faiss_search(index, query, k, allowed_ids)


def _faiss_search(index, query, k, allowed_ids=None, excluded_ids=None):
    if index.ntotal == 0 or k <= 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
    if allowed_ids is not None and 0 < len(allowed_ids) <= EXACT_FILTER_MAX and kind_of(index) != "flat":
        # a narrow filter (one document, one publisher): exact scores over the allowed vectors,
        # since a graph or cell search finds too few allowed ids among its candidates
        ids = np.asarray(allowed_ids, dtype=np.int64)
        vecs = index.reconstruct_batch(ids)
        sc = vecs @ np.asarray(query, dtype=np.float32).ravel()
        order = np.lexsort((ids, -sc))[:k]
        return ids[order], sc[order].astype(np.float32)
    q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
    keep = []  # the selectors must outlive the search
    sel = None
    if allowed_ids is not None:
        if len(allowed_ids) == 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        arr = np.asarray(allowed_ids, dtype=np.int64)
        sel = faiss.IDSelectorBatch(arr)
        keep.append(arr)
    elif excluded_ids is not None and len(excluded_ids):
        arr = np.asarray(excluded_ids, dtype=np.int64)
        inner = faiss.IDSelectorBatch(arr)
        sel = faiss.IDSelectorNot(inner)
        keep += [arr, inner]
    params = _search_params(index, sel) if sel is not None else None
    # one query: one OpenMP thread (in this calling thread only). With two, threads waking each
    # other make small exact searches many times slower, and nothing is gained at 100k or for IVF
    # (docs/decisions.md, "One thread per query")
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        scores, ids = index.search(q, min(k, index.ntotal), params=params)
    finally:
        faiss.omp_set_num_threads(threads)
    ok = ids[0] >= 0
    return ids[0][ok], scores[0][ok]


class DenseIndex:
    """A base FAISS index, minus deleted ids, plus added vectors searched exactly.

    Behaves like the FAISS index for what search needs: `ntotal`,
    `reconstruct(id)` and `vectors.search(...)`. Scores of added vectors are
    exact inner products, as the flat base gives them.
    """

    def __init__(self, base, deleted: np.ndarray, add_ids: np.ndarray, add_vecs: np.ndarray):
        self.base = base
        self.deleted = np.sort(np.asarray(deleted, dtype=np.int64))
        self.add_ids = np.asarray(add_ids, dtype=np.int64)
        self.add_vecs = np.ascontiguousarray(add_vecs, dtype=np.float32).reshape(len(self.add_ids), base.d)
        self._pos = {int(r): i for i, r in enumerate(self.add_ids)}
        self.ntotal = int(base.ntotal) - len(self.deleted) + len(self.add_ids)
        self.d = base.d

    def search(self, query: np.ndarray, k: int, allowed_ids: np.ndarray | None = None):
        if k <= 0 or self.ntotal == 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        # allowed ids come from the store, so they hold no deleted ids
        b_ids, b_sc = _faiss_search(self.base, query, k, allowed_ids, None if allowed_ids is not None else self.deleted)
        if not len(self.add_ids):
            return b_ids, b_sc
        d_sc = self.add_vecs @ np.asarray(query, dtype=np.float32).ravel()
        d_ids = self.add_ids
        if allowed_ids is not None:
            keep = np.isin(d_ids, allowed_ids)
            d_ids, d_sc = d_ids[keep], d_sc[keep]
        ids = np.concatenate([b_ids, d_ids])
        sc = np.concatenate([b_sc, d_sc]).astype(np.float32)
        order = np.lexsort((ids, -sc))[:k]
        return ids[order], sc[order]

    def reconstruct(self, rowid: int) -> np.ndarray:
        i = self._pos.get(int(rowid))
        if i is not None:
            return self.add_vecs[i].copy()
        return self.base.reconstruct(int(rowid))

    def ids(self) -> np.ndarray:
        """Ids served, sorted."""
        base = index_ids(self.base)
        if len(self.deleted):
            base = base[~np.isin(base, self.deleted)]
        return np.sort(np.concatenate([base, self.add_ids]))


def index_ids(index) -> np.ndarray:
    """The ids a FAISS index (IDMap2 or IVF) or a DenseIndex holds, sorted."""
    if isinstance(index, DenseIndex):
        return index.ids()
    if isinstance(index, faiss.IndexIVF):
        invlists = index.invlists
        parts = [
            faiss.rev_swig_ptr(invlists.get_ids(i), invlists.list_size(i)).copy()
            for i in range(index.nlist)
            if invlists.list_size(i)
        ]
        return np.sort(np.concatenate(parts).astype(np.int64)) if parts else np.empty(0, dtype=np.int64)
    return np.sort(faiss.vector_to_array(index.id_map).astype(np.int64))


def save(index: faiss.Index, path: Path) -> None:
    """Write `index` to `path` whole or not at all (files.write_atomically): a failed write leaves no
    temporary file and raises OSError (ENOSPC for a full disk), not FAISS's RuntimeError."""
    write_atomically(path, lambda tmp: faiss.write_index(index, str(tmp)))


def load(path: Path) -> faiss.Index:
    index = faiss.read_index(str(path))
    if isinstance(index, faiss.IndexIVF):
        index.nprobe = ivf_nprobe(index.nlist)
        index.set_direct_map_type(faiss.DirectMap.Hashtable)
    return index
