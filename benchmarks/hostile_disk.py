"""The disk, read-only and lock cases of the hostile-input suite (benchmarks/hostile_inputs.py).

Read-only: the suite's read-only copy of its index, used by an unprivileged user (root may
write anything): every read command answers, every write command says "alleen-lezen".
Locks and a full disk: each child copies the index, holds a lock or fills the disk, and
prints 'OK: ...' when the run ended in the Dutch message, before any parsing where that is
the point, with the store as it was and no temporary file left.
"""

from __future__ import annotations

from pathlib import Path

NOBODY = 65534

# argv: index dir, case name
CHILD = r"""
import errno, os, resource, shutil, signal, sqlite3, subprocess, sys, tempfile, time
from pathlib import Path
from beleidsbank.index.store import Store, StoreError
from beleidsbank.index import store_io

index, case = Path(sys.argv[1]), sys.argv[2]
data = Path(tempfile.mkdtemp()) / "data"
shutil.copytree(index, data)
cli = [str(Path(sys.executable).parent / "beleidsbank")]
new = Path(tempfile.mkdtemp())
from tests import pdf_factory as pf
pf.headings_pdf(new / "nieuw.pdf")

def state():
    s = Store.open(data)
    try:
        return s.generation(), sorted(d.id for d in s.documents())
    finally:
        s.close()

def ingest_cli(env):
    t0 = time.monotonic()
    out = subprocess.run(cli + ["ingest", str(new), "--quiet", "--data-dir", str(data)],
                         capture_output=True, text=True, env=dict(os.environ, **env))
    return out.returncode, out.stderr, time.monotonic() - t0

before = state()
if case == "sqlite-lock":
    holder = sqlite3.connect(data / "beleidsbank.sqlite", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # a removal or correction that does not end
    rc, err, took = ingest_cli({"BELEIDSBANK_LOCK_WAIT": "2"})
    holder.close()
    ok = rc == 1 and "wacht op een andere schrijfactie" in err and "Een andere schrijfactie" in err
    ok = ok and "database is locked" not in err and "PDF" not in err
elif case == "ingest-lock":
    with store_io.ingest_lock(data, 1):  # another ingest of the same data directory
        rc, err, took = ingest_cli({"BELEIDSBANK_LOCK_WAIT": "2"})
    ok = rc == 1 and "wacht op een andere schrijfactie" in err and "bezet" in err
elif case == "file-size":
    code = (
        "import resource, signal, sys\n"
        "signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (40960, resource.RLIM_INFINITY))\n"
        "from beleidsbank.cli import main\n"
        "main()\n"
    )
    t0 = time.monotonic()
    out = subprocess.run([sys.executable, "-c", code, "remove", before[1][0], "--data-dir", str(data)],
                         capture_output=True, text=True)
    rc, err, took = out.returncode, out.stderr, time.monotonic() - t0
    ok = rc == 1 and "schijf is vol" in err and "Traceback" not in err
elif case == "faiss-full":
    import faiss
    def full(index, name):  # as FAISS reports a short fwrite
        Path(name).write_bytes(b"half")
        raise RuntimeError(f"write error in {name}: 4 != 90 ({os.strerror(errno.ENOSPC)})")
    faiss.write_index = full
    from beleidsbank.ingest.pipeline import remove
    try:
        remove(before[1][0], data)
        ok, err = False, "no error"
    except StoreError as exc:
        err = str(exc)
        ok = "schijf is vol" in err
    took = 0.0
left = sorted(p.name for p in data.rglob("*.tmp"))
ok = ok and state() == before and not left
print(f"OK: {case}: niets gewijzigd, geen tijdelijke bestanden ({took:.1f} s)" if ok else f"NIET: {err[-400:]} {left}")
sys.exit(0 if ok else 1)
"""


def disk_cases(w: Path, index: Path, cli: str, case_type, python_case) -> list:
    """The cases; `w` holds the suite's read-only copy of `index` (w / "readonly")."""
    readonly = w / "readonly"
    reads = [
        ["documents"],
        ["passages"],
        ["statements"],
        ["links"],
        ["compare"],
    ]  # search: the suite's own "read-only data dir: search" case
    writes = [["remove", "aanbevelingen"], ["meta", "aanbevelingen", "--year", "2020"], ["ingest", str(index)]]
    out = [
        case_type(
            f"read-only data dir: {args[0]}", [cli, *args, "--data-dir", readonly], (0,), needs_index=True, user=NOBODY
        )
        for args in reads
    ]
    out += [
        case_type(
            f"read-only data dir: {args[0]}",
            [cli, *args, "--data-dir", readonly],
            message="alleen-lezen",
            needs_index=True,
            user=NOBODY,
            own_path=True,
        )
        for args in writes
    ]
    for name, case in [
        ("write lock held: ingest", "sqlite-lock"),
        ("another ingest running", "ingest-lock"),
        ("disk full: file size limit (remove)", "file-size"),
        ("disk full: FAISS write error (remove)", "faiss-full"),
    ]:
        out.append(python_case(name, CHILD, needs_index=True).with_args(index, case))
    return out
