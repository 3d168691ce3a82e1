"""What an ingest does before and around its write: wait for other writers, and the kill
test's hook into the write transaction.

An ingest takes the data directory's ingest lock (store_io.ingest_lock: another ingest
waits) and checks that no other writer holds SQLite's write lock, both before it parses a
file: a run that could not write its result would waste all its parsing and embedding.
A wait is reported as the stage "lock" and bounded by `Settings.lock_wait`; past that the
run ends with LockedError (Dutch), having changed nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

from beleidsbank.index.store import Store
from beleidsbank.settings import Settings

# progress(stage, done, total, detail), as in pipeline.py
Progress = Callable[[str, int, int, str], None]


def open_for_ingest(data_dir: Path, settings: Settings, progress: Progress) -> Store:
    """The store, once this ingest may write it: no other ingest runs in `data_dir` (the ingest
    lock, held until the store is closed) and no other writer holds the write lock."""
    store = Store.create(data_dir, wait=settings.lock_wait)
    try:
        store.hold_ingest_lock(settings.lock_wait, waiting(progress))
        store.can_write_now(settings.lock_wait, waiting(progress))
    except BaseException:
        store.close()
        raise
    return store


def waiting(progress: Progress) -> Callable[[float, float], None]:
    """Reports a wait for another writer as the stage "lock" (seconds waited of those allowed)."""
    return lambda waited, wait: progress("lock", int(waited), int(wait), "")


def events(settings: Settings) -> Callable[[str], None]:
    """The kill test's hook (`Settings.test_events`): report a step of the write transaction
    and wait for the go-ahead, so the test can kill the process exactly there."""
    if not settings.test_events:
        return lambda name: None
    out, back = (int(fd) for fd in settings.test_events.split(","))

    def event(name: str) -> None:
        os.write(out, f"{name}\n".encode())
        os.read(back, 1)  # the go-ahead (or end of file: the test has gone)

    return event
