"""Index files written whole or not at all, and what a failed write means.

A file is written beside its final name (`NAME.tmp`), fsynced and renamed over it, so a
reader sees the old file or the whole new one. A write that fails leaves no temporary
file; an error of the C++ writers (FAISS raises RuntimeError with the C library's words)
becomes the OSError it stands for, so callers see one kind of error for a full disk.
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable
from pathlib import Path

# a full disk, a file over the size limit (RLIMIT_FSIZE), a full quota: all "no room to write"
DISK_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EFBIG, errno.EDQUOT})
SQLITE_FULL = 13  # SQLite's primary result code for "database or disk is full"


def is_disk_full(exc: BaseException) -> bool:
    """Whether `exc` says there was no room to write (OS, SQLite or a C++ writer's error)."""
    if isinstance(exc, OSError) and exc.errno in DISK_FULL_ERRNOS:
        return True
    if (getattr(exc, "sqlite_errorcode", 0) or 0) & 0xFF == SQLITE_FULL:
        return True
    return isinstance(exc, RuntimeError) and _errno_in(str(exc)) in DISK_FULL_ERRNOS


def _errno_in(text: str) -> int | None:
    """The errno whose C library message `text` contains (FAISS puts strerror in its messages)."""
    for code in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT, errno.EIO, errno.EROFS, errno.EACCES):
        if os.strerror(code) in text:
            return code
    return None


def tmp_path(path: Path) -> Path:
    return path.with_name(path.name + ".tmp")


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """`write(tmp)` writes the file's content to `tmp`; it becomes `path` only when complete."""
    tmp = tmp_path(path)
    try:
        write(tmp)
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        if isinstance(exc, RuntimeError) and (code := _errno_in(str(exc))) is not None:
            raise OSError(code, os.strerror(code), str(path)) from exc
        raise
