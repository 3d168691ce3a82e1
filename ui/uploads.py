"""PDFs added from the app: under which name they are kept, which stored document they may
update, and how they are staged so that a failed ingest changes nothing.

Uploaded files are kept in `<data dir>/uploads`, because the index cites them and the page view
shows them from there. An upload never replaces a document by its name alone: a file whose name
is that of a stored document updates it only when the user confirms so (`plan` finds those,
the page asks); otherwise it is a new document under a name of its own. Files are first written
to a staging folder beside the uploads (`stage`); the ingest moves each into `uploads` when its
write transaction commits (ingest/identity.py), and `finish` removes whatever is left.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from beleidsbank.index.records import Document
from beleidsbank.ingest.identity import Upload
from beleidsbank.ingest.manifest import slug_id

FOLDER = "uploads"  # under the data dir
STAGING = ".uploads-staging"  # under the data dir: same file system, so the move is atomic
MAX_NAME_BYTES = 200  # of a stem, in UTF-8: a file system allows 255 for the whole name
STALE_STAGING = 24 * 3600  # seconds: a staging folder this old was left by a killed run
_DROP = {"Cc", "Cf", "Cs", "Co", "Cn"}  # controls, format (bidi, zero width), surrogates, private, unassigned


def folder(data_dir: Path) -> Path:
    return Path(data_dir) / FOLDER


def _cut_bytes(text: str, limit: int) -> str:
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore")


def upload_name(name: str) -> str:
    """A safe file name for an uploaded PDF: the last part of what the browser sent, without
    controls, bidi overrides or other invisible characters, no leading dots, at most
    MAX_NAME_BYTES of stem, ending in .pdf."""
    name = unicodedata.normalize("NFC", name.replace("\\", "/").rsplit("/", 1)[-1])
    name = "".join(
        " " if unicodedata.category(ch).startswith("Z") else ch for ch in name if unicodedata.category(ch) not in _DROP
    )
    name = " ".join(name.split()).lstrip(". ")
    stem = name[:-4] if name.lower().endswith(".pdf") else name
    stem = _cut_bytes(stem, MAX_NAME_BYTES).strip(" .") or "document"
    return f"{stem}.pdf"


@dataclass
class Incoming:
    """One uploaded file: the name given, the name kept, its content, and the stored documents
    whose file it may replace (`matches`, the likeliest first); the user must choose one."""

    given: str
    name: str
    data: bytes
    matches: list[Document] = field(default_factory=list)
    twin: bool = False  # another file of this upload had the same name


def _distinct(name: str, taken: set[str]) -> str:
    """`name`, or 'stem-2.pdf', 'stem-3.pdf', ... when a name in `taken` (case-folded) has it."""
    stem, n = name[:-4], 1
    while name.casefold() in taken:
        n += 1
        name = f"{stem}-{n}.pdf"
    return name


def plan(files: list[tuple[str, bytes]], documents: list[Document]) -> list[Incoming]:
    """The files of one upload with distinct safe names, each with the stored documents it may
    update: the one with the id its name gives, then those with its file name. A file whose
    content is already stored needs no question (the ingest reports it unchanged); of two files
    with one name, and of two files naming one document, only the first is offered the update."""
    stored = {d.sha256 for d in documents}
    names: set[str] = set()
    offered: set[str] = set()
    out = []
    for given, data in files:
        name = upload_name(given)
        twin = name.casefold() in names
        name = _distinct(name, names)
        names.add(name.casefold())
        matches = []
        if not twin and hashlib.sha256(data).hexdigest() not in stored:
            slug = slug_id(Path(name))
            matches = [d for d in documents if d.id == slug]
            matches += [d for d in documents if Path(d.path).name.casefold() == name.casefold() and d.id != slug]
            matches = [d for d in matches if d.id not in offered]  # one file per stored document
        offered.update(d.id for d in matches)
        out.append(Incoming(given, name, data, matches, twin))
    return out


@dataclass
class Staging:
    """The staged files of one upload and the folder that holds them."""

    folder: Path
    uploads: list[Upload]


def _cited(target: Path, documents: list[Document]) -> set[str]:
    """The (case-folded) names of the files in `target` that stored documents cite."""
    where = target.resolve()
    return {Path(d.path).name.casefold() for d in documents if Path(d.path).parent == where}


def stage(data_dir: Path, incoming: list[Incoming], chosen: dict[int, str], documents: list[Document]) -> Staging:
    """Write the files to a new staging folder. File `k` updates the stored document
    `chosen[k]` (one of its matches, as the user confirmed), and keeps that document's file name
    when the document is an upload; every other file gets a name that no stored upload and no
    other file of this upload has."""
    target = folder(data_dir)
    _recover(Path(data_dir) / STAGING, documents)
    _remove_stale(Path(data_dir) / STAGING)
    tmp = Path(data_dir) / STAGING / uuid.uuid4().hex
    tmp.mkdir(parents=True)
    try:
        return Staging(tmp, _write(tmp, target, incoming, chosen, documents))
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)  # a half-written staging (disk full) is no staging
        raise


def _write(tmp: Path, target: Path, incoming: list[Incoming], chosen: dict[int, str], documents) -> list[Upload]:
    taken = _cited(target, documents)
    out = []
    for k, inc in enumerate(incoming):
        old_doc = next((d for d in inc.matches if d.id == chosen.get(k)), None)
        updates = old_doc.id if old_doc else None
        old = Path(old_doc.path) if old_doc else None
        if old is not None and old.parent == target.resolve():
            name = old.name  # the new version takes the place of the old one
        else:
            name = _distinct(upload_name(inc.given), taken)
            taken.add(name.casefold())
        (tmp / name).write_bytes(inc.data)
        out.append(Upload(tmp / name, target / name, updates))
    return out


def finish(data_dir: Path, staging: Staging, replaced: dict[str, str], documents: list[Document]) -> None:
    """After the ingest (committed, failed or refused): remove the staged files that were not
    moved into place, and the earlier file of each replaced upload ({doc id: old path}) that no
    document cites any more."""
    shutil.rmtree(staging.folder, ignore_errors=True)
    cited = {d.path for d in documents}
    where = folder(data_dir).resolve()
    for old in replaced.values():
        path = Path(old)
        if path.parent == where and old not in cited:
            path.unlink(missing_ok=True)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _recover(root: Path, documents: list[Document]) -> None:
    """Move into place a staged file whose ingest committed but was killed before the move: the
    index cites its path and content hash, and the file there is missing or another version."""
    if not root.is_dir():
        return
    wanted = {(Path(d.path).name, d.sha256): Path(d.path) for d in documents}
    for staged in root.glob("*/*.pdf"):
        try:
            path = wanted.get((staged.name, _sha(staged)))
            if path is not None and (not path.is_file() or _sha(path) != _sha(staged)):
                os.replace(staged, path)
        except OSError:
            continue


def _remove_stale(root: Path) -> None:
    """Staging folders left by a run that was killed."""
    if not root.is_dir():
        return
    for sub in root.iterdir():
        try:
            if time.time() - sub.stat().st_mtime > STALE_STAGING:
                shutil.rmtree(sub, ignore_errors=True)
        except OSError:
            continue
