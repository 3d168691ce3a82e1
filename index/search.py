"""Hybrid search: dense (FAISS) plus lexical (BM25), fused, with citations.

Fusion is score-based, not rank-based: dense cosine scores are taken for every
candidate (the vectors are reconstructed from the index), lexical BM25 scores
are scaled to [0, 1] by the best one and added with weight 0.5 to the dense
scores rescaled over the dense candidate pool. Decided by the eval on
../shared/eval: fused beats either side alone, and rank or z-score fusion scored no
better (docs/decisions.md, "Retrieval"). A passage from a page of poor text quality
("matig", "slecht") counts for less: its final score is multiplied by
`SearchParams.poor_page_factor` once per step below "goed". In hybrid mode a learned reranker
(index/rerank.py) then reorders the top `SearchParams.rerank_depth`, when its file is usable and
`SearchParams.rerank` (or the call's `rerank`) allows it.
"""

from __future__ import annotations

import logging
import re
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from beleidsbank.settings import EmbedParams, SearchParams

from . import rerank as rr
from . import sentence_vectors as sv
from . import snapshot as snap
from . import vectors
from .analyzer import analyze, tokens
from .embed import Embedder, canonical_name
from .intent import language
from .records import quality_level
from .store import NoIndexError, Store, StoreError

MODES = ("hybrid", "dense", "lexical")
log = logging.getLogger(__name__)
_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="lexical")


class QueryError(Exception):
    """A query that cannot be answered (Dutch message for users)."""


@dataclass
class Hit:
    rank: int
    score: float
    passage_id: str
    doc_id: str
    title: str
    short: str
    publisher: str
    year: int | None
    page: int
    page_label: str
    section: str
    section_path: str
    text: str
    kind: str
    best_sentence: tuple[int, int]  # character span in `text`
    dense_score: float
    lexical_score: float
    ocr: bool = False  # the passage was read by OCR (one of its pages)
    quality: str = "goed"  # the text quality of its worst page

    def to_json(self) -> dict:
        d = asdict(self)
        d["best_sentence"] = list(self.best_sentence)
        return d


def clean_query(query: str, max_chars: int = SearchParams.max_query_chars) -> str:
    """Control characters out, whitespace collapsed, length bounded."""
    query = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", " ", query or "")
    query = re.sub(r"\s+", " ", query).strip()
    return query[:max_chars]


class Searcher:
    """Loads the model once and the indexes per store generation; thread-safe."""

    def __init__(
        self,
        data_dir: Path,
        model: str | None = None,
        embedder: Embedder | None = None,
        params: SearchParams = SearchParams(),
        embedding: EmbedParams = EmbedParams(),
    ):
        """`params`: fusion and query limits; `embedding`: how the model runs when this
        searcher loads it (no `embedder` given)."""
        self.params = params
        self._embedding = embedding
        self.store = Store.open(Path(data_dir))
        recorded = self.store.get_meta("model")
        if recorded is None:
            self.store.close()
            raise NoIndexError()
        if model and canonical_name(model) != recorded:
            raise StoreError(
                f"De index is gebouwd met model '{recorded}'; zoeken met '{canonical_name(model)}' kan niet."
            )
        if embedder is not None and embedder.name != recorded:
            raise StoreError(f"De index is gebouwd met model '{recorded}', niet met '{embedder.name}'.")
        self.model_name = recorded
        self.dim = int(self.store.get_meta("dim", "384"))
        self._embedder = embedder
        self._snapshot: snap.Snapshot | None = None
        self._poor: dict[int, str] = {}  # rowid -> quality of the passages of poor pages, per snapshot
        self._lock = threading.RLock()
        self.reranker = rr.load(Path(params.rerank_file) if params.rerank_file else None, recorded)
        self._analysed = rr.Analysed()
        self._keys: dict[str, str] = {}  # passage id -> its key among the sentence vectors, per snapshot
        self._warned = False

    @property
    def embedder(self) -> Embedder:
        if self._embedder is None:
            self._embedder = Embedder(self.model_name, params=self._embedding)
        return self._embedder

    def close(self) -> None:
        self.store.close()

    def _current(self) -> snap.Snapshot:
        gen = self.store.generation()
        if self._snapshot is None or self._snapshot.generation != gen:
            self._snapshot = snap.load(self.store, self.dim)
            self._poor = self.store.poor_passages()
            self._analysed.clear()
            self._keys = {}
        return self._snapshot

    def search(
        self,
        query: str,
        k: int = 10,
        mode: str = "hybrid",
        doc: list[str] | None = None,
        publisher: list[str] | None = None,
        year: list[int] | None = None,
        kind: list[str] | None = None,
        vector: np.ndarray | None = None,
        rerank: bool | None = None,
        visible: frozenset[str] | None = None,
    ) -> list[Hit]:
        """Top-k passages for `query`; filters by document, publisher, year and, with `kind`
        (recommendation, problem), to passages that hold a statement of that kind. `vector`: the
        query's embedding when the caller already has it (it is then not embedded again); `rerank`:
        whether the learned reranker reorders a hybrid search (None: `SearchParams.rerank`);
        `visible`: the document ids the viewer may see (None: all; empty: no hits)."""
        if mode not in MODES:
            raise QueryError(f"Onbekende zoekmodus '{mode}'; kies uit {', '.join(MODES)}.")
        query = clean_query(query, self.params.max_query_chars)
        if not query:
            raise QueryError("Geef een zoekvraag op.")
        if mode != "dense" and not analyze(query) and mode == "lexical":
            raise QueryError("De zoekvraag bevat alleen stopwoorden; probeer inhoudelijke woorden.")
        with self._lock, self.store.read():
            s = self._current()
            allowed_ids = self._allowed(doc, publisher, year, kind, visible)
        if allowed_ids is not None and not len(allowed_ids):
            return []
        mask = np.isin(s.lexical.rowids, allowed_ids) if allowed_ids is not None else None
        # the lexical side needs no query vector: it runs while the query is embedded
        # (torch, FAISS and numpy release the GIL; one thread each)
        # lexical mode ranks by BM25 alone: it needs more than k candidates only to weigh poor pages
        n_lexical = k if mode == "lexical" and not self._poor else max(k, self.params.candidates)
        lexical = _POOL.submit(s.lexical.search, query, n_lexical, mask) if mode != "dense" else None
        qvec = (vector if vector is not None else self.embedder.encode_query(query)) if mode != "lexical" else None
        weight = self.lexical_weight(query)
        use = mode == "hybrid" and self.reranker is not None and (self.params.rerank if rerank is None else rerank)
        use = use and self._has_sentences()
        depth = max(k, self.params.rerank_depth) if use else k
        scored = self._rank(s, qvec, mode, depth, allowed_ids, lexical.result() if lexical else None, weight)
        hits = self._hits(query, s, scored)
        return rr.reorder(hits, self.reranker.score(self.rerank_features(query, hits, qvec)), k) if use else hits

    def rerank_features(self, query: str, hits: list[Hit], qvec: np.ndarray | None = None) -> np.ndarray:
        """The reranker's features of the plain hybrid's top `hits` for `query` (index/rerank.py);
        `qvec`: the query's embedding when the caller has it."""
        with self._lock, self.store.read():
            s = self._current()
            stmts = self.store.passage_statements([h.passage_id for h in hits])
        kinds = {pid: {st.kind for st in lst} for pid, lst in stmts.items()}
        qvec = self.embedder.encode_query(query) if qvec is None else qvec
        sentences = self.sentence_cosines(hits, qvec)
        with self._lock:
            return rr.features(rr.Query.of(query, s.lexical.term_idf), hits, kinds, self._analysed, sentences)

    def _has_sentences(self) -> bool:
        """Whether the index keeps sentence vectors for the reranker: an index ingested before they
        existed has none, and searches with the plain hybrid until an ingest or `beleidsbank
        train-rerank` builds them."""
        if len(sv.load(self.store.index_dir, self.model_name)):
            return True
        if not self._warned:
            self._warned = True
            log.info("reranker not used: the index has no sentence vectors yet (%s)", sv.FILE_NAME)
        return False

    def sentence_cosines(self, hits: list[Hit], qvec: np.ndarray) -> np.ndarray:
        """Per hit, the cosine of `qvec` with its best sentence and the mean of its best two
        (index/sentence_vectors.py); the passage's own cosine where none are kept."""
        kept = sv.load(self.store.index_dir, self.model_name)
        keys = self._keys
        return np.array([sv.best(kept.get(keys.get(h.passage_id, "")), qvec, h.dense_score) for h in hits])

    def _hits(self, query: str, s: snap.Snapshot, scored) -> list[Hit]:
        """The ranked (rowid, score, dense, lexical) as cited hits with their best sentence."""
        with self._lock, self.store.read():
            rows = self.store.passages([rid for rid, *_ in scored])
        idf = s.lexical.term_idf(analyze(query))
        hits = []
        for rid, score, dscore, lscore in scored:
            p = rows.get(rid)
            if p is None:
                continue
            if p.id not in self._keys:
                self._keys[p.id] = sv.passage_key(p.text, p.sentences)
            hits.append(
                Hit(
                    rank=len(hits) + 1,
                    score=round(float(score), 4),
                    passage_id=p.id,
                    doc_id=p.doc_id,
                    title=p.title,
                    short=p.short,
                    publisher=p.publisher,
                    year=p.year,
                    page=p.page,
                    page_label=p.page_label,
                    section=p.section,
                    section_path=p.section_path,
                    text=p.text,
                    kind=p.kind,
                    best_sentence=best_sentence(query, p.text, p.sentences, idf),
                    dense_score=round(float(dscore), 4),
                    lexical_score=round(float(lscore), 4),
                    ocr=p.ocr,
                    quality=p.quality,
                )
            )
        return hits

    def _allowed(self, doc, publisher, year, kind, visible=None) -> np.ndarray | None:
        """Rowids the filters allow (None: all). Call inside a read transaction."""
        allowed = self.store.passage_filter(doc, publisher, year, kind, visible)
        return np.fromiter(allowed, dtype=np.int64) if allowed is not None else None

    def lexical_weight(self, query: str) -> float:
        """The weight of the lexical side in the hybrid for this query: the corpus is Dutch, so
        the Dutch index's words only add noise to an English question, which leans on meaning."""
        if language(query) == "en":
            return self.params.lexical_weight_en
        return self.params.lexical_weight

    def _rank(self, s: snap.Snapshot, qvec, mode: str, k: int, allowed_ids, lexical, weight: float):
        """Fuse (the lexical side with `weight`), weigh poor pages, keep the top k; `lexical` is
        the (ids, scores) of the lexical search, None in dense mode."""
        if mode == "lexical":
            ids, sc = lexical
            return self._weigh([(int(i), float(v), 0.0, float(v)) for i, v in zip(ids, sc)], k)
        d_ids, d_sc = vectors.search(s.dense, qvec, max(k, self.params.candidates), allowed_ids)
        if mode == "dense":
            return self._weigh([(int(i), float(v), float(v), 0.0) for i, v in zip(d_ids, d_sc)], k)
        l_ids, l_sc = lexical
        dense = dict(zip(d_ids.tolist(), d_sc.tolist()))
        missing = [i for i in l_ids.tolist() if i not in dense]
        if missing:  # exact cosine for lexical-only candidates
            vecs = np.vstack([s.dense.reconstruct(int(i)) for i in missing])
            dense.update(zip(missing, (vecs @ qvec).tolist()))
        lex = dict(zip(l_ids.tolist(), l_sc.tolist()))
        top_lex = max(lex.values(), default=0.0)
        # dense cosines of e5 sit in a narrow band: scale them over the candidate pool
        d_hi, d_lo = float(d_sc[0]) if len(d_sc) else 1.0, float(d_sc[-1]) if len(d_sc) else 0.0
        span = max(d_hi - d_lo, 1e-6)
        fused = []
        for rid, dv in dense.items():
            lv = lex.get(rid, 0.0) / top_lex if top_lex > 0 else 0.0
            fused.append((rid, (dv - d_lo) / span + weight * lv, dv, lex.get(rid, 0.0)))
        fused.sort(key=lambda t: (-t[1], t[0]))
        return self._weigh(fused, k)

    def _weigh(self, scored: list[tuple], k: int) -> list[tuple]:
        """The top k of the ranked (rowid, score, dense, lexical) once the passages of poor pages
        are weighed down; with none in the index the ranking is left exactly as it is."""
        if not self._poor:
            return scored[:k]
        factor = self.params.poor_page_factor
        out = []
        for rid, score, dscore, lscore in scored:
            level = quality_level(self._poor.get(rid, "goed"))
            if level:
                weight = factor**level  # a negative score (hybrid: below the dense pool) moves down too
                score = score * weight if score >= 0 else score / weight
            out.append((rid, score, dscore, lscore))
        out.sort(key=lambda t: (-t[1], t[0]))
        return out[:k]


def best_sentence(query: str, text: str, sentences: list, idf: dict[str, float] | None = None) -> tuple[int, int]:
    """The sentence of `text` that shares the most query words, rare words counting more."""
    if not sentences:
        return (0, len(text))
    idf = idf or {}
    q_stems = set(analyze(query))
    q_raw = {t for t in tokens(query) if len(t) > 2}
    best, best_score = tuple(sentences[0]), 0.0
    for start, end in sentences:
        sent = text[start:end]
        stems = set(analyze(sent))
        raw = set(tokens(sent))
        score = sum(idf.get(t, 1.0) for t in q_stems & stems) + 0.5 * len(q_raw & raw)
        if score > best_score:
            best, best_score = (start, end), score
    return tuple(best)
