"""The public API's Searcher: the index's searcher, made from `Settings`.

Import it as ``from beleidsbank import Searcher`` (see the package doc); ``ingest`` is the
callable stage package ``beleidsbank.ingest``.
"""

from __future__ import annotations

from beleidsbank.index import search
from beleidsbank.index.embed import Embedder
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
