"""Dense retrieval: a FAISS inner-product index over normalised passage vectors.

The index type follows the collection size: exact (flat) search below
`HNSW_THRESHOLD` vectors, HNSW graph search above it. Ids are the passage
rowids of the store, so hits map straight back to SQLite rows.
"""
from __future__ import annotations

import os
from pathlib import Path

import faiss
import numpy as np

HNSW_THRESHOLD = 200_000
HNSW_M = 32
HNSW_EF_CONSTRUCTION = 80
HNSW_EF_SEARCH = 128


def build(ids: np.ndarray, vectors: np.ndarray, kind: str | None = None) -> faiss.Index:
    dim = vectors.shape[1] if vectors.ndim == 2 and vectors.shape[0] else 384
    kind = kind or ("hnsw" if len(ids) >= HNSW_THRESHOLD else "flat")
    if kind == "hnsw":
        base = faiss.IndexHNSWFlat(dim, HNSW_M, faiss.METRIC_INNER_PRODUCT)
        base.hnsw.efConstruction = HNSW_EF_CONSTRUCTION
        base.hnsw.efSearch = HNSW_EF_SEARCH
    else:
        base = faiss.IndexFlatIP(dim)
    index = faiss.IndexIDMap2(base)
    if len(ids):
        index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))
    return index


def search(index: faiss.Index, query: np.ndarray, k: int, allowed_ids: np.ndarray | None = None):
    """Top-k (ids, scores) for one normalised query vector."""
    if index.ntotal == 0 or k <= 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
    q = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
    params = None
    if allowed_ids is not None:
        if len(allowed_ids) == 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        sel = faiss.IDSelectorBatch(np.asarray(allowed_ids, dtype=np.int64))
        params = faiss.SearchParameters(sel=sel)
    scores, ids = index.search(q, min(k, index.ntotal), params=params)
    keep = ids[0] >= 0
    return ids[0][keep], scores[0][keep]


def save(index: faiss.Index, path: Path) -> None:
    tmp = path.with_name(path.name + ".tmp")
    faiss.write_index(index, str(tmp))
    with open(tmp, "rb+") as fh:
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def load(path: Path) -> faiss.Index:
    return faiss.read_index(str(path))
