"""Hostile-input suite: every way in that issue 17 attacked, one line per case.

    .venv/bin/python -m benchmarks.hostile_inputs [--workdir DIR] [--only SUBSTRING] [--no-model]

Each case runs in a child process of its own (the CLI, or a few lines of Python against one
module), so its time and peak memory are its own. A case is handled when the child ends with
the expected exit status, prints no traceback and no path of the work directory, and, where
the case expects one, says the expected Dutch message. Printed per case: handled (ja/NEE),
seconds, peak memory (MB of the child's maximum resident set), and the first line of the
message. Exits 1 when any case is not handled. Cases that need an index ingest a small PDF
first (the real model; --no-model leaves them out).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from benchmarks import hostile_disk, hostile_pdfs, hostile_uploads

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CLI = str(BIN / "beleidsbank")


@dataclass
class Case:
    name: str
    argv: list[str]
    exit_codes: tuple[int, ...] = (1,)
    message: str = ""  # a substring the output must hold
    needs_index: bool = False
    max_mb: float = 0.0  # a bound on the peak memory, when the case is about memory
    max_seconds: float = 0.0
    env: dict[str, str] = field(default_factory=dict)
    user: int | None = None  # run as this uid (a read-only data dir means nothing to root)
    max_lines: int = 0  # a bound on the lines of output (warnings per nesting level, say)
    absent: str = ""  # text the output must not hold
    own_path: bool = False  # the message may name a path the user gave (the CLI's --data-dir)

    def with_args(self, *args) -> Case:
        return replace(self, argv=self.argv + [str(a) for a in args])


@dataclass
class Outcome:
    handled: bool
    seconds: float
    peak_mb: float
    message: str


def run_child(argv: list[str], env: dict, user: int | None, timeout: float = 300) -> tuple[int, str, float, float]:
    """Exit status, output, seconds and peak resident MB of one child process."""
    if user is not None:
        argv = ["setpriv", f"--reuid={user}", f"--regid={user}", "--clear-groups", *argv]
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env, cwd=REPO)
        deadline = t0 + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.02)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    return proc.returncode, text, time.perf_counter() - t0, usage.ru_maxrss / 1024


def judge(case: Case, rc: int, text: str, seconds: float, peak: float, workdir: Path) -> Outcome:
    lines = [ln for ln in text.splitlines() if ln.strip()]
    message = next((ln for ln in lines if ln.startswith(("Fout:", "waarschuwing:", "Error:", "OK:"))), "")
    message = message or (lines[-1] if lines else "")
    handled = (
        rc in case.exit_codes
        and "Traceback" not in text
        and (case.own_path or str(workdir) not in text)
        and (not case.message or case.message in text)
        and (not case.max_mb or peak <= case.max_mb)
        and (not case.max_seconds or seconds <= case.max_seconds)
        and (not case.max_lines or len(lines) <= case.max_lines)
        and (not case.absent or case.absent not in text)
    )
    return Outcome(handled, seconds, peak, message[:150])


def python_case(name: str, code: str, **kw) -> Case:
    """A case that runs a few lines of Python; they print 'OK: ...' and exit 0 when handled."""
    return Case(name, [sys.executable, "-c", code], **{"exit_codes": (0,), **kw})


def cases(w: Path, index: Path) -> list[Case]:
    """Every case, with its inputs under the work directory `w` and an index at `index`."""
    files = hostile_pdfs.make_all(w)
    q = files["queries"]
    return [
        *hostile_pdfs.pdf_cases(files, python_case),
        Case("app: listens on all interfaces", [CLI, "app", "--host", "0.0.0.0"], message="--insecure-open"),
        Case("queries: not UTF-8", [CLI, "search", "--queries", q["latin1"], "--data-dir", index], message="UTF-8"),
        Case("queries: lone surrogate", [CLI, "search", "--queries", q["surrogate"], "--data-dir", index]),
        Case("queries: deep nesting", [CLI, "search", "--queries", q["nested"], "--data-dir", index]),
        Case("queries: query null", [CLI, "search", "--queries", q["null"], "--data-dir", index], message="tekst"),
        Case("queries: BOM", [CLI, "search", "--queries", q["bom"], "--data-dir", index], (0,), needs_index=True),
        Case(
            "query: invalid UTF-8", [CLI, "search", b"a\xffb".decode("utf-8", "surrogateescape"), "--data-dir", index]
        ),
        Case("search: year 10^20", [CLI, "search", "x", "--year", "9" * 20, "--data-dir", index], (2,)),
        Case("search: publisher x1200", [CLI, "search", "x", *["--publisher", "x"] * 1200, "--data-dir", index]),
        Case("search: k = -1", [CLI, "search", "x", "-k", "-1", "--data-dir", index], (2,)),
        Case(
            "search: missing data dir",
            [CLI, "search", "x", "--data-dir", w / "nergens"],
            message="nog geen index",
            own_path=True,
        ),
        Case(
            "search: publisher %",
            [CLI, "search", "techniek", "--publisher", "%", "--json", "--data-dir", index],
            (0,),
            message="[]",
            needs_index=True,
        ),
        Case("eval: bad JSON", [CLI, "eval", q["bad_gold"], "--data-dir", index], message="geen geldige JSON"),
        Case("eval: empty file", [CLI, "eval", q["empty"], "--data-dir", index], message="geen regels"),
        Case(
            "read-only data dir: search",
            [CLI, "search", "techniek", "--data-dir", files["readonly"]],
            (0,),
            needs_index=True,
            user=65534,
            env={"BELEIDSBANK_MODEL_CACHE": str(w / "models")},
        ),
        Case(
            "model cache not readable: search",
            [CLI, "search", "techniek", "--data-dir", files["readonly"]],
            message="taalmodel",
            needs_index=True,
            user=65534,
            env={"BELEIDSBANK_MODEL_CACHE": str(w / "geen-toegang" / "models")},
        ),
        *hostile_disk.disk_cases(w, index, CLI, Case, python_case),
        *hostile_pdfs.export_list_cases(files, python_case),
        *hostile_uploads.upload_cases(index, python_case),
    ]


def make_index(w: Path, env: dict) -> Path:
    """A small index: one test PDF ingested with the real model."""
    from tests import pdf_factory

    src = w / "bron"
    src.mkdir(parents=True, exist_ok=True)
    pdf_factory.bullets_pdf(src / "aanbevelingen.pdf")
    index = w / "index"
    subprocess.run([CLI, "ingest", str(src), "--data-dir", str(index), "--quiet"], env=env, check=True)
    readonly = w / "readonly"
    shutil.copytree(index, readonly)
    for p in [readonly, *readonly.rglob("*")]:
        p.chmod(0o555 if p.is_dir() else 0o444)
    return index


def readable_model(w: Path) -> Path:
    """A copy of the built default model that another user may read: the read-only case runs as
    an unprivileged user, who cannot enter root's home where the model is cached."""
    from beleidsbank.settings import Settings

    copy = w / "models"
    if not copy.exists():
        shutil.copytree(Settings.from_env().model_cache, copy)
        for p in [copy, *copy.rglob("*")]:
            p.chmod(0o755 if p.is_dir() else 0o644)
    return copy


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--only", default="")
    ap.add_argument("--no-model", action="store_true", help="leave out the cases that need an index")
    args = ap.parse_args()
    w = args.workdir or Path(tempfile.mkdtemp(prefix="beleidsbank-hostile-"))
    w.mkdir(parents=True, exist_ok=True)
    os.chmod(w, 0o755)
    env = dict(os.environ, PYTHONPATH=str(REPO))
    index = w / "index"
    if not args.no_model:
        index = make_index(w, env)
        readable_model(w)
        (w / "geen-toegang").mkdir(mode=0o700, exist_ok=True)  # a model cache another user cannot make
    failed = 0
    for case in cases(w, index):
        if args.only not in case.name or (case.needs_index and args.no_model):
            continue
        rc, text, seconds, peak = run_child([str(a) for a in case.argv], dict(env, **case.env), case.user)
        o = judge(case, rc, text, seconds, peak, w)
        failed += not o.handled
        print(
            f"{'ja ' if o.handled else 'NEE'} {case.name:42s} {o.seconds:6.1f} s {o.peak_mb:7.0f} MB  {o.message}",
            flush=True,
        )
        if not o.handled:
            print(json.dumps({"exit": rc, "output": text[-600:]}, ensure_ascii=False), flush=True)
    print(f"cases not handled: {failed}")
    if not args.workdir:
        shutil.rmtree(w, ignore_errors=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
