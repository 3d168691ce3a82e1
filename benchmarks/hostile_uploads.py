"""The upload cases of the hostile-input suite (benchmarks/hostile_inputs.py): each child copies
the suite's small index, adds files as the Toevoegen page does (plan, stage, ingest, finish) and
prints 'OK: ...' when the upload kept every document that was not meant to change."""

from __future__ import annotations

# argv: index dir, case name. The stored document is the suite's one ingested PDF.
UPLOAD = r"""
import shutil, sqlite3, sys, tempfile, threading
from pathlib import Path
from beleidsbank.index.store import Store, StoreError
from beleidsbank.ingest.pipeline import ingest
from beleidsbank.settings import Settings
from beleidsbank.ui import uploads
from tests import pdf_factory as pf

index, case = Path(sys.argv[1]), sys.argv[2]
data = Path(tempfile.mkdtemp()) / "data"
shutil.copytree(index, data)

def docs():
    s = Store.open(data)
    try:
        return {d.id: d for d in s.documents()}
    finally:
        s.close()

def add(files, chosen=None, settings=None):
    before = docs()
    plan = uploads.plan(files, list(before.values()))
    staging = uploads.stage(data, plan, chosen or {}, list(before.values()))
    report = None
    try:
        report = ingest([], data, uploads=staging.uploads, settings=settings)
    finally:
        gone = {i: before[i].path for i in (report.replaced if report else []) if i in before}
        uploads.finish(data, staging, gone, list(docs().values()))
    return plan, report

def pdf(name):
    return pf.running_header_pdf(data.parent / name).read_bytes()

(old,) = docs().values()
name = Path(old.path).name
if case == "same-name":
    plan, r = add([(name, pdf("x.pdf"))])
    assert [d.id for d in plan[0].matches] == [old.id], plan
    assert len(r.added) == 1 and r.added[0] != old.id and docs()[old.id] == old, r
    print(f"OK: new document {r.added[0]}, {old.id} unchanged")
elif case == "twins":
    _, r = add([("nota.pdf", pdf("a.pdf")), ("nota.pdf", pf.hyphenation_pdf(data.parent / "b.pdf").read_bytes())])
    assert len(r.added) == 2 and not r.skipped, r
    print("OK: both files ingested:", ", ".join(r.added))
elif case in ("long-name", "hostile-name"):
    given = "\u00e9" * 300 + ".pdf" if case == "long-name" else "../..\\\x1b[2J\u202egpj\n.pdf"
    plan, r = add([(given, pdf("x.pdf"))])
    kept = plan[0].name
    assert len(r.added) == 1 and len(kept.encode()) <= 255 and "/" not in kept and "\x1b" not in kept, r
    assert (uploads.folder(data) / kept).is_file()
    print(f"OK: kept as a safe name of {len(kept.encode())} bytes")
elif case == "lock":
    _, r = add([("nota.pdf", pdf("a.pdf"))])
    (doc_id,) = r.added
    first, before = (uploads.folder(data) / "nota.pdf").read_bytes(), docs()
    held = sqlite3.connect(data / "beleidsbank.sqlite", check_same_thread=False)
    held.execute("BEGIN IMMEDIATE")
    try:
        new = pf.hyphenation_pdf(data.parent / "b.pdf").read_bytes()
        add([("nota.pdf", new)], {0: doc_id}, Settings(data_dir=data, lock_wait=2.0))
        raise SystemExit("the ingest did not wait for the lock")
    except StoreError as exc:
        message = str(exc)
    held.rollback()
    assert docs() == before and (uploads.folder(data) / "nota.pdf").read_bytes() == first
    assert not any((data / uploads.STAGING).glob("*/*")), "staged files left"
    print("OK: index and file as they were;", message.splitlines()[0][:80])
"""


def upload_cases(index, python_case) -> list:
    def case(title, name, **kw):
        return python_case(f"upload: {title}", UPLOAD, needs_index=True, **kw).with_args(index, name)

    return [
        case("name of a stored document", "same-name"),
        case("two files of one name", "twins"),
        case("600-byte name", "long-name"),
        case("escapes, bidi, ../ in name", "hostile-name"),
        case("write lock held: nothing kept", "lock"),
    ]
