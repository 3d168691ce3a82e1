"""PDFs added from the app: where they are kept, under which name, and what happens to a file the
ingest skips.

Uploaded files are kept in `<data dir>/uploads`, because the index cites them and the page view
shows them from there. A file with the name of an earlier upload is a new version of that document.
Only files that are in the index stay: a skipped new file is removed again, and a skipped new
version of a file gives way to the previous version, which the index still describes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

FOLDER = "uploads"  # under the data dir
MAX_NAME = 120  # characters of a file name's stem


def folder(data_dir: Path) -> Path:
    return Path(data_dir) / FOLDER


def upload_name(name: str) -> str:
    """A safe file name for an uploaded PDF: no folders, no control characters, ends in .pdf."""
    name = Path(name.replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip().lstrip(".")
    stem = Path(name).stem[:MAX_NAME].strip() or "document"
    return f"{stem}.pdf"


@dataclass
class Saved:
    """What `save` wrote: the paths to ingest, the names it changed, and the versions it replaced."""

    paths: list[Path] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (name given, name kept)
    previous: dict[Path, bytes] = field(default_factory=dict)  # content before this upload


def save(target: Path, files: list[tuple[str, bytes]]) -> Saved:
    """Write the uploaded files (name, content) into `target` under safe names."""
    target.mkdir(parents=True, exist_ok=True)
    saved = Saved()
    for given, data in files:
        name = upload_name(given)
        if name != given:
            saved.renamed.append((given, name))
        path = target / name
        if path.exists() and path.read_bytes() != data:
            saved.previous[path] = path.read_bytes()  # put back if the new version is skipped
        path.write_bytes(data)
        if path not in saved.paths:
            saved.paths.append(path)
    return saved


def put_back_skipped(target: Path, skipped_paths: list[str], saved: Saved) -> None:
    """Keep only files that are in the index: a skipped upload goes, or its previous version returns."""
    for skipped in skipped_paths:
        path = Path(skipped)
        if path.parent != target:
            continue
        if path in saved.previous:
            path.write_bytes(saved.previous[path])
        else:
            path.unlink(missing_ok=True)
