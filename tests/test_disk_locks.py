"""A full disk, a read-only data directory and a held write lock: each ends in a Dutch
message, changes nothing, leaves no temporary file, and the previous index stays usable;
a read-only data directory still serves every read command.

The disk fills for real where it can: SQLite's own page limit (max_page_count), a file
size limit on a child process (RLIMIT_FSIZE, SIGXFSZ ignored, so writes fail with EFBIG)
and, when the tests run as root, a small tmpfs. A FAISS write error is injected at the
file-system edge (faiss.write_index), as FAISS reports it.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import threading
from pathlib import Path

import faiss
import numpy as np
import pytest
from click.testing import CliRunner

from beleidsbank.cli import main
from beleidsbank.index import snapshot, store_io, vectors
from beleidsbank.index.search import Searcher
from beleidsbank.index.store import DiskFullError, LockedError, ReadOnlyError, Store
from beleidsbank.ingest.pipeline import ingest
from beleidsbank.settings import Settings
from tests import pdf_factory as f
from tests.page_quality_fixtures import FakeEmbedder, store_with
from tests.test_store import parsed, put, unit_vectors

REPO = Path(__file__).resolve().parent.parent
NOBODY = 65534


def _leftovers(data: Path) -> list[str]:
    return sorted(p.name for p in data.rglob("*.tmp"))


def _state(data: Path) -> tuple[int, list[str]]:
    store = Store.open(data)
    try:
        return store.generation(), [d.id for d in store.documents()]
    finally:
        store.close()


def _answers(data: Path) -> bool:
    """Searches answer from the store's current index files (not from a rebuild)."""
    store = Store.open(data)
    try:
        with store.read():
            gen, base = store.generation(), int(store.get_meta("index_base", "0"))
            snapshot.load_files(store, gen, base)  # raises when the files are missing or unreadable
    finally:
        store.close()
    searcher = Searcher(data, embedder=FakeEmbedder())
    try:
        return all(searcher.search("tekort aan technici", k=3, mode=m) for m in ("hybrid", "lexical"))
    finally:
        searcher.close()


def _small_store(data: Path) -> Store:
    return store_with(data, [("nota", []), ("brief", [])])


# -- a full disk -----------------------------------------------------------------------------


def test_a_faiss_write_error_is_a_full_disk_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    path = tmp_path / "dense-1.faiss"
    index = faiss.IndexIDMap2(faiss.IndexFlatIP(4))
    index.add_with_ids(unit_vectors(3, 4), np.arange(3, dtype=np.int64))
    vectors.save(index, path)
    before = path.read_bytes()

    def full(index, name):  # as FAISS's FileIOWriter reports a short fwrite
        Path(name).write_bytes(b"half")
        raise RuntimeError(f"Error in ... write error in {name}: 4 != 90 ({os.strerror(errno.ENOSPC)})")

    monkeypatch.setattr(faiss, "write_index", full)
    with pytest.raises(OSError) as caught:
        vectors.save(index, path)
    assert caught.value.errno == errno.ENOSPC
    assert path.read_bytes() == before and _leftovers(tmp_path) == []


def test_a_full_disk_while_the_index_files_are_written_changes_nothing(tmp_path, monkeypatch):
    store = _small_store(tmp_path)
    before = _state(tmp_path)

    def full(self, path):
        Path(str(path) + ".tmp").write_bytes(b"half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(snapshot.LexicalIndex, "save", full)
    with pytest.raises(DiskFullError, match="schijf is vol"):
        put(store, parsed("nieuw", ["Een nieuw tekort aan technici."]), unit_vectors(1))
    assert not store.con.in_transaction
    store.close()
    monkeypatch.undo()
    assert _state(tmp_path) == before
    assert _leftovers(tmp_path) == [] and not list((tmp_path / "index").glob(f"*-{before[0] + 1}.*"))
    assert _answers(tmp_path)


def test_sqlite_full_inside_the_write_transaction_is_reported_as_a_full_disk(tmp_path):
    """SQLite rolls the transaction back itself when the database is full: the error must be
    the full disk, not the failed second ROLLBACK ("no transaction is active")."""
    store = _small_store(tmp_path)
    before = _state(tmp_path)
    pages = store.con.execute("PRAGMA page_count").fetchone()[0]
    store.con.execute(f"PRAGMA max_page_count={pages}")
    big = [f"Passage {i} over het tekort aan technici. " * 80 for i in range(40)]
    with pytest.raises(DiskFullError) as caught:
        put(store, parsed("groot", big), unit_vectors(len(big)))
    assert "no transaction is active" not in str(caught.value)
    assert not store.con.in_transaction
    store.close()
    assert _state(tmp_path) == before and _leftovers(tmp_path) == []
    assert _answers(tmp_path)


CHILD = textwrap.dedent(
    """
    import resource, signal, sys
    from pathlib import Path
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[3]), resource.RLIM_INFINITY))
    from beleidsbank.index.store import StoreError
    from beleidsbank.ingest.pipeline import ingest
    from beleidsbank.settings import Settings
    from tests.page_quality_fixtures import FakeEmbedder
    try:
        report = ingest([Path(sys.argv[1])], Path(sys.argv[2]), embedder=FakeEmbedder(),
                        settings=Settings().replace(parse_timeout=0))
        print("ingevoerd", len(report.added))
    except StoreError as exc:
        print(type(exc).__name__, exc)
    """
)


def _pdfs(folder: Path, n: int, pages: int = 3) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        f.running_header_pdf(folder / f"rapport-{i}.pdf", pages=pages + i)
    return folder


@pytest.fixture(scope="module")
def first_store(tmp_path_factory):
    """A data directory after one real ingest (FakeEmbedder), to copy."""
    root = tmp_path_factory.mktemp("eerste")
    data = root / "data"
    ingest([_pdfs(root / "a", 1)], data, embedder=FakeEmbedder())
    return data


@pytest.mark.slow  # two ingests in child processes
def test_an_ingest_past_the_file_size_limit_reports_a_full_disk(tmp_path, first_store):
    """A real ingest in a child process whose files may not grow past a limit: every limit
    either lets it through or ends it as a full disk, with the store as before."""
    pdfs = _pdfs(tmp_path / "b", 3, pages=4)
    outcomes = set()
    for limit in (60_000, 200_000):
        data = tmp_path / f"data-{limit}"
        shutil.copytree(first_store, data)
        before = _state(data)
        out = subprocess.run(
            [sys.executable, "-c", CHILD, str(pdfs), str(data), str(limit)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert out.returncode == 0 and "Traceback" not in out.stderr, out.stderr[-2000:]
        line = out.stdout.strip().splitlines()[-1]
        outcomes.add(line.split()[0])
        assert line.startswith(("ingevoerd", "DiskFullError")), line
        if line.startswith("DiskFullError"):
            assert "schijf is vol" in line and _state(data) == before
        assert _leftovers(data) == [] and _answers(data)
    assert "DiskFullError" in outcomes


def _mount_tmpfs(where: Path, size: str) -> bool:
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)]).returncode == 0


@pytest.mark.slow  # two ingests
def test_a_real_full_disk(tmp_path, first_store):
    """A tmpfs filled to the last few kilobytes (root only): the ingest ends as a full disk,
    and once there is room again the same ingest goes through."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if not _mount_tmpfs(disk, "4m"):
        pytest.skip("a tmpfs can only be mounted as root")
    try:
        data = disk / "data"
        shutil.copytree(first_store, data)
        before = _state(data)
        filler = disk / "vulling"
        with open(filler, "wb") as fh:  # fill the disk, then give a little back
            try:
                while True:
                    fh.write(b"\0" * 65536)
                    fh.flush()
            except OSError:
                pass
        os.truncate(filler, max(0, filler.stat().st_size - 48_000))
        pdfs = _pdfs(tmp_path / "b", 3, pages=4)
        with pytest.raises(DiskFullError, match="schijf is vol"):
            ingest([pdfs], data, embedder=FakeEmbedder(), settings=Settings().replace(parse_timeout=0))
        assert _state(data) == before and _leftovers(data) == []
        filler.unlink()
        assert _answers(data)
        report = ingest([pdfs], data, embedder=FakeEmbedder(), settings=Settings().replace(parse_timeout=0))
        assert len(report.added) == 3 and _leftovers(data) == []
    finally:
        subprocess.run(["umount", str(disk)])


# -- a read-only data directory --------------------------------------------------------------

READ_COMMANDS = [
    ["documents"],
    ["passages", "--doc", "rapport-0"],
    ["statements"],
    ["links"],
    ["compare"],
    ["search", "tekort aan technici", "--mode", "lexical"],
]
WRITE_COMMANDS = [["remove", "rapport-0"], ["meta", "rapport-0", "--year", "2020"], ["ingest", "{pdfs}"]]

READER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from beleidsbank.index.search import Searcher
    from tests.page_quality_fixtures import FakeEmbedder
    s = Searcher(Path(sys.argv[1]), embedder=FakeEmbedder())
    print(len(s.search("tekort aan technici", k=3)), s.store.read_only)
    """
)


def _as_reader(root: Path):
    """How to run a command as a user who may not write `root`: as nobody when the tests run as
    root (root may write anything), else as this user once the files are made read-only."""
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("setpriv is needed to run a command as another user")
        return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    probe = root / "probe"
    try:
        probe.write_text("")
    except OSError:
        return []
    pytest.skip("chmod does not make files read-only here")


def _read_only_copy(source: Path) -> Path:
    """A copy of the store that only root may write, in a folder every user may read."""
    root = Path(tempfile.mkdtemp(prefix="alleen-lezen-"))
    data = root / "data"
    shutil.copytree(source, data)
    (root / "b").mkdir()
    f.headings_pdf(root / "b" / "nieuw.pdf")
    for path in [root, *root.rglob("*")]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    return root


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX users")
def test_a_read_only_data_dir_serves_reads_and_refuses_writes_in_dutch(first_store):
    root = _read_only_copy(first_store)
    data = root / "data"
    try:
        who = _as_reader(root)
        files = sorted(p.name for p in data.rglob("*"))
        env = dict(os.environ, HOME=str(root), PYTHONDONTWRITEBYTECODE="1")
        cli = [sys.executable, "-m", "beleidsbank.cli"]
        for args in READ_COMMANDS:
            out = subprocess.run([*who, *cli, *args, "--data-dir", str(data)], cwd=REPO, env=env, capture_output=True)
            assert out.returncode == 0 and b"Traceback" not in out.stderr, (args, out.stderr.decode()[-1500:])
            assert out.stdout or args[0] in ("links", "compare", "statements"), args  # these may find nothing
        for args in WRITE_COMMANDS:
            args = [a.format(pdfs=root / "b") for a in args]
            out = subprocess.run([*who, *cli, *args, "--data-dir", str(data)], cwd=REPO, env=env, capture_output=True)
            err = out.stderr.decode()
            assert out.returncode == 1 and "alleen-lezen" in err and str(data) in err, (args, err[-1500:])
            assert "Traceback" not in err
        app = subprocess.run([*who, sys.executable, "-c", READER, str(data)], cwd=REPO, env=env, capture_output=True)
        assert app.stdout.decode().split() == ["3", "True"], app.stderr.decode()[-1500:]
        assert sorted(p.name for p in data.rglob("*")) == files  # no -wal, -shm or lock file made
    finally:
        for path in [root, *root.rglob("*")]:
            path.chmod(0o755)
        shutil.rmtree(root)


def test_write_opens_of_a_read_only_store_say_so(tmp_path, monkeypatch):
    _small_store(tmp_path).close()
    monkeypatch.setattr(store_io.os, "access", lambda path, mode: mode != os.W_OK)
    with pytest.raises(ReadOnlyError, match="alleen-lezen"):
        Store.create(tmp_path)
    with pytest.raises(ReadOnlyError, match="alleen-lezen"):
        Store.open(tmp_path, write=True)
    store = Store.open(tmp_path)  # reading goes on
    try:
        assert store.read_only and len(store.documents()) == 2
        with pytest.raises(ReadOnlyError):
            store.write()
    finally:
        store.close()


# -- locks -----------------------------------------------------------------------------------


def _recorder():
    seen = []
    return seen, lambda stage, done, total, detail="": seen.append(stage)


def test_an_ingest_gives_up_on_another_ingest_before_parsing(tmp_path, first_store):
    data = tmp_path / "data"
    shutil.copytree(first_store, data)
    seen, progress = _recorder()
    with store_io.ingest_lock(data, 1.0):  # another ingest of this data directory
        with pytest.raises(LockedError, match="andere schrijfactie") as caught:
            ingest(
                [_pdfs(tmp_path / "b", 1)],
                data,
                progress=progress,
                embedder=FakeEmbedder(),
                settings=Settings().replace(lock_wait=1.5),
            )
    assert "locked" not in str(caught.value)
    assert "lock" in seen and "parse" not in seen


def test_an_ingest_waits_for_a_writer_and_then_goes_on(tmp_path, first_store):
    data = tmp_path / "data"
    shutil.copytree(first_store, data)
    holder = sqlite3.connect(data / "beleidsbank.sqlite", isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")  # another writer (a removal, a correction) holds the lock
    seen, progress = _recorder()
    try:
        with pytest.raises(LockedError):
            ingest(
                [_pdfs(tmp_path / "b", 1, pages=5)],
                data,
                progress=progress,
                embedder=FakeEmbedder(),
                settings=Settings().replace(lock_wait=1.5),
            )
        assert "lock" in seen and "parse" not in seen
        threading.Timer(1.5, lambda: holder.execute("COMMIT")).start()
        seen.clear()
        report = ingest(
            [tmp_path / "b"],
            data,
            progress=progress,
            embedder=FakeEmbedder(),
            settings=Settings().replace(lock_wait=60),
        )
        assert len(report.added) == 1 and seen.index("lock") < seen.index("parse")
    finally:
        holder.close()


def test_the_cli_shows_the_wait_and_ends_in_dutch(tmp_path, first_store):
    data = tmp_path / "data"
    shutil.copytree(first_store, data)
    holder = sqlite3.connect(data / "beleidsbank.sqlite", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        pdfs = str(_pdfs(tmp_path / "b", 1))
        env = {"BELEIDSBANK_LOCK_WAIT": "1"}
        for args in (["ingest", pdfs, "--quiet"], ["remove", "rapport-0"]):
            result = CliRunner().invoke(main, [*args, "--data-dir", str(data)], env=env)
            assert result.exit_code == 1, result.output
            assert "Fout: Een andere schrijfactie" in result.output and "database is locked" not in result.output
            assert ("wacht op een andere schrijfactie" in result.output) == (args[0] == "ingest")
    finally:
        holder.close()
    assert _state(data) == _state(first_store)
