"""A consistent copy of a data directory while it serves (`beleidsbank backup DEST`).

The store is copied with SQLite's backup API inside one read transaction, so the copy holds
one committed state, whatever an ingest writes meanwhile (WAL: readers never wait for the
writer). The index files are named after the store generation they serve (index/snapshot.py);
the copy gets those of the generation it holds (its full files, or its base and delta), which a
later ingest never rewrites, only adds new ones beside. Should a later run have removed one of
them already, the copy still loads: a reader rebuilds a missing index file from the store's
rows. The other folders (uploads, export lists) are copied as they are.

Restoring is copying the backup folder back as the data directory (with no server running).
"""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from beleidsbank.index.schema import DB_NAME
from beleidsbank.index.store import Store
from beleidsbank.index.store_io import StoreError, copy_database

GENERATION_FILE = re.compile(r"^(dense|lexical|delta)-(\d+)\.(faiss|npz)$")
SKIP = {DB_NAME, DB_NAME + "-wal", DB_NAME + "-shm", DB_NAME + "-journal", "ingest.lock", ".uploads-staging", "index"}


class BackupError(Exception):
    """A backup that cannot be made (Dutch message)."""


@dataclass
class BackupReport:
    generation: int
    documents: int
    index_files: list[str]


def backup(data_dir: Path, dest: Path) -> BackupReport:
    """Copy the data directory `data_dir` to the new folder `dest` (see the module doc)."""
    data_dir, dest = Path(data_dir), Path(dest)
    try:
        used = dest.exists() and any(dest.iterdir())
        inside = dest.resolve().is_relative_to(data_dir.resolve())
    except OSError as exc:  # a name too long, a folder that may not be read
        raise BackupError(f"De map voor de reservekopie kan niet worden gebruikt ({exc.strerror or exc}).") from None
    if used:
        raise BackupError(f"{dest} bestaat al en is niet leeg; kies een nieuwe map voor de reservekopie.")
    if inside:
        raise BackupError("De reservekopie kan niet binnen de datamap zelf staan.")
    store = Store.open(data_dir)
    try:
        dest.mkdir(parents=True, exist_ok=True)
        with store.read():  # one committed state: the pages, its generation and its index base
            generation = store.generation()
            base = store.get_meta("index_base")
            documents = len(store.documents())
            copy_database(store.con, dest / DB_NAME)
    except (OSError, StoreError) as exc:
        shutil.rmtree(dest, ignore_errors=True)
        why = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise BackupError(f"De reservekopie kon niet worden geschreven ({why}).") from exc
    finally:
        store.close()
    wanted = {str(generation)} | ({base} if base else set())
    try:
        files = _copy_index(data_dir / "index", dest / "index", wanted)
        _copy_rest(data_dir, dest)
    except (OSError, shutil.Error) as exc:
        shutil.rmtree(dest, ignore_errors=True)
        raise BackupError(f"De reservekopie kon niet worden geschreven ({exc}); er is niets bewaard.") from None
    return BackupReport(generation, documents, files)


def _copy_index(source: Path, target: Path, generations: set[str]) -> list[str]:
    """The index files of `generations`, and the files that belong to no generation."""
    target.mkdir(exist_ok=True)
    copied = []
    for path in sorted(source.iterdir()) if source.is_dir() else []:
        m = GENERATION_FILE.match(path.name)
        if path.is_file() and not path.name.endswith(".tmp") and (m is None or m.group(2) in generations):
            try:
                shutil.copy2(path, target / path.name)
                copied.append(path.name)
            except FileNotFoundError:  # removed by a later run meanwhile: the copy rebuilds it
                continue
    return copied


def _copy_rest(source: Path, target: Path) -> None:
    """Uploads, export lists and whatever else the data directory holds, but the live store."""
    for path in sorted(source.iterdir()):
        if path.name in SKIP or path.name.endswith(".tmp"):
            continue
        if path.is_dir():
            shutil.copytree(path, target / path.name, dirs_exist_ok=True, copy_function=_copy_if_there)
        elif path.is_file():
            _copy_if_there(path, target / path.name)


def _copy_if_there(src, dst) -> None:
    """A file that a running ingest moved away meanwhile (a replaced upload) is left out."""
    try:
        shutil.copy2(src, dst)
    except FileNotFoundError:
        pass
