"""Posting lists of the lexical index (index/lexical.py) and their on-disk form.

A segment is the passage x feature count matrix of one built part (a full index, or the delta of
a generation, see snapshot.py) in CSC form; `count_matrix` builds one from feature strings, and
`segment_arrays` / `read_segment` / `save_npz` write and read it in the index's .npz files.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .files import write_atomically


class Segment:
    """Posting lists of one built part (the base, or the delta of a generation).

    Column c of the passage x feature count matrix, in CSC form: the positions
    `indices[indptr[c]:indptr[c + 1]]` (sorted, local to the segment, int32) with their
    term counts `tf[...]` (uint8, counts above 255 clipped): 5 bytes a posting. Counts, not weights:
    BM25 weights depend on corpus statistics that a delta changes, so they are computed per query.
    """

    def __init__(
        self,
        vocab: dict[str, int],
        indptr: np.ndarray,
        indices: np.ndarray,
        tf: np.ndarray,
        lengths: np.ndarray,
        offset: int = 0,
        maxtf: np.ndarray | None = None,
        minlen: np.ndarray | None = None,
    ):
        self.vocab, self.indptr, self.indices, self.tf, self.offset = vocab, indptr, indices, tf, offset
        if maxtf is None or minlen is None:
            # per feature: the largest count and the shortest passage, for score upper bounds
            starts = indptr[:-1]
            if len(indices):
                maxtf = np.maximum.reduceat(tf, starts).astype(np.uint8)
                minlen = np.minimum.reduceat(lengths[indices], starts).astype(np.float32)
            else:
                maxtf, minlen = np.zeros(len(starts), np.uint8), np.zeros(len(starts), np.float32)
        self.maxtf, self.minlen = maxtf, minlen

    def postings(self, feature: str):
        """(positions, counts, column) of a feature in this segment, or None."""
        c = self.vocab.get(feature)
        if c is None:
            return None
        a, b = int(self.indptr[c]), int(self.indptr[c + 1])
        idx = self.indices[a:b]
        return (idx + self.offset if self.offset else idx), self.tf[a:b], c

    @property
    def nnz(self) -> int:
        return int(self.indptr[-1]) if len(self.indptr) else 0


def count_matrix(term_strings, chunk: int = 20_000):
    """(vocab, CSC indptr, indices, tf, lengths) of feature strings.

    Built chunk by chunk: each chunk of passages becomes a small CSC, and the
    chunks are merged column by column at the end, so memory stays near the
    size of the result (5 bytes per posting) even for a million passages.
    """
    vocab: dict[str, int] = {}
    parts, lengths = [], []
    rows_done = 0
    batch: list[str] = []

    def flush():
        nonlocal rows_done
        if not batch:
            return
        cols, counts_per_row = [], []
        get = vocab.setdefault
        for s in batch:
            toks = s.split()
            cols.extend([get(t, len(vocab)) for t in toks])
            counts_per_row.append(len(toks))
        lengths.extend(counts_per_row)
        v = len(vocab)
        c = np.asarray(cols, dtype=np.int64)
        r = np.repeat(np.arange(len(batch), dtype=np.int64), counts_per_row)
        keys, counts = np.unique(c * len(batch) + r, return_counts=True)  # sorted by column, then row
        col = keys // len(batch)
        indptr = np.zeros(v + 1, dtype=np.int64)
        np.cumsum(np.bincount(col, minlength=v), out=indptr[1:])
        parts.append(
            (indptr, (keys % len(batch) + rows_done).astype(np.int32), np.minimum(counts, 255).astype(np.uint8))
        )  # counts > 255 are clipped
        rows_done += len(batch)
        batch.clear()

    for s in term_strings:
        batch.append(s)
        if len(batch) >= chunk:
            flush()
    flush()
    n_terms = len(vocab)
    counts = np.zeros(n_terms, dtype=np.int64)
    for p_indptr, _, _ in parts:
        counts[: len(p_indptr) - 1] += np.diff(p_indptr)
    indptr = np.zeros(n_terms + 1, dtype=np.int64)
    np.cumsum(counts, out=indptr[1:])
    indices = np.empty(int(indptr[-1]), dtype=np.int32)
    tf = np.empty(int(indptr[-1]), dtype=np.uint8)
    filled = indptr[:-1].copy()
    while parts:  # merge: a chunk's entries of column c follow those of earlier chunks
        p_indptr, p_idx, p_tf = parts.pop(0)
        cnt = np.diff(p_indptr)
        v = len(cnt)
        dest = np.repeat(filled[:v] - p_indptr[:-1], cnt) + np.arange(len(p_idx), dtype=np.int64)
        indices[dest] = p_idx
        tf[dest] = p_tf
        filled[:v] += cnt
    return vocab, indptr, indices, tf, np.asarray(lengths, dtype=np.float32)


def segment_arrays(seg: Segment) -> dict[str, np.ndarray]:
    """The arrays of a segment as stored in an .npz file: its posting lists, their bounds and its
    vocabulary (the features in column order, newline-separated UTF-8)."""
    terms = sorted(seg.vocab, key=seg.vocab.get)
    return {
        "indptr": seg.indptr,
        "indices": seg.indices,
        "tf": seg.tf,
        "maxtf": seg.maxtf,
        "minlen": seg.minlen,
        "vocab": np.frombuffer("\n".join(terms).encode(), dtype=np.uint8),
    }


def read_segment(z, lengths: np.ndarray) -> Segment:
    """The segment stored in an opened .npz file `z` (see segment_arrays)."""
    text = z["vocab"].tobytes().decode()
    terms = text.split("\n") if text else []
    vocab = dict(zip(terms, range(len(terms))))
    return Segment(vocab, z["indptr"], z["indices"], z["tf"], lengths, maxtf=z["maxtf"], minlen=z["minlen"])


def save_npz(path: Path, **arrays) -> None:
    """Write `arrays` to `path` as .npz: to a temp file, fsynced, then renamed, so a reader sees the old
    file or the whole new one."""

    def write(tmp: Path) -> None:
        with open(tmp, "wb") as fh:  # a file object: np.savez would add ".npz" to a name
            np.savez(fh, **arrays)

    write_atomically(path, write)  # a failed write leaves no temporary file
