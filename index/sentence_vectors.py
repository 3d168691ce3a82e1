"""One vector per sentence of every passage, kept in a file beside the index.

A long passage in which one sentence answers a question has a pooled vector that speaks of
everything else it holds, so its dense cosine understates it. The reranker (index/rerank.py)
therefore also weighs the cosine of the query with the passage's best single sentence. Those
vectors cost no model time: ingest pools them from the passage's own forward pass (the mean of
the contextual token vectors inside each sentence, "late chunking": `Embedder.
encode_passages_with_spans`), next to the statements' vectors.

They are kept in `index/sentence_vectors.npz` (float16), keyed by the model and a hash of the
passage text and its sentence spans: a key names its vectors exactly, so the file can be
incomplete but never wrong, and a passage that is re-ingested unchanged keeps its vectors. A
sentence the model did not see (past its length limit) is a row of NaN. An index without the
file (ingested before it existed) still searches: the features fall back to the passage's own
cosine, and `build_missing` (run by `beleidsbank train-rerank` and on the next ingest) fills it.
Writing is best effort: a read-only data directory keeps what it has.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from .files import write_atomically

FILE_NAME = "sentence_vectors.npz"  # no "-NUMBER" in the name: snapshot.prune leaves it alone
_LOCK = threading.Lock()
_CACHE: dict[tuple[str, str], tuple[tuple, Kept]] = {}  # (file, model) -> (file stamp, contents)


def passage_key(text: str, sentences: Iterable) -> str:
    spans = json.dumps([[int(a), int(b)] for a, b in sentences])
    return hashlib.sha1((text + "\x00" + spans).encode("utf-8", "surrogatepass")).hexdigest()


class Kept:
    """The sentence vectors of one file: key -> (first row, number of rows) in `vectors`."""

    def __init__(self, keys: list[str] | None = None, offsets=None, vectors=None, dim: int = 0):
        keys = keys or []
        offsets = np.zeros(1, dtype=np.int64) if offsets is None else np.asarray(offsets, dtype=np.int64)
        self.vectors = np.zeros((0, dim), dtype=np.float16) if vectors is None else vectors
        self.rows = {k: (int(offsets[i]), int(offsets[i + 1] - offsets[i])) for i, k in enumerate(keys)}

    def __len__(self) -> int:
        return len(self.rows)

    def get(self, key: str) -> np.ndarray | None:
        """The float16 rows of one passage (in sentence order), None when not kept."""
        at = self.rows.get(key)
        return None if at is None else self.vectors[at[0] : at[0] + at[1]]

    def items(self) -> dict[str, np.ndarray]:
        return {k: self.vectors[a : a + n] for k, (a, n) in self.rows.items()}


def _stamp(path: Path) -> tuple:
    try:
        st = path.stat()
        return (st.st_mtime_ns, st.st_size)
    except OSError:
        return ()


def _read(path: Path, model: str) -> Kept:
    try:
        with np.load(path, allow_pickle=False) as f:
            if str(f["model"]) != model:
                return Kept()
            keys = [str(k) for k in f["keys"]]
            offsets, vectors = f["offsets"], f["vectors"]
            if len(offsets) != len(keys) + 1 or int(offsets[-1]) != len(vectors) or vectors.ndim != 2:
                return Kept()
            return Kept(keys, offsets, vectors.astype(np.float16, copy=False))
    except (OSError, KeyError, ValueError, EOFError):
        return Kept()


def load(index_dir: Path, model: str) -> Kept:
    """The kept sentence vectors of an index (empty when there are none); re-read when the file
    changed since the last call."""
    path = Path(index_dir) / FILE_NAME
    stamp = _stamp(path)
    with _LOCK:
        got = _CACHE.get((str(path), model))
        if got is not None and got[0] == stamp:
            return got[1]
    kept = _read(path, model) if stamp else Kept()
    with _LOCK:
        _CACHE[(str(path), model)] = (stamp, kept)
    return kept


def _write(path: Path, model: str, vectors: dict[str, np.ndarray], dim: int) -> None:
    keys = sorted(vectors)
    counts = [len(vectors[k]) for k in keys]
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    rows = [vectors[k] for k in keys if len(vectors[k])]
    mat = np.vstack(rows).astype(np.float16) if rows else np.zeros((0, dim), dtype=np.float16)

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            np.savez(fh, model=np.array(model), keys=np.array(keys, dtype="U40"), offsets=offsets, vectors=mat)

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, write)
    except OSError:
        pass  # a read-only or full data directory: the reranker falls back for what is missing


def rows_of(pooled: list[np.ndarray | None], dim: int) -> np.ndarray:
    """One passage's pooled sentence vectors as float16 rows (NaN for a sentence not seen)."""
    out = np.full((len(pooled), dim), np.nan, dtype=np.float16)
    for i, v in enumerate(pooled):
        if v is not None:
            out[i] = v
    return out


def with_sentences(passages: list, spans: list[list[tuple[int, int]]]) -> list[list[tuple[int, int]]]:
    """Per passage, the spans to pool (its statements' `spans`) followed by its sentences."""
    return [list(sp) + [(int(a), int(b)) for a, b in p.sentences] for p, sp in zip(passages, spans)]


def split(passages: list, spans: list, pooled: list, dim: int) -> tuple[dict[str, np.ndarray], list]:
    """The pooled vectors of `with_sentences` spans parted again: the sentence rows by passage
    key, and per passage the vectors of its statements' `spans`."""
    rows = {passage_key(p.text, p.sentences): rows_of(vs[len(sp) :], dim) for p, sp, vs in zip(passages, spans, pooled)}
    return rows, [vs[: len(sp)] for sp, vs in zip(spans, pooled)]


def keep(index_dir: Path, model: str, dim: int, new: dict[str, np.ndarray], wanted: set[str] | None) -> None:
    """Add the `new` passages' rows to the file; with `wanted` (the keys of every passage the
    index holds) drop the rest. Written only when something changed."""
    path = Path(index_dir) / FILE_NAME
    kept = load(index_dir, model).items()
    stale = [k for k in kept if wanted is not None and k not in wanted]
    added = {k: v for k, v in new.items() if k not in kept and (wanted is None or k in wanted)}
    if not stale and not added:
        return
    for k in stale:
        del kept[k]
    kept.update(added)
    _write(path, model, kept, dim)


def _index_passages(store) -> list:
    with store.read():
        return list(store.passages(store.passage_rowids().tolist()).values())


def build_missing(store, model: str, dim: int, encode: Callable | None, new: dict | None = None) -> int:
    """Keep the sentence vectors of every passage of the store: `new` (pooled at ingest) first;
    the passages still missing are embedded with `encode` (the embedder's
    `encode_passages_with_spans`; None: left missing); vectors of passages gone are dropped.
    Returns how many passages were embedded here."""
    passages = _index_passages(store)
    keys = {passage_key(p.text, p.sentences): p for p in passages}
    have = load(store.index_dir, model)
    new = dict(new or {})
    todo = [p for k, p in keys.items() if k not in new and have.get(k) is None]
    if todo and encode is not None:
        _, pooled = encode([p.text for p in todo], [[tuple(s) for s in p.sentences] for p in todo])
        for p, vecs in zip(todo, pooled):
            new[passage_key(p.text, p.sentences)] = rows_of(vecs, dim)
    keep(store.index_dir, model, dim, new, set(keys))
    return len(todo) if encode is not None else 0


def best(rows: np.ndarray | None, qvec: np.ndarray, fallback: float) -> tuple[float, float]:
    """The best and the mean of the best two sentence cosines with `qvec`; `fallback` (the
    passage's own cosine) for both when the passage has no kept vectors."""
    if rows is None or not len(rows):
        return fallback, fallback
    cos = rows.astype(np.float32) @ qvec
    cos = cos[np.isfinite(cos)]
    if not len(cos):
        return fallback, fallback
    top = np.sort(cos)[::-1][:2]
    return float(top[0]), float(top.mean())
