"""The statements an advice answer ranks, held in memory per store generation, and the signals
by which a statement is found (index/advise.py combines them).

A recommendation (or problem) is found by
- its own text: the cosine of its vector (the mean of its tokens' vectors in its passage's
  forward pass) with the question's, and the cosine of its text embedded on its own (kept beside
  the index, own_vectors.py) with the question's topic: the vector in the passage carries the
  passage's voice, the one on its own what the statement itself says;
- its passage: the cosine of the passage's vector, and the passage's hybrid score;
- its section path: the share of the question's topic words that the headings above it hold;
- its words: the share of the topic's index features (stems and their 5-grams) its text holds,
  rare ones counting more;
- the statements it is linked to: for a recommendation, how close the problems it addresses
  are to the question; for a problem, the recommendations that address it;
- how sure its label is: the labelling's confidence that it advises (or names a problem).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .analyzer import analyze, features
from .own_vectors import own_vectors
from .records import Statement
from .store import Store

KINDS = ("recommendation", "problem")
K1, B = 1.2, 0.75  # BM25 saturation and length normalisation (the usual values)


@dataclass(frozen=True)
class Link:
    """A link as an answer shows it, seen from either end."""

    other: str  # the statement id at the other end
    score: float
    scope: str
    evidence: dict


class StatementTable:
    """The recommendations and problems that have a vector, with their passage vectors, section
    stems, text features and links; built once per store generation."""

    def __init__(self, store: Store, generation: int):
        self.generation = generation
        by_id = {s.id: s for s in store.statements() if s.kind in KINDS}
        rows = [r for r in store.linkable() if r.id in by_id]
        self.stmts: list[Statement] = [by_id[r.id] for r in rows]
        self.index = {s.id: i for i, s in enumerate(self.stmts)}
        dim = len(rows[0].vector) if rows else 0
        self.vectors = np.vstack([r.vector for r in rows]).astype(np.float32) if rows else np.zeros((0, dim))
        self.context = (
            np.vstack([r.context if r.context is not None else r.vector for r in rows]).astype(np.float32)
            if rows
            else np.zeros((0, dim))
        )
        self.kinds = np.array([s.kind for s in self.stmts])
        self.confidence = np.array([s.confidence for s in self.stmts], dtype=np.float32)
        self.docs = np.array([s.doc_id for s in self.stmts])
        self.section_stems = [frozenset(analyze(s.section_path or "")) for s in self.stmts]
        self.stems = [frozenset(analyze(s.text)) for s in self.stmts]
        self.feats = [frozenset(features(s.text)) for s in self.stmts]
        df = Counter(f for fs in self.feats for f in fs)
        n = max(len(self.feats), 1)
        self.idf = defaultdict(lambda: math.log(n + 1) + 1.0, {f: math.log(n / (1 + c)) + 1.0 for f, c in df.items()})
        self.links: dict[str, list[Link]] = defaultdict(list)
        for rl in store.links_for():
            rec = rl.recommendation.id
            for lp in rl.problems:
                ev = lp.evidence.to_json()
                self.links[rec].append(Link(lp.problem.id, lp.score, lp.scope, ev))
                self.links[lp.problem.id].append(Link(rec, lp.score, lp.scope, ev))
        # filled as answers need them (index/advise.py)
        self.passage_texts: dict[str, str] = {}
        self.texts_read: set[str] = set()
        self.own: np.ndarray | None = None  # the texts embedded on their own, row per statement (fill_own)
        for lst in self.links.values():
            lst.sort(key=lambda k: (-k.score, k.other))

    def fill_own(self, index_dir: Path, model: str, encode: Callable[[list[str]], np.ndarray]) -> None:
        """The statements' texts embedded on their own (symmetric prompt): read from the file beside
        the index that ingest fills, the missing ones (an index ingested before it) embedded with
        `encode` and kept there."""
        texts = [s.text for s in self.stmts]
        got = own_vectors(index_dir, model, texts, encode, complete=True)
        dim = self.vectors.shape[1]
        self.own = np.vstack([got[t] for t in texts]).astype(np.float32) if texts else np.zeros((0, dim), np.float32)

    def __len__(self) -> int:
        return len(self.stmts)

    def mask(self, kind: str, docs: set[str] | None) -> np.ndarray:
        """The statements of `kind` (in `docs` when given)."""
        m = self.kinds == kind
        if docs is not None:
            m &= np.isin(self.docs, list(docs))
        return m

    def word_share(self, topic: str, idx: np.ndarray) -> np.ndarray:
        """Per statement in `idx`: BM25 of the topic's features (stems and their 5-grams) in the
        statement's text, each feature once, scaled by the best statement: rare topic words decide,
        and a long statement does not win by length alone."""
        q = set(features(topic))
        if not q or len(idx) == 0:
            return np.zeros(len(idx), dtype=np.float32)
        lengths = np.array([len(self.feats[i]) for i in idx], dtype=np.float32)
        norm = K1 * (1 - B + B * lengths / max(float(lengths.mean()), 1.0))
        raw = np.array([sum(self.idf[f] for f in q & self.feats[i]) for i in idx], dtype=np.float32)
        # every matched feature occurs once (a set), so its BM25 term is idf x (k1 + 1) / (1 + norm)
        scores = raw * (K1 + 1) / (1 + norm)
        top = float(scores.max())
        return scores / top if top > 0 else scores

    def section_share(self, topic: str, idx: np.ndarray) -> np.ndarray:
        """Per statement in `idx`: the share of the topic's stems that its section path holds."""
        q = set(analyze(topic))
        if not q:
            return np.zeros(len(idx), dtype=np.float32)
        return np.array([len(q & self.section_stems[i]) / len(q) for i in idx], dtype=np.float32)

    def certainty(self, idx: np.ndarray, floor: float = 0.5) -> np.ndarray:
        """Per statement in `idx`: how sure the labelling was of its kind, its confidence from the
        least a label needs (`floor`, ingest's threshold) to certain as 0 to 1. A statement that
        only just reads as advice ("... is belangrijk voor de keuze") is more often a description."""
        return np.clip((self.confidence[idx] - floor) / (1.0 - floor), 0.0, 1.0).astype(np.float32)

    def linked_closeness(self, cos_all: np.ndarray, idx: np.ndarray, top: int = 3) -> np.ndarray:
        """Per statement in `idx`: the best cosine with the question among the `top` statements
        it is linked to (0 when it has none)."""
        out = np.zeros(len(idx), dtype=np.float32)
        for j, i in enumerate(idx):
            others = [self.index[k.other] for k in self.links.get(self.stmts[i].id, [])[:top] if k.other in self.index]
            if others:
                out[j] = float(cos_all[others].max())
        return out


def rescale(values: np.ndarray, pool: int) -> np.ndarray:
    """Cosines to [0, 1] over the pool: the best is 1, the `pool`-th best 0 (e5 cosines sit in a
    narrow band, so their spread within the question's candidates is what tells)."""
    if len(values) == 0:
        return values
    hi = float(values.max())
    lo = float(np.sort(values)[::-1][min(pool, len(values)) - 1])
    return np.clip((values - lo) / max(hi - lo, 1e-6), 0.0, 1.0)
