"""Which stored document a file is: a document's identity is its source and its content, never
a slug of its file name alone.

A file gets, in this order:
1. the id of the stored document the user confirmed it updates (an upload in the app);
2. the id its folder's manifest.toml gives it (a manifest declares identity);
3. the id of the stored document read from the same source path (a re-ingest updates it);
4. the id of a document with the same content (stored, or earlier in this run): it is unchanged;
5. a new id: the file name's slug, or, when a stored document or an earlier file of this run
   already has that id, the slug plus a short hash of the source path.
So a file can only replace a document it was read from, one its manifest names, or one the
user chose; and a new file never takes the id of another document.

Uploads are staged: the ingest reads a copy kept apart (`Upload.file`) and records the path the
file will have (`Upload.path`); the copy is moved there only after the write transaction that
uses it has committed. A failed or refused run leaves the previous file and the index as they were.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from .manifest import DocMeta, manifest_for, slug_id

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Upload:
    """A staged upload: `file` is read; `path` is where it goes once its ingest commits (the
    source path the index records); `updates` is the id of the stored document the user
    confirmed this file replaces (None: it is a new document unless its source path is known)."""

    file: Path
    path: Path
    updates: str | None = None


def source_key(path: Path) -> str:
    """A source path as the store records it (ParsedDocument.path)."""
    return str(Path(path).resolve())


def path_hash(path: Path, n: int = 8) -> str:
    return hashlib.sha256(source_key(path).encode("utf-8", "surrogatepass")).hexdigest()[:n]


def kept_meta(doc) -> DocMeta:
    """The metadata of a stored document, kept when the user replaces its file."""
    return DocMeta(
        id=doc.id,
        title=doc.title,
        short=doc.short,
        publisher=doc.publisher,
        year=doc.year,
        kind=doc.kind,
        language=doc.language or "nl",
    )


def probe(test: Callable[[], bool]) -> bool:
    """`Path.exists` or `is_dir` that answers False for a name the file system refuses (too long)."""
    try:
        return test()
    except OSError:
        return False


def missing_reason(path: Path) -> str:
    """Why a file given by name cannot be found (Dutch, for users)."""
    if len(Path(path).name.encode("utf-8", "surrogateescape")) > 255:
        return "De bestandsnaam is te lang (meer dan 255 bytes)."
    return "Het bestand bestaat niet."


class Resolver:
    """Gives each file of one ingest run its document id and metadata (see the module's rules)."""

    def __init__(self, known: dict, uploads: list[Upload] | None = None):
        self.known = known  # doc id -> stored Document
        self.by_path = {d.path: d.id for d in known.values()}
        self.by_sha: dict[str, str] = {}
        for d in known.values():
            self.by_sha.setdefault(d.sha256, d.id)
        self.staged = {source_key(u.file): u for u in uploads or []}
        self.given: set[str] = set()  # ids given to files of this run
        self.run_sha: dict[str, str] = {}
        self.placed: dict[str, Upload] = {}  # doc id -> the staged upload it was parsed from

    def upload(self, file: Path) -> Upload | None:
        return self.staged.get(source_key(file))

    def source(self, file: Path) -> Path:
        """The path the index records for `file`: where a staged upload will be, else the file."""
        up = self.upload(file)
        return up.path if up else Path(file)

    def resolve(self, file: Path, sha: str) -> tuple[str, DocMeta | None]:
        """The document id of `file` (content hash `sha`) and its metadata, when known before parsing."""
        up = self.upload(file)
        src = self.source(file)
        meta = manifest_for(src)
        if up and up.updates:
            doc_id = up.updates
            old = self.known.get(doc_id)
            if meta is not None:
                meta = replace(meta, id=doc_id)
            elif old is not None:
                meta = manifest_for(Path(old.path)) or kept_meta(old)
                meta = replace(meta, id=doc_id)
        elif meta is not None:
            doc_id = meta.id
        elif source_key(src) in self.by_path:
            doc_id = self.by_path[source_key(src)]
        elif sha in self.run_sha or sha in self.by_sha:
            doc_id = self.run_sha.get(sha) or self.by_sha[sha]
        else:
            doc_id = self.fresh(src)
        self.given.add(doc_id)
        self.run_sha.setdefault(sha, doc_id)
        return doc_id, meta

    def fresh(self, src: Path) -> str:
        """A new id for `src`: its slug, or the slug and a hash of its path when that is taken."""
        base = slug_id(src)
        digest = path_hash(src, 64)
        for candidate in (base, *(f"{base}-{digest[:n]}" for n in (8, 12, 16, 64))):
            if candidate not in self.known and candidate not in self.given:
                return candidate
        raise AssertionError("a 64-digit path hash is taken")  # two sources with one sha256

    def place(self, doc, doc_id: str, file: Path) -> None:
        """Give a parsed document its id and the source path the index records."""
        doc.meta.id = doc_id
        doc.path = source_key(self.source(file))
        up = self.upload(file)
        if up is not None:
            self.placed[doc_id] = up

    def swap_in(self, committed: list[str]) -> list[str]:
        """After the commit: move the staged copy of each committed document to its path. Returns
        the names of the files that could not be moved (the index then describes a missing file)."""
        failed = []
        for doc_id in committed:
            up = self.placed.get(doc_id)
            if up is None:
                continue
            try:
                up.path.parent.mkdir(parents=True, exist_ok=True)
                os.replace(up.file, up.path)
            except OSError as exc:
                log.warning("staged upload %s not moved into place: %s", up.path.name, exc)
                failed.append(up.path.name)
        return failed
