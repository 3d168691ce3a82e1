"""The public API's Searcher (the index's searcher, made from `Settings`) and `find` (complete
word search over the index).

Import them as ``from beleidsbank import Searcher, find`` (see the package doc); ``ingest`` is the
callable stage package ``beleidsbank.ingest``.
"""

from __future__ import annotations

from beleidsbank.index import find as _find
from beleidsbank.index import search
from beleidsbank.index.embed import Embedder
from beleidsbank.index.store import Store
from beleidsbank.settings import Settings


class Searcher(search.Searcher):
    """Hybrid search over the index in `settings.data_dir` (default: `Settings.from_env()`),
    with the settings' search parameters; the model loads on the first query that needs it,
    unless an `embedder` is given. `search(query, k=10, mode="hybrid", ...)` returns `Hit`s."""

    def __init__(self, settings: Settings | None = None, *, embedder: Embedder | None = None):
        self.settings = settings if settings is not None else Settings.from_env()
        super().__init__(
            self.settings.data_dir,
            self.settings.model,
            embedder,
            params=self.settings.search,
            embedding=self.settings.embedding,
        )


def find(expression: str, settings: Settings | None = None, **filters) -> _find.FindResult:
    """Every passage of the index in `settings.data_dir` that holds `expression` (words,
    "phrases", prefix*, AND/OR/NOT; `beleidsbank find --help`), with the count per document and
    the documents without a match. `filters`: doc, publisher, year, kind (lists), as for search.
    FindQueryError (a ValueError with a Dutch message) when the expression cannot be read."""
    settings = settings if settings is not None else Settings.from_env()
    store = Store.open(settings.data_dir)
    try:
        return _find.find(store, expression, **filters)
    finally:
        store.close()
