"""`beleidsbank backup`: a copy taken while an ingest runs restores to a consistent store, the
state before the ingest or after it, whose index files load as they are and answer searches."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from pathlib import Path

from beleidsbank.backup import backup
from beleidsbank.index import snapshot
from beleidsbank.index.search import Searcher
from beleidsbank.index.store import Store
from beleidsbank.ingest.pipeline import ingest
from beleidsbank.settings import Settings
from tests import pdf_factory as f
from tests.page_quality_fixtures import FakeEmbedder

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from beleidsbank.ingest.pipeline import ingest
    from beleidsbank.settings import Settings
    from tests.page_quality_fixtures import FakeEmbedder
    report = ingest([Path(sys.argv[1])], Path(sys.argv[2]), embedder=FakeEmbedder(),
                    settings=Settings().replace(parse_timeout=0))
    print("ingevoerd", len(report.added))
    """
)


def _pdfs(folder: Path, n: int, start: int = 0) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + n):
        f.running_header_pdf(folder / f"rapport-{i}.pdf", pages=3 + i)  # a page more: another content
    return folder


def _check(copy: Path) -> int:
    """The restored copy: schema, integrity, the index files of its generation as they are
    (no rebuild), and a search; returns its number of documents."""
    store = Store.open(copy)
    try:
        assert store.con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        with store.read():
            gen, base = store.generation(), int(store.get_meta("index_base", "0"))
            _dense, lexical, _base = snapshot.load_files(store, gen, base)  # raises when a file is unusable
            assert sorted(lexical.rowids) == sorted(store.passage_rowids())
            n = len(store.documents())
    finally:
        store.close()
    searcher = Searcher(copy, embedder=FakeEmbedder())
    try:
        assert searcher.search("tekort aan technici", k=3, mode="lexical")
    finally:
        searcher.close()
    return n


def test_a_backup_during_an_ingest_restores_to_a_consistent_store(tmp_path):
    data = tmp_path / "data"
    ingest([_pdfs(tmp_path / "a", 2)], data, embedder=FakeEmbedder(), settings=Settings().replace(parse_timeout=0))
    more = _pdfs(tmp_path / "b", 4, start=2)
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(more), str(data)], stdout=subprocess.PIPE, text=True)
    copies = []
    while child.poll() is None and len(copies) < 40:
        dest = tmp_path / f"kopie-{len(copies)}"
        backup(data, dest)
        copies.append(dest)
        time.sleep(0.2)
    assert "ingevoerd 4" in child.communicate(timeout=600)[0]
    copies.append(tmp_path / "kopie-na")
    backup(data, copies[-1])
    counts = [_check(c) for c in copies]
    assert set(counts) <= {2, 6} and counts[-1] == 6, counts


def test_backup_refuses_a_folder_in_use_in_dutch(tmp_path):
    data = tmp_path / "data"
    ingest([_pdfs(tmp_path / "a", 1)], data, embedder=FakeEmbedder(), settings=Settings().replace(parse_timeout=0))
    (tmp_path / "vol").mkdir()
    (tmp_path / "vol" / "iets").write_text("x")
    cli = [sys.executable, "-m", "beleidsbank.cli", "backup"]
    out = subprocess.run(cli + [str(tmp_path / "vol"), "--data-dir", str(data)], capture_output=True, text=True)
    assert out.returncode == 1 and "niet leeg" in out.stderr
    out = subprocess.run(cli + [str(tmp_path / "goed"), "--data-dir", str(data)], capture_output=True, text=True)
    assert out.returncode == 0 and "1 document" in out.stdout, out.stderr
    assert _check(tmp_path / "goed") == 1
