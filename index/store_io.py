"""How the store meets the file system: connections, transactions, locks, and the errors of a
full disk, a read-only data directory and a lock held by another writer.

A data directory the process may not write (a read-only mount, a shared folder, another
user's files) is opened read-only: SQLite in `mode=ro`, or, when that cannot start (a WAL
store needs its `-shm` file, which only a writer can create) and no write-ahead log is
pending, `immutable=1`. Nothing is created, upgraded or written then; a write command gets
`ReadOnlyError`.

Failures of the file system reach users as one of three Dutch errors, all `StoreError`s:
`DiskFullError` (ENOSPC, EFBIG, EDQUOT, SQLite's "database or disk is full"),
`ReadOnlyError` and `LockedError`. A write transaction that fails is rolled back when SQLite
has not already done so itself (it does after a full disk), so the first error is the one
reported.
"""

from __future__ import annotations

import errno
import fcntl
import logging
import os
import resource
import shutil
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from .files import DISK_FULL_ERRNOS, is_disk_full
from .migrations import StoreError
from .schema import DB_NAME

log = logging.getLogger(__name__)

LOCK_NAME = "ingest.lock"  # held by an ingest from its start to its end (fcntl.flock)
POLL = 1.0  # seconds between two tries for a held lock (each try reports the wait)
READ_ONLY_ERRNOS = (errno.EROFS, errno.EACCES, errno.EPERM)
NO_ROOM = 1 << 20  # bytes free below which a failed write counts as a full disk

# (seconds waited, seconds allowed) while another writer holds the lock
OnWait = Callable[[float, float], None]


class DiskFullError(StoreError):
    """The disk (or the file size allowed) is full; nothing was changed."""

    def __init__(self, data_dir: Path):
        super().__init__(
            f"De schijf is vol: de index in {data_dir} kon niet worden bijgewerkt. Er is niets gewijzigd; "
            f"de vorige versie van de index blijft bruikbaar. Maak ruimte vrij en probeer het opnieuw."
        )


class ReadOnlyError(StoreError):
    """The data directory may not be written by this process."""

    def __init__(self, data_dir: Path):
        super().__init__(
            f"De datamap {data_dir} is alleen-lezen: zoeken en bekijken kan, toevoegen, verwijderen en "
            f"corrigeren niet. Gebruik een datamap waarin u mag schrijven."
        )


class LockedError(StoreError):
    """Another writer held the write lock longer than this one may wait."""

    def __init__(self, data_dir: Path, waited: float | None = None):
        after = f"na {waited:.0f} s wachten " if waited is not None else ""
        super().__init__(
            f"Een andere schrijfactie (een ingest, verwijdering of correctie) houdt de index in {data_dir} "
            f"bezet; {after}is er niets gewijzigd. Probeer het opnieuw als die klaar is."
        )


def translate(exc: BaseException, data_dir: Path) -> BaseException:
    """The Dutch error for a failure of the file system or of a lock; `exc` itself for any other."""
    if isinstance(exc, StoreError):
        return exc
    if is_disk_full(exc) or (_write_failed(exc) and no_room(data_dir)):
        return DiskFullError(data_dir)
    if isinstance(exc, sqlite3.OperationalError):
        code = getattr(exc, "sqlite_errorcode", 0) & 0xFF
        if code == sqlite3.SQLITE_READONLY:
            return ReadOnlyError(data_dir)
        if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
            return LockedError(data_dir)
    if isinstance(exc, OSError) and exc.errno in READ_ONLY_ERRNOS:
        return ReadOnlyError(data_dir)
    if _write_failed(exc):
        return StoreError(
            f"De index in {data_dir} kon niet worden bijgewerkt (schrijffout: {exc}); er is niets gewijzigd."
        )
    return exc


def _write_failed(exc: BaseException) -> bool:
    # SQLite says "disk I/O error" when a write fails outright (EFBIG, or ENOSPC at a page
    # boundary), "database or disk is full" only when a write comes out short
    return (
        isinstance(exc, sqlite3.OperationalError) and getattr(exc, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_IOERR
    )


def no_room(data_dir: Path) -> bool:
    """Whether a failed write in `data_dir` is explained by a lack of room: (almost) no free
    space there, or a file size limit on this process."""
    try:
        if shutil.disk_usage(data_dir).free < NO_ROOM:
            return True
    except OSError:
        pass
    return resource.getrlimit(resource.RLIMIT_FSIZE)[0] != resource.RLIM_INFINITY


def writable(data_dir: Path) -> bool:
    """Whether this process may write the store in `data_dir` (the folder, the database, the index folder)."""
    db = data_dir / DB_NAME
    paths = [data_dir, db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm"), data_dir / "index"]
    return all(os.access(p, os.W_OK) for p in paths if p.exists())


def connect(db_path: Path, create: bool, wait: float) -> sqlite3.Connection:
    """A connection that may write; `wait`: seconds a statement waits for a lock."""
    mode = "rwc" if create else "rw"  # "rw": a missing file is an error, never created
    uri = f"{db_path.resolve().as_uri()}?mode={mode}"
    con = sqlite3.connect(uri, uri=True, timeout=wait, isolation_level=None, check_same_thread=False)
    if create:
        con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=NORMAL")
    con.execute("PRAGMA foreign_keys=ON")
    return con


def copy_database(con: sqlite3.Connection, db_path: Path) -> None:
    """Copy the database of `con`, as `con` sees it, to the new file `db_path` (SQLite's backup
    API; inside a read transaction: the committed state that transaction reads)."""
    try:
        target = sqlite3.connect(db_path)
        try:
            con.backup(target)
        finally:
            target.close()
    except sqlite3.Error as exc:  # the target's disk is full or may not be written
        raise StoreError(f"De kopie van de index kon niet worden geschreven ({exc}).") from exc


def connect_read_only(db_path: Path, data_dir: Path) -> sqlite3.Connection:
    """A connection that never writes, for a data directory this process may not write."""
    base = db_path.resolve().as_uri()
    try:
        con = sqlite3.connect(f"{base}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
        con.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # starts the WAL reader, or fails
        return con
    except sqlite3.OperationalError as exc:
        con.close()
        wal = db_path.with_name(db_path.name + "-wal")
        if wal.exists() and wal.stat().st_size > 0:
            # committed changes may wait in the log: reading the database file alone could
            # give pages of two versions
            raise StoreError(
                f"De index in {data_dir} is alleen-lezen en heeft nog niet verwerkte wijzigingen "
                f"({wal.name}). Open hem één keer met schrijfrechten (bijvoorbeeld met beleidsbank documents)."
            ) from exc
    # no log and no -shm that SQLite may create: the database file is the whole store
    return sqlite3.connect(f"{base}?mode=ro&immutable=1", uri=True, isolation_level=None, check_same_thread=False)


class Txn:
    """A transaction: BEGIN on enter, COMMIT on a clean exit, ROLLBACK otherwise. Errors of the
    file system and locks leave it as the Dutch errors of this module."""

    def __init__(
        self,
        con: sqlite3.Connection,
        begin: str,
        data_dir: Path,
        wait: float = 0,
        on_wait: OnWait | None = None,
        on_rollback: list[Callable[[], None]] | None = None,
    ):
        """`on_rollback`: the list that callers fill during the transaction with what to undo
        outside the database (files made for it) when it does not commit."""
        self.con, self.begin, self.data_dir = con, begin, data_dir
        self.wait, self.on_wait = wait, on_wait
        self.on_rollback = on_rollback if on_rollback is not None else []

    def __enter__(self) -> sqlite3.Connection:
        self.on_rollback.clear()
        if self.on_wait is None:
            self._execute(self.begin)
            return self.con
        t0 = time.monotonic()
        step = 0.0  # the first try does not wait, so any wait is shown from its start
        while True:  # short tries, so the wait can be shown and bounded
            left = self.wait - (time.monotonic() - t0)
            self.con.execute(f"PRAGMA busy_timeout={int(max(0.0, min(step, left)) * 1000)}")
            step = POLL
            try:
                self._execute(self.begin)
                return self.con
            except LockedError:
                waited = time.monotonic() - t0
                if waited >= self.wait:
                    raise LockedError(self.data_dir, waited) from None
                self.on_wait(waited, self.wait)
            finally:
                self.con.execute(f"PRAGMA busy_timeout={int(self.wait * 1000)}")

    def _execute(self, sql: str) -> None:
        try:
            self.con.execute(sql)
        except sqlite3.Error as exc:
            raise translate(exc, self.data_dir) from exc

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            try:
                self._execute("COMMIT")
            except BaseException:
                self._rollback()
                raise
            self.on_rollback.clear()
            return False
        self._rollback()
        better = translate(exc, self.data_dir)
        if better is not exc:
            raise better from exc
        return False

    def _rollback(self) -> None:
        # the files go first, while the lock is still held: once it is released, the next
        # writer may be writing files of the same generation number
        for undo in reversed(self.on_rollback):
            try:
                undo()
            except Exception as exc:  # noqa: BLE001 - the transaction's own error is the one to report
                log.warning("undoing a rolled back transaction failed: %s", exc)
        self.on_rollback.clear()
        # SQLite rolls a transaction back itself after some errors (a full disk): a second
        # ROLLBACK would fail and hide the first error
        if self.con.in_transaction:
            try:
                self.con.execute("ROLLBACK")
            except sqlite3.Error as exc:
                log.warning("rollback failed: %s", exc)


@contextmanager
def ingest_lock(data_dir: Path, wait: float, on_wait: OnWait | None = None) -> Iterator[None]:
    """Held by an ingest from before its first parse to its end, so a second ingest waits (or
    gives up) before its expensive work. The lock is the kernel's: it goes with the process,
    a killed ingest leaves none behind."""
    path = data_dir / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise translate(exc, data_dir) from exc
    try:
        t0 = time.monotonic()
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                waited = time.monotonic() - t0
                if waited >= wait:
                    raise LockedError(data_dir, waited) from None
                if on_wait:
                    on_wait(waited, wait)
                time.sleep(min(POLL, wait - waited))
        yield
    finally:
        os.close(fd)  # releases the lock


__all__ = [
    "DISK_FULL_ERRNOS",
    "DiskFullError",
    "LockedError",
    "ReadOnlyError",
    "Txn",
    "connect",
    "connect_read_only",
    "ingest_lock",
    "translate",
    "writable",
]
