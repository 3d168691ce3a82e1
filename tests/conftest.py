"""Shared fixtures: the real default model, and the shipped corpus ingested once per session."""
from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"


@pytest.fixture(scope="session")
def embedder():
    from index.embed import Embedder

    return Embedder()


@pytest.fixture(scope="session")
def corpus_data(tmp_path_factory, embedder):
    """A data directory holding the whole shipped corpus (real PDFs, real model)."""
    from index.updater import ingest

    data = tmp_path_factory.mktemp("corpus-data")
    report = ingest([CORPUS], data, embedder=embedder)
    assert not report.skipped, report.skipped
    return data


@pytest.fixture(scope="session")
def searcher(corpus_data, embedder):
    from index.search import Searcher

    s = Searcher(corpus_data, embedder=embedder)
    yield s
    s.close()
