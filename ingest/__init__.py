"""Stage 3 of beleidsbank: the ingest pipeline.

PDF reading, cleaning, passages, statements and the orchestration of an ingest. This folder
installs as `beleidsbank.ingest`; it is not a top-level package.

The package is also the public API's ``ingest``: ``from beleidsbank import ingest`` gives this
package, and calling it runs an ingest (`_IngestStage.__call__`). The stage and the public
function share the name ``beleidsbank.ingest``, and Python binds an imported subpackage to its
parent's attribute, so a separate function of that name would be replaced by the package as soon
as any part of the stage is imported.
"""

from __future__ import annotations

import os
import sys
import types

if __name__ != "beleidsbank.ingest":
    raise ImportError(f"'{__name__}' is not a package: import beleidsbank.ingest")


class _IngestStage(types.ModuleType):
    def __call__(self, paths, settings=None, progress=None, *, embedder=None):
        """Add or update PDFs (one path or a list of files and folders) in `settings.data_dir`
        with `settings.model` (default: `Settings.from_env()`); returns the `IngestReport`.
        `progress(stage, done, total, detail)` is told how far each stage is; an `embedder`
        already loaded is used instead of loading the model."""
        from pathlib import Path

        from beleidsbank.settings import Settings

        from .pipeline import ingest

        if isinstance(paths, (str, os.PathLike)):
            paths = [paths]
        settings = settings if settings is not None else Settings.from_env()
        return ingest(
            [Path(p) for p in paths], settings.data_dir, settings.model, progress, embedder, settings=settings
        )


sys.modules[__name__].__class__ = _IngestStage
