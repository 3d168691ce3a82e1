"""Statements embedded on their own (the symmetric prompt), kept in a file beside the index.

Ingest embeds every new recommendation and problem this way. The advice answers rank statements
by the cosine of this vector with the question's topic and group recommendations of different
sources that say the same thing by it (`advise._group`); the comparison groups every
recommendation of a theme the same way, which takes the embedder a while for a whole corpus.
So the vectors are kept in `index/statement_vectors.npz`, keyed by the model and a hash of the
text: a key names its vector exactly, so the file can be incomplete but never wrong, and a
statement that is re-ingested with the same text keeps its vector. Writing is best effort: a
read-only data directory keeps the vectors in memory only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import numpy as np

from .files import write_atomically

FILE_NAME = "statement_vectors.npz"  # no "-NUMBER" in the name: snapshot.prune leaves it alone
_MEMORY: dict[tuple[str, str], dict[str, np.ndarray]] = {}  # (file, model) -> key -> vector


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()


def _read(path: Path, model: str) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as f:
            if str(f["model"]) != model:
                return {}
            return dict(zip((str(k) for k in f["keys"]), f["vectors"].astype(np.float32)))
    except (OSError, KeyError, ValueError):
        return {}


def _write(path: Path, model: str, vectors: dict[str, np.ndarray]) -> None:
    keys = sorted(vectors)
    mat = np.vstack([vectors[k] for k in keys]).astype(np.float32)

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:
            np.savez(fh, model=np.array(model), keys=np.array(keys), vectors=mat)

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(path, write)
    except OSError:
        pass  # a read-only or full data directory: the vectors stay in memory


def own_vectors(
    index_dir: Path,
    model: str,
    texts: list[str],
    encode: Callable[[list[str]], np.ndarray] | None = None,
    complete: bool = False,
) -> dict[str, np.ndarray]:
    """Text -> its own embedding for `texts`. The ones not kept yet are embedded with `encode`
    (the embedder's `encode_statements`) and kept; without `encode` they are left out.
    `complete`: `texts` are all the statements the index holds (ingest, the advice answers), so
    the file keeps only those; a partial ask (a comparison within visible documents) removes none."""
    path = Path(index_dir) / FILE_NAME
    kept = _MEMORY.setdefault((str(path), model), {})
    if not kept:
        kept.update(_read(path, model))
    wanted = {t: text_key(t) for t in dict.fromkeys(texts)}
    missing = [t for t, k in wanted.items() if k not in kept]
    if missing and encode is not None:
        kept.update(_read(path, model))  # another process may have kept them meanwhile
        missing = [t for t, k in wanted.items() if k not in kept]
    asked = set(wanted.values())
    stale = [k for k in kept if k not in asked] if complete and encode is not None else []
    for k in stale:
        del kept[k]
    if missing and encode is not None:
        kept.update(zip((wanted[t] for t in missing), np.asarray(encode(missing), dtype=np.float32)))
    if (missing and encode is not None) or stale:
        _write(path, model, kept)
    return {t: kept[k] for t, k in wanted.items() if k in kept}


def keep_for_index(store, model: str, encode: Callable[[list[str]], np.ndarray]) -> None:
    """Every recommendation and problem of the store embedded on its own and kept (after an
    ingest): only the texts not kept yet are embedded, the vectors of texts gone are dropped."""
    with store.read():
        texts = [r.text for r in store.linkable()]
    own_vectors(store.index_dir, model, texts, encode, complete=True)


def missing(index_dir: Path, model: str, texts: list[str]) -> int:
    """How many of `texts` have no kept vector yet (what `own_vectors` would embed)."""
    return len(set(texts)) - len(own_vectors(index_dir, model, texts))
