"""Kill test: an ingest killed with SIGKILL at any moment leaves a usable, consistent store.

    .venv/bin/python -m benchmarks.kill_test [--kills 50] [--seed 1] [--workdir DIR] [--no-corpus] [--delta]

Sets up a data directory with a first ingest (small PDFs from tests/pdf_factory.py
plus, unless --no-corpus, one corpus PDF with its manifest entry), times one
uninterrupted ingest of a changed set, then N times: starts `beleidsbank ingest`
on a changed and added set of PDFs and kills it with SIGKILL, and checks the store.

Half of the kills land on an event of the write transaction: the ingest reports each
step of it on a pipe and waits for the go-ahead (`Settings.test_events`,
BELEIDSBANK_TEST_EVENTS), so the kill lands exactly there, or a random moment of up to
`--after` seconds after it (inside the next step): when the transaction has begun, when
the rows are written, after each index file, just before the COMMIT, and just after it.
The other half land after a random delay (a third spread over the whole run; a third
over its end: embedding, the write transaction, the commit; a third over the links,
themes and index files written just before the commit; the timings follow what the runs
show, so a busy machine does not push the kills past the commit). After each kill:

- the SQLite database opens and passes `PRAGMA integrity_check` and
  `foreign_key_check`; every document has passages and every passage a document;
- the index files of the current generation hold exactly the store's passage
  rowids (and the FAISS vectors are the stored ones), or, where they are
  missing, the rebuild-from-rows fallback does;
- the documents are exactly those before the run or exactly those after it
  (a run is all or nothing);
- searches (hybrid, dense, lexical) return hits whose passages exist with that text;
- no parser child process outlives the killed ingest.

Finally one ingest runs to completion, and the store must hold its content and no
temporary index file. Prints where the kills landed and
`kills: N, corrupt or inconsistent stores: M`, and exits 1 if M > 0.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from tests import pdf_factory as f

REPO = Path(__file__).resolve().parent.parent

CORPUS_PDF = REPO / "corpus" / "ptvt-2026-talent.pdf"
# the steps of the write transaction an ingest reports (ingest/pipeline.py, index/snapshot.py);
# "committed" comes after the COMMIT, the others inside the transaction
EVENTS = ["write-begun", "rows-written", "index-file", "before-commit", "committed"]
FILE_EVENTS = ("dense-written", "lexical-written", "delta-written")

QUERIES = [
    ("tekort aan technici in de regio", "hybrid"),
    ("aanbevelingen techniekpact", "dense"),
    ("doorlopende leerlijnen mbo hbo", "lexical"),
]


@dataclass
class Summary:
    kills: int = 0
    inconsistent: int = 0  # kills after which the store failed a check
    problems: list[str] = field(default_factory=list)
    phases: Counter = field(default_factory=Counter)  # where the kills landed
    on_events: Counter = field(default_factory=Counter)  # kills on an event of the write transaction
    committed: int = 0  # runs that had committed before the kill
    fallbacks: int = 0  # checks that found no index files for the generation
    deltas: int = 0  # checks of a generation served from a base plus a delta
    orphans: int = 0  # parser processes that outlived a killed ingest
    final_ok: bool = False
    seconds: float = 0.0

    def line(self) -> str:
        return f"kills: {self.kills}, corrupt or inconsistent stores: {self.inconsistent}"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Inputs:
    """PDF variants, made once, and one input folder per round built from them."""

    def __init__(self, root: Path, rng: random.Random):
        self.root, self.rng = root, rng
        self.variants = root / "variants"
        self.variants.mkdir(parents=True)
        makers = [f.headings_pdf, f.bullets_pdf, f.footnote_pdf, f.two_column_pdf, f.hyphenation_pdf, f.metadata_pdf]
        self.a = [make(self.variants / f"a{i}.pdf") for i, make in enumerate(makers)]
        self.b = [f.running_header_pdf(self.variants / f"b{n}.pdf", pages=n) for n in range(2, 7)]
        self.extra = [
            f.write_text_pdf(
                self.variants / f"x{i}.pdf",
                [[(f"Bijlage {i}", "h2")] + f.wrap(f.PARAGRAPHS[i % 6]) + [""] + f.wrap(f.PARAGRAPHS[(i + 2) % 6])],
            )
            for i in range(6)
        ]
        self.corrupt = f.corrupt_pdf(self.variants / "kapot.pdf")

    def round(self, n: int, bad: bool | None = None) -> tuple[Path, dict[str, str]]:
        """An input folder for round `n` and the {doc id: sha256} it should leave in the store."""
        rng = self.rng
        folder = self.root / "rounds" / f"r{n:03d}"
        folder.mkdir(parents=True)
        files = {"notitie-a": rng.choice(self.a), "notitie-b": rng.choice(self.b)}
        for k in rng.sample(range(4), rng.randint(0, 2)):
            files[f"extra-{k}"] = rng.choice(self.extra)
        for doc_id, src in files.items():
            # tagged after %%EOF with its id: a document is also known by its content (the same
            # content under another name is that document), so each id gets content of its own
            (folder / f"{doc_id}.pdf").write_bytes(src.read_bytes() + f"\n%{doc_id}\n".encode())
        # a document that changes every round, with a word found nowhere else
        word = round_word(n)
        text = (
            f"In ronde {n} van de proef is het woord {word} toegevoegd. Het tekort aan technici "
            f"blijft groot, en scholen en bedrijven werken samen aan doorlopende leerlijnen. " + f.PARAGRAPHS[n % 6]
        )
        f.write_text_pdf(folder / "ronde.pdf", [[(f"Ronde {n}", "h2")] + f.wrap(text)])
        if bad if bad is not None else rng.random() < 0.3:
            shutil.copy(self.corrupt, folder / "kapot.pdf")  # skipped, must not matter
        expected = {p.stem: sha256(p) for p in folder.glob("*.pdf") if p.stem != "kapot"}
        return folder, expected

    def live(self, folder: Path) -> Path:
        """The one folder every run ingests, holding the files of `folder`: a document is known
        by its source path, so a round's files update the documents of the rounds before."""
        live = self.root / "live"
        live.mkdir(exist_ok=True)
        for p in live.iterdir():
            p.unlink()
        for p in folder.iterdir():
            shutil.copy(p, live / p.name)
        return live


def round_word(n: int) -> str:
    return f"proefwoord{n:04d}x"


class Ingest:
    """`beleidsbank ingest` in its own session, with its stderr (progress bars) timestamped;
    with `events`, it reports the steps of its write transaction and waits for `go` at each."""

    def __init__(self, folder: Path, data: Path, events: bool = False):
        self.t0 = time.monotonic()
        env = dict(os.environ, TOKENIZERS_PARALLELISM="false", COLUMNS="120", PYTHONUNBUFFERED="1")
        fds: tuple[int, ...] = ()
        self.seen: list[str] = []  # events reported so far
        if events:
            self._ev_r, ev_w = os.pipe()
            go_r, self._go_w = os.pipe()
            fds = (ev_w, go_r)
            env["BELEIDSBANK_TEST_EVENTS"] = f"{ev_w},{go_r}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "beleidsbank.cli", "ingest", str(folder), "--data-dir", str(data)],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
            env=env,
            pass_fds=fds,
        )
        for fd in fds:  # the child's ends
            os.close(fd)
        self._buffer = b""
        self.events: list[tuple[float, str]] = []
        self.ended_at: float | None = None
        self.out_events: list[tuple[float, str]] = []  # stdout: the report, printed right after the commit
        self._readers = [
            threading.Thread(target=self._read_err, daemon=True),
            threading.Thread(target=self._read_out, daemon=True),
        ]
        for t in self._readers:
            t.start()

    def _read_err(self) -> None:
        fd = self.proc.stderr.fileno()
        while chunk := os.read(fd, 65536):
            self.events.append((time.monotonic() - self.t0, chunk.decode("utf-8", "replace")))
        self.ended_at = time.monotonic() - self.t0  # the pipe closes when the process ends

    def _read_out(self) -> None:
        fd = self.proc.stdout.fileno()
        while chunk := os.read(fd, 65536):
            self.out_events.append((time.monotonic() - self.t0, chunk.decode("utf-8", "replace")))

    def next_event(self, timeout: float = 900) -> str | None:
        """The next event the ingest reports (it then waits for `go`); None when it ended."""
        while b"\n" not in self._buffer:
            ready, _, _ = select.select([self._ev_r], [], [], timeout)
            chunk = os.read(self._ev_r, 4096) if ready else b""
            if not chunk:
                return None
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        name = line.decode()
        self.seen.append("index-file" if name in FILE_EVENTS else name)
        return self.seen[-1]

    def go(self) -> None:
        try:
            os.write(self._go_w, b"g")
        except BrokenPipeError:
            pass

    def kill_on(self, target: str, after: float, rng: random.Random) -> tuple[str, float]:
        """Let the run go on to the event `target` (the first index file for "index-file"), then
        kill it there, or with `after` > 0 a random moment of up to `after` seconds later.
        Returns where it landed ("on X", "after X", or "done") and when."""
        while (name := self.next_event()) is not None:
            if name == target:
                how = "on"
                if after > 0:
                    self.go()
                    time.sleep(rng.uniform(0, after))
                    # a next event reported meanwhile (and not answered): the run waits there
                    ready, _, _ = select.select([self._ev_r], [], [], 0)
                    how = "on" if ready and self.next_event(1.0) is not None else "after"
                if self.proc.poll() is not None:
                    break
                os.kill(self.proc.pid, signal.SIGKILL)
                return f"{how} {self.seen[-1]}", time.monotonic() - self.t0
            self.go()
        return "done", time.monotonic() - self.t0

    def close_events(self) -> None:
        for fd in (getattr(self, "_ev_r", None), getattr(self, "_go_w", None)):
            if fd is not None:
                os.close(fd)

    def committed_at(self) -> float | None:
        """When the run's report appeared (it is printed right after the commit)."""
        return self.out_events[0][0] if self.out_events else None

    def stage_at(self, t: float) -> str:
        """What the run was doing at `t`: start (interpreter, imports, hashing), parse,
        embed (model load and embedding), store (rows written), index (index files, commit)."""
        text = "".join(chunk for when, chunk in self.events if when <= t)
        if "Index bouwen" in text:
            return "index"
        if "Embedden" in text:
            return "store"
        if "PDF's lezen" in text:
            return "embed" if "100%" in text.split("PDF's lezen", 1)[1] else "parse"
        return "start"

    def first(self, label: str) -> float | None:
        return next((when for when, chunk in self.events if label in chunk), None)

    def wait(self, timeout: float = 600) -> int:
        rc = self.proc.wait(timeout)
        for t in self._readers:
            t.join(5)
        return rc

    @property
    def stderr(self) -> str:
        return "".join(chunk for _, chunk in self.events)


def group_members(pgid: int) -> list[int]:
    """Live processes of a process group (Linux /proc), zombies excluded."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] != "Z" and int(fields[2]) == pgid:
            out.append(int(entry.name))
    return out


def store_docs(data: Path) -> dict[str, str]:
    con = sqlite3.connect(str(data / "beleidsbank.sqlite"))
    try:
        return dict(con.execute("SELECT id, sha256 FROM documents"))
    finally:
        con.close()


def check_store(data: Path, embedder, before: dict, after: dict, summary: Summary) -> list[str]:
    """Everything that is wrong with the store in `data` (empty when consistent)."""
    from beleidsbank.index import snapshot
    from beleidsbank.index.search import Searcher
    from beleidsbank.index.store import Store

    problems = []
    db = data / "beleidsbank.sqlite"
    con = sqlite3.connect(str(db), timeout=30)
    try:
        if (r := con.execute("PRAGMA integrity_check").fetchall()) != [("ok",)]:
            problems.append(f"integrity_check: {r[:3]}")
        if r := con.execute("PRAGMA foreign_key_check").fetchall():
            problems.append(f"foreign_key_check: {r[:3]}")
        if r := con.execute("SELECT id FROM documents WHERE id NOT IN (SELECT doc_id FROM passages)").fetchall():
            problems.append(f"documents without passages: {r}")
        orphans = "SELECT COUNT(*) FROM passages WHERE doc_id NOT IN (SELECT id FROM documents)"
        if r := con.execute(orphans).fetchone()[0]:
            problems.append(f"{r} passages without document")
        meta = dict(con.execute("SELECT key, value FROM meta"))
        gen, dim = int(meta["generation"]), int(meta["dim"])
        rows = con.execute("SELECT rowid, vector FROM passages ORDER BY rowid").fetchall()
        docs = dict(con.execute("SELECT id, sha256 FROM documents"))
    finally:
        con.close()
    rowids = np.array([r for r, _ in rows], dtype=np.int64)
    stored = np.vstack([np.frombuffer(v, dtype=np.float32) for _, v in rows]) if rows else np.empty((0, dim))

    if docs not in (before, after):
        changed = {k for k in set(docs) | set(after) if docs.get(k) != after.get(k)}
        problems.append(f"documents are neither the old nor the new set (differ from new in {sorted(changed)})")
    if docs == after and after != before:
        summary.committed += 1

    # the files of this generation: full files, or a base generation's full files plus this one's delta
    base = int(meta.get("index_base", gen))
    needed = [data / "index" / f"dense-{base}.faiss", data / "index" / f"lexical-{base}.npz"]
    if base != gen:
        needed.append(data / "index" / f"delta-{gen}.npz")
        summary.deltas += 1
    if all(p.exists() for p in needed):
        store = Store.open(data)
        try:
            dense, lexical, _ = snapshot.load_files(store, gen, base)
        except Exception as exc:  # noqa: BLE001 - a file that does not load is a finding
            problems.append(f"index files of generation {gen} (base {base}) do not load: {exc}")
        else:
            ids = snapshot.index_rowids(dense)
            if not np.array_equal(ids, rowids):
                problems.append(
                    f"dense index of generation {gen} holds {len(ids)} rowids, the store {len(rowids)} other ones"
                )
            elif len(ids):
                got = np.vstack([dense.reconstruct(int(i)) for i in rowids])
                if not np.allclose(got, stored, atol=1e-6):
                    problems.append(f"dense index of generation {gen} vectors differ from the stored ones")
            if not np.array_equal(lexical.live_rowids(), rowids):
                problems.append(f"lexical index of generation {gen} rowids differ from the store's")
        finally:
            store.close()
    else:
        summary.fallbacks += 1
        store = Store.open(data)
        try:
            with store.read():
                snap = snapshot.load(store, dim)
            if not np.array_equal(snapshot.index_rowids(snap.dense), rowids):
                problems.append("the rebuilt dense index does not hold the store's rowids")
        finally:
            store.close()

    try:
        searcher = Searcher(data, embedder=embedder)
        con = sqlite3.connect(str(db), timeout=30)
        try:
            for query, mode in QUERIES:
                hits = searcher.search(query, k=10, mode=mode)
                if not hits:
                    problems.append(f"search '{query}' ({mode}) found nothing")
                for h in hits:
                    row = con.execute("SELECT text FROM passages WHERE id=?", (h.passage_id,)).fetchone()
                    if row is None or row[0] != h.text:
                        problems.append(f"search hit {h.passage_id} is not a passage of the store")
                        break
        finally:
            con.close()
            searcher.close()
    except Exception as exc:  # noqa: BLE001
        problems.append(f"search failed: {type(exc).__name__}: {exc}")
    return problems


def _timed_kill(folder, data, rng, t_exit, t_late, t_index, t_commit) -> tuple[Ingest, str, float]:
    """An ingest killed after a random delay; returns it, the stage it was in and when."""
    pick = rng.random()
    if pick < 1 / 3:
        delay = rng.uniform(0.0, t_exit)  # anywhere in the run
    elif pick < 2 / 3:  # the end of embedding, the rows, the index files, the commit
        delay = rng.uniform(max(0.0, t_late - 0.4), t_commit + 0.05)
    else:  # links, themes and index files, in the write transaction
        delay = rng.uniform(t_index - 0.05, t_commit + 0.05)
    run_ = Ingest(folder, data)
    time.sleep(max(0.0, delay - (time.monotonic() - run_.t0)))
    killed_at = time.monotonic() - run_.t0
    if run_.proc.poll() is None:
        os.kill(run_.proc.pid, signal.SIGKILL)
        return run_, run_.stage_at(killed_at), killed_at
    return run_, "done", killed_at


def run(
    kills: int = 50,
    seed: int = 1,
    workdir: Path | None = None,
    embedder=None,
    corpus_pdf: Path | None = CORPUS_PDF,
    log=print,
    after_event: float = 0.5,
) -> Summary:
    t_start = time.monotonic()
    # every module the checks use, imported now: the working tree may change during a long run,
    # and one process must not mix modules of two versions
    import beleidsbank.index.search  # noqa: F401
    import beleidsbank.index.snapshot  # noqa: F401
    import beleidsbank.index.store  # noqa: F401

    summary = Summary()
    rng = random.Random(seed)
    own_tmp = workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="kill-test-")) if own_tmp else Path(workdir)
    data = workdir / "data"
    try:
        if embedder is None:
            from beleidsbank.index.embed import Embedder
            from beleidsbank.settings import Settings

            embedder = Embedder(params=Settings.from_env().embedding)
        inputs = Inputs(workdir, rng)

        # set-up: a first ingest, then one timed uninterrupted run of a changed set
        folder, expected = inputs.round(0, bad=False)
        if corpus_pdf is not None:  # with its manifest entry (id and metadata)
            shutil.copy(corpus_pdf, folder / corpus_pdf.name)
            shutil.copy(corpus_pdf.parent / "manifest.toml", folder / "manifest.toml")
        run0 = Ingest(inputs.live(folder), data)
        if run0.wait() != 0:
            raise RuntimeError(f"first ingest failed: {run0.stderr[-2000:]}")
        state = store_docs(data)
        folder, expected = inputs.round(1, bad=True)
        calib = Ingest(inputs.live(folder), data)
        if calib.wait() != 3:
            raise RuntimeError(f"calibration ingest failed: {calib.stderr[-2000:]}")
        t_exit = time.monotonic() - calib.t0
        t_late = calib.first("Embedden") or 0.7 * t_exit
        t_commit = min(calib.committed_at() or t_exit, t_exit)
        t_index = min(calib.first("Index bouwen") or t_commit, t_commit)
        state = {**state, **expected}
        if store_docs(data) != state:
            raise RuntimeError("calibration ingest did not store its documents")
        marks = {label: calib.first(label) for label in ("PDF's lezen", "Embedden", "Index bouwen")}
        log(
            f"set-up: {len(state)} documents; an ingest takes {t_exit:.1f} s ("
            + ", ".join(f"{k} from {v:.1f} s" for k, v in marks.items() if v is not None)
            + f", committed by {t_commit:.1f} s)"
        )

        for n in range(2, kills + 2):
            folder, expected = inputs.round(n)
            folder = inputs.live(folder)
            target = {**state, **expected}
            on_event = n % 2 == 0  # every other kill on an event of the write transaction
            if on_event:
                # every event and both ways of landing, in a run of any length
                k = n // 2 - 1 + seed
                event = EVENTS[k % len(EVENTS)]
                after = 0.0 if k % 2 == 0 else after_event
                run_ = Ingest(folder, data, events=True)
                pgid = run_.proc.pid
                phase, killed_at = run_.kill_on(event, after, rng)
                run_.close_events()
            else:
                run_, phase, killed_at = _timed_kill(folder, data, rng, t_exit, t_late, t_index, t_commit)
                pgid = run_.proc.pid
            run_.wait()
            summary.kills += 1
            if not on_event and phase != "done" and store_docs(data) == target:
                phase = "exit"  # killed after its commit (pruning, printing, interpreter exit)
            summary.phases[phase] += 1
            strict = []
            if on_event and phase != "done":
                summary.on_events[phase] += 1
                inside = "committed" not in phase
                if store_docs(data) != (state if inside else target):
                    strict.append(f"killed {phase}, but the store holds the {'new' if inside else 'old'} documents")
            # follow the machine's pace: moving averages of what this run showed
            if (seen := run_.first("Embedden")) is not None:
                t_late = 0.7 * t_late + 0.3 * seen
            if (seen := run_.committed_at()) is not None:
                t_commit = 0.7 * t_commit + 0.3 * seen
            if (seen := run_.first("Index bouwen")) is not None:
                t_index = min(0.7 * t_index + 0.3 * seen, t_commit)
            if phase == "done" and run_.ended_at is not None:
                t_exit = 0.7 * t_exit + 0.3 * run_.ended_at
            # a parser child must die with its parent (PR_SET_PDEATHSIG)
            deadline = time.monotonic() + 3.0
            while (left := group_members(pgid)) and time.monotonic() < deadline:
                time.sleep(0.05)
            problems = strict
            if left:
                summary.orphans += len(left)
                problems.append(f"{len(left)} process(es) of the killed ingest still running")
                try:
                    os.killpg(pgid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            problems += check_store(data, embedder, state, target, summary)
            if store_docs(data) == target:
                state = target
            if problems:
                summary.inconsistent += 1
                summary.problems += [f"kill {summary.kills} ({phase}, {killed_at:.2f} s): {p}" for p in problems]
            log(
                f"kill {summary.kills:>3}: {killed_at:5.2f} s, {phase:<20} "
                f"{'committed' if state == target else 'rolled back'}"
                f"{'' if not problems else '  PROBLEMS: ' + '; '.join(problems)}"
            )

        # one ingest to completion: the store then holds exactly its content
        n = kills + 2
        folder, expected = inputs.round(n, bad=False)
        final = Ingest(inputs.live(folder), data)
        rc = final.wait()
        target = {**state, **expected}
        final_problems = check_store(data, embedder, target, target, Summary())
        from beleidsbank.index.search import Searcher

        searcher = Searcher(data, embedder=embedder)
        try:
            hits = searcher.search(round_word(n), k=3, mode="lexical")
        finally:
            searcher.close()
        if rc != 0:
            final_problems.append(f"final ingest exited with {rc}: {final.stderr[-500:]}")
        if store_docs(data) != target:
            final_problems.append("final ingest did not store the new content")
        if not hits or hits[0].doc_id != "ronde":
            final_problems.append("the final round's new text is not found")
        if left_over := sorted(p.name for p in (data / "index").glob("*.tmp")):
            final_problems.append(f"temporary index files left: {left_over}")
        summary.final_ok = not final_problems
        summary.problems += [f"final ingest: {p}" for p in final_problems]
        if final_problems:
            summary.inconsistent += 1
    finally:
        summary.seconds = time.monotonic() - t_start
        if own_tmp:
            shutil.rmtree(workdir, ignore_errors=True)
    return summary


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kills", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument(
        "--after", type=float, default=0.5, help="kills after an event land up to this many seconds after it"
    )
    ap.add_argument("--workdir", type=Path, default=None, help="keep the files here (default: a temporary folder)")
    ap.add_argument("--no-corpus", action="store_true", help="only small generated PDFs in the first ingest")
    ap.add_argument(
        "--delta",
        action="store_true",
        help="write every generation after the first as a delta (BELEIDSBANK_DELTA_MIN_BASE=0, "
        "BELEIDSBANK_DELTA_MAX_FRACTION=1000), "
        "so kills also land in delta writes",
    )
    args = ap.parse_args()
    if args.delta:  # every ingest runs as `beleidsbank ingest`, which reads these (Settings.from_env)
        os.environ["BELEIDSBANK_DELTA_MIN_BASE"] = "0"
        os.environ["BELEIDSBANK_DELTA_MAX_FRACTION"] = "1000"
    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
    s = run(
        args.kills, args.seed, args.workdir, corpus_pdf=None if args.no_corpus else CORPUS_PDF, after_event=args.after
    )
    for p in s.problems:
        print("PROBLEM:", p)
    inside = sum(n for where, n in s.on_events.items() if "committed" not in where)
    print(f"kills on events of the write transaction: {dict(sorted(s.on_events.items()))}; inside it: {inside}")
    print(
        f"phases at kill: {dict(sorted(s.phases.items()))}; committed before the kill: {s.committed}; "
        f"checks on rebuilt indexes (no files): {s.fallbacks}; checks of base + delta: {s.deltas}; "
        f"orphaned parsers: {s.orphans}; "
        f"final ingest {'ok' if s.final_ok else 'FAILED'}; {s.seconds:.0f} s"
    )
    print(s.line())
    return 0 if s.inconsistent == 0 and s.final_ok else 1


if __name__ == "__main__":
    sys.exit(main())
