"""Lexical retrieval: BM25 over the features of index/analyzer.py (Snowball-stemmed Dutch text
with sub-word n-grams).

The index holds posting lists of term counts (CSC: per feature the sorted
passage positions and counts; index/postings.py); a query reads only
the posting lists of its own features and computes their BM25 weights from
the live statistics, so a base index plus a small delta (see snapshot.py)
scores exactly like a full rebuild, and no query scans all passages.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .analyzer import features
from .postings import Segment, count_matrix, read_segment, save_npz, segment_arrays

K1 = 1.2
B = 0.75


class LexicalIndex:
    """BM25 over posting lists. A query reads only the posting lists of its own features.

    An index is one or more segments (a base and, for an incremental
    generation, a delta) over one position space: `rowids[pos]` is the passage
    of a position, `dead[pos]` marks base passages deleted since the base was
    built. Statistics (passage count, average length, document frequency) are
    those of the live passages, so a base plus delta scores exactly as an
    index rebuilt from the same rows would.
    """

    def __init__(
        self, segments: list[Segment], rowids: np.ndarray, lengths: np.ndarray, dead: np.ndarray | None = None
    ):
        self.segments = segments
        self.rowids = np.asarray(rowids, dtype=np.int64)
        self.lengths = np.asarray(lengths, dtype=np.float32)
        self.dead = dead if dead is not None and dead.any() else None
        live = self.lengths if self.dead is None else self.lengths[~self.dead]
        self.n_live = int(live.size)
        avg = float(live.mean()) if live.size else 1.0
        # the length part of BM25's denominator, per position
        self._norm = (K1 * (1 - B + B * self.lengths / max(avg, 1e-9))).astype(np.float32)
        self._avg = max(avg, 1e-9)
        self._dead_pos = np.flatnonzero(self.dead) if self.dead is not None else None

    @classmethod
    def build(cls, rowids: np.ndarray, term_strings) -> LexicalIndex:
        vocab, indptr, indices, tf, lengths = count_matrix(term_strings)
        return cls([Segment(vocab, indptr, indices, tf, lengths)], rowids, lengths)

    @classmethod
    def combine(cls, base: LexicalIndex, delta: LexicalIndex, deleted_rowids: np.ndarray) -> LexicalIndex:
        """The base with `deleted_rowids` marked dead and the delta's passages appended."""
        assert len(base.segments) == 1 and len(delta.segments) == 1
        d = delta.segments[0]
        n = len(base.rowids)
        dead = np.zeros(n + len(delta.rowids), dtype=bool)
        dead[:n] = np.isin(base.rowids, deleted_rowids)
        return cls(
            [
                base.segments[0],
                Segment(d.vocab, d.indptr, d.indices, d.tf, delta.lengths, offset=n, maxtf=d.maxtf, minlen=d.minlen),
            ],
            np.concatenate([base.rowids, delta.rowids]),
            np.concatenate([base.lengths, delta.lengths]),
            dead,
        )

    @property
    def vocab(self):
        """Feature lookup (membership) over all segments."""
        if len(self.segments) == 1:
            return self.segments[0].vocab
        return _UnionVocab([s.vocab for s in self.segments])

    def live_rowids(self) -> np.ndarray:
        """Rowids of the passages this index serves, sorted."""
        ids = self.rowids if self.dead is None else self.rowids[~self.dead]
        return np.sort(ids)

    def _postings(self, feature: str) -> tuple[np.ndarray, np.ndarray] | None:
        """Live (positions, counts) of a feature over all segments, or None."""
        found = [p for p in (s.postings(feature) for s in self.segments) if p is not None]
        if not found:
            return None
        idx = found[0][0] if len(found) == 1 else np.concatenate([p[0] for p in found])
        tf = found[0][1] if len(found) == 1 else np.concatenate([p[1] for p in found])
        if self.dead is not None:
            keep = ~self.dead[idx]
            idx, tf = idx[keep], tf[keep]
        return (idx, tf) if len(idx) else None

    def _dead_in(self, idx: np.ndarray) -> int:
        """How many positions of a sorted posting list are dead, reading the list only when that is cheaper."""
        if self._dead_pos is None:
            return 0
        if len(self._dead_pos) * 16 < len(idx):
            pos = np.searchsorted(idx, self._dead_pos)
            ok = pos < len(idx)
            return int((idx[pos[ok]] == self._dead_pos[ok]).sum())
        return int(self.dead[idx].sum())

    def _lists(self, query: str) -> list[tuple[list, float, float]]:
        """Per distinct query feature: (segment parts [(positions, counts)], idf, upper bound of its score)."""
        out = []
        for feature in sorted(set(features(query))):
            parts, df, bound = [], 0, 0.0
            for seg in self.segments:
                p = seg.postings(feature)
                if p is None:
                    continue
                idx, tf, c = p
                parts.append((idx, tf))
                df += len(idx) - self._dead_in(idx)
                m = float(seg.maxtf[c])
                bound = max(bound, m / (m + K1 * (1 - B + B * float(seg.minlen[c]) / self._avg)))
            if df > 0:
                idf = self._idf(df)
                out.append((parts, idf, idf * (K1 + 1) * bound))
        return out

    def _weights(self, idx: np.ndarray, tf: np.ndarray, idf: float) -> np.ndarray:
        f = tf.astype(np.float32)
        w = self._norm[idx]  # BM25: idf * f (k1 + 1) / (f + k1 (1 - b + b len / avg))
        w += f
        np.divide(f, w, out=w)
        w *= np.float32(idf * (K1 + 1))
        return w

    def _idf(self, df: int) -> float:
        n = self.n_live
        return float(np.log(1.0 + (n - df + 0.5) / (df + 0.5)))

    def search(self, query: str, k: int, allowed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Top-k (rowids, scores). `allowed` is a boolean mask over positions (`rowids`).

        Exact top-k with MaxScore pruning: posting lists are read in order of
        their score bound, rarest first; once the bounds of the lists left sum
        to less than the k-th best score so far, no passage outside the
        current candidates can reach the top k, and the long lists that are
        left are only probed (binary search) for those candidates.
        """
        empty = np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float32)
        if k <= 0 or self.n_live == 0:
            return empty
        lists = sorted(self._lists(query), key=lambda t: -t[2])
        if not lists:
            return empty
        rest = np.cumsum([t[2] for t in lists][::-1])[::-1].tolist() + [0.0]  # bound of lists j..end
        n = len(self.rowids)
        # scores so far, and which passages have one; np.zeros is lazily zeroed memory,
        # so only the pages of passages touched cost anything
        acc = np.zeros(n, dtype=np.float32)
        seen = np.zeros(n, dtype=bool)
        touched, read, checked, j = [], 0, 0, 0
        theta, early = 0.0, False
        while j < len(lists):
            read += self._accumulate(lists[j], allowed, acc, seen, touched)
            j += 1
            if j == len(lists):
                break
            nxt = sum(len(p[0]) for p in lists[j][0])
            if read == 0 or (nxt < read and read < 2 * checked):
                continue  # check the bound before long lists and when the postings read doubled
            checked = read
            touched = [np.concatenate(touched)]
            theta = _kth(acc[touched[0]], k)
            if theta > rest[j]:
                early = True  # no passage outside those scored so far can reach the top k
                break
        cand = np.concatenate(touched) if touched else np.empty(0, dtype=np.int64)
        cand_sc = acc[cand]
        if early:
            keep = cand_sc + rest[j] >= theta
            cand, cand_sc = self._finish(lists, j, rest, cand[keep], cand_sc[keep], theta, k)
        elif len(cand) > k:
            top = np.argpartition(-cand_sc, k - 1)[:k]
            cand, cand_sc = cand[top], cand_sc[top]
        order = np.lexsort((self.rowids[cand], -cand_sc))[:k]
        top = cand[order]
        return self.rowids[top], cand_sc[order].astype(np.float32)

    def _accumulate(self, entry, allowed, acc, seen, touched) -> int:
        """Phase 1 of MaxScore: add one query feature's weights (`entry` from _lists) to the scores
        `acc` of its live, allowed passages; passages scored for the first time are marked in `seen`
        and appended to `touched`. Returns the number of postings read."""
        parts, idf, _ = entry
        read = 0
        for idx, tf in parts:
            keep = None
            if self.dead is not None:
                keep = ~self.dead[idx]
            if allowed is not None:
                keep = allowed[idx] if keep is None else keep & allowed[idx]
            if keep is not None:
                idx, tf = idx[keep], tf[keep]
            np.add.at(acc, idx, self._weights(idx, tf, idf))
            fresh = idx[~seen[idx]]
            seen[fresh] = True
            touched.append(fresh)
            read += len(idx)
        return read

    def _finish(self, lists, j, rest, cand, sc, theta, k):
        """Phase 2 of MaxScore: add the lists j.. to the candidates' scores only, dropping
        candidates as soon as they can no longer reach the k-th best score."""
        mark = None
        order = np.argsort(cand)
        cand, sc = cand[order], sc[order]
        for t in range(j, len(lists)):
            parts, idf, _ = lists[t]
            for idx, tf in parts:
                if len(cand) * 16 < len(idx):  # few candidates: binary search in the list
                    pos = np.searchsorted(idx, cand)
                    ok = pos < len(idx)
                    hit = np.zeros(len(cand), dtype=bool)
                    hit[ok] = idx[pos[ok]] == cand[ok]
                    if hit.any():
                        sc[hit] += self._weights(cand[hit], tf[pos[hit]], idf)
                else:  # many: one pass over the list through a bit map
                    if mark is None:
                        mark = np.zeros(len(self.rowids), dtype=bool)
                    mark[cand] = True
                    hit = mark[idx]
                    mark[cand] = False
                    hidx = idx[hit]
                    where = np.searchsorted(cand, hidx)  # cand is sorted
                    sc[where] += self._weights(hidx, tf[hit], idf)
            if len(cand) > k:
                theta = max(theta, float(-np.partition(-sc, k - 1)[k - 1]))
                keep = sc + rest[t + 1] >= theta
                cand, sc = cand[keep], sc[keep]
        return cand, sc

    def term_idf(self, terms: list[str]) -> dict[str, float]:
        out = {}
        for t in terms:
            post = self._postings(t)
            if post is not None:
                out[t] = self._idf(len(post[0]))
        return out

    @property
    def nnz(self) -> int:
        return sum(s.nnz for s in self.segments)

    # -- persistence -------------------------------------------------------
    def save(self, path: Path) -> None:
        """One segment, no deletions (a base or a delta); written to a temp file, fsynced, renamed."""
        assert len(self.segments) == 1 and self.dead is None
        save_npz(
            path, format=np.array([2]), lengths=self.lengths, rowids=self.rowids, **segment_arrays(self.segments[0])
        )

    @classmethod
    def load(cls, path: Path) -> LexicalIndex:
        with np.load(path) as z:
            if "format" not in z.files or int(z["format"][0]) != 2:
                raise ValueError(f"{path.name}: old lexical index format")
            lengths = z["lengths"]
            return cls([read_segment(z, lengths)], z["rowids"], lengths)


def _kth(scores: np.ndarray, k: int) -> float:
    """The k-th best of `scores` (0 when there are fewer than k)."""
    if len(scores) < k:
        return 0.0
    return float(np.partition(scores, len(scores) - k)[len(scores) - k])


class _UnionVocab:
    def __init__(self, vocabs):
        self.vocabs = vocabs

    def __contains__(self, t) -> bool:
        return any(t in v for v in self.vocabs)


def passage_terms(section: str, text: str) -> str:
    """The stored feature string of a passage: its section heading and its text, analyzed."""
    return " ".join(features(f"{section}\n{text}"))
