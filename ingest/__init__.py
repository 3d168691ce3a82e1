"""Stage 3 of beleidsbank: the ingest pipeline: PDF reading, cleaning, passages, statements and the orchestration of an ingest.

This folder installs as `beleidsbank.ingest`; it is not a top-level package.
"""
if __name__ != "beleidsbank.ingest":
    raise ImportError(f"'{__name__}' is not a package: import beleidsbank.ingest")
