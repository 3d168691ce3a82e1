"""Helpers of the page-quality, passages and metadata-correction tests: a store whose documents
carry page verdicts set by hand, and an embedder that needs no model."""

from __future__ import annotations

import zlib

import numpy as np

from beleidsbank.index.store import Store
from beleidsbank.ingest.document import PageInfo
from tests.test_store import parsed, put, unit_vectors

DIM = 8
TEXTS = [
    "Er is een groot tekort aan technici in de regio.",
    "Scholen werken samen met bedrijven.",
    "Investeer in leraren en docenten techniek.",
]
WORDS = [("tekort", 72.0, 100.0, 110.5, 112.0), ("technici", 115.0, 100.0, 160.0, 112.0)]


class FakeEmbedder:
    """Vectors from a hash of the text: the same text gets the same vector, no model needed."""

    name = "nep-model"
    dim = DIM

    def _vec(self, text: str) -> np.ndarray:
        v = np.random.default_rng(zlib.crc32(text.encode())).normal(size=DIM).astype(np.float32)
        return v / np.linalg.norm(v)

    def encode_query(self, query: str) -> np.ndarray:
        return self._vec(query)

    def encode_statements(self, texts, progress=None) -> np.ndarray:
        return np.stack([self._vec(t) for t in texts]) if texts else np.zeros((0, DIM), np.float32)

    def encode_passages_with_spans(self, texts, spans, progress=None):
        return self.encode_statements(texts), [[None] * len(s) for s in spans]


def poor_pages() -> list[PageInfo]:
    """Page 1 good, page 2 read by OCR and "matig", page 3 by OCR and "slecht"."""
    return [
        PageInfo(1),
        PageInfo(2, ocr=True, quality="matig", reasons=["weinig herkende woorden"], words=list(WORDS)),
        PageInfo(3, ocr=True, quality="slecht", reasons=["veel onleesbare tekens"]),
    ]


def store_with(data, docs: list[tuple[str, list]], vecs: np.ndarray | None = None) -> Store:
    """A store holding one document per (id, pages) with the texts of TEXTS (passage i on page
    i + 1), written in that order; the same passage vectors for every document unless given."""
    store = Store.create(data)
    for doc_id, pages in docs:
        doc = parsed(doc_id, TEXTS)
        doc.pages = pages
        put(store, doc, vecs if vecs is not None else unit_vectors(len(TEXTS), DIM))
    with store.write():
        store.set_meta("model", FakeEmbedder.name)
        store.set_meta("dim", str(DIM))
    return store
