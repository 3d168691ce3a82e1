"""beleidsbank: a knowledge base over Dutch policy PDFs.

The public API::

    from beleidsbank import Searcher, Settings, find, ingest

    settings = Settings.from_env(data_dir="data")     # the environment, as the CLI reads it
    report = ingest(["corpus"], settings)              # IngestReport: added, skipped, ...
    for hit in Searcher(settings).search("tekort aan technici"):
        print(hit.rank, hit.short, hit.page_label, hit.text[:80])
    found = find('zij-instroom OR "tekort aan leraren"', settings)  # every passage, not a top k
    print(found.total, found.per_document, found.documents_without)

Without settings both read `Settings.from_env()`. The names load on first use (PEP 562), so
importing one stage (``beleidsbank.index.store``) imports neither torch nor the other stages.
"""

from __future__ import annotations

import importlib

__all__ = ["Searcher", "Settings", "find", "ingest"]

_HOMES = {"Searcher": "beleidsbank.api", "Settings": "beleidsbank.settings", "find": "beleidsbank.api"}


def __getattr__(name: str):
    if name == "ingest":
        # the stage package is the callable (see ingest/__init__.py): Python binds an imported
        # subpackage to this attribute, so a function of the same name would not stay here
        return importlib.import_module("beleidsbank.ingest")
    if name in _HOMES:
        value = getattr(importlib.import_module(_HOMES[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'beleidsbank' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
