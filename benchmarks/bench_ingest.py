"""Time a full ingest of the shipped corpus into a fresh data directory, an unchanged
re-ingest, and warm query latency on the result.

    .venv/bin/python -m benchmarks.bench_ingest [--corpus corpus] [--repeat 3] [--no-search]

Prints seconds per stage (parse = pypdf + cleaning + spaCy, in a child process
per PDF, two PDFs at a time; model_load = the part of loading the model that parsing
did not hide; embed = passages, with the recommendation/problem statement vectors pooled
from the same forward pass, plus the few statements embedded on their own;
store_and_index = SQLite rows, links and themes, index files, commit), parse
time per page, passages per second embedded, index size on disk, peak memory
(this process; the parser children are separate and small), and warm query
latency p50/p95/p99 per mode over the dev queries (as benchmarks/bench_search.py).
The total includes importing torch/spaCy and loading the model, as a user's run does.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import tempfile
import time
from pathlib import Path

t_start = time.perf_counter()  # before the imports below: the total counts them, as a user's run does
from benchmarks import latency  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(ROOT / "corpus"))
    ap.add_argument("--queries", default=str(ROOT.parent / "shared" / "eval" / "dev_queries.jsonl"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-search", action="store_true")
    ap.add_argument(
        "--output",
        default=None,
        help="also write the figures as a dated section of this markdown file (docs/performance.md)",
    )
    args = ap.parse_args()
    print(f"# {os.popen('uptime').read().strip()}")
    from beleidsbank.report import machine

    started_on = machine()  # the load before this run adds its own
    from beleidsbank.ingest.pipeline import ingest
    from beleidsbank.settings import Settings

    settings = Settings.from_env()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        report = ingest([Path(args.corpus)], data, settings=settings)
        total = time.perf_counter() - t_start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        t0 = time.perf_counter()
        again = ingest([Path(args.corpus)], data, settings=settings)
        reingest = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in data.rglob("*") if p.is_file())
        index_size = sum(p.stat().st_size for p in (data / "index").glob("*") if p.is_file())
        from beleidsbank.index.store import Store

        store = Store.open(data)
        pages = sum(d.n_pages for d in store.documents())
        store.close()
        t = report.timings
        rows = [
            (
                "documents",
                f"{len(report.added)}  pages {pages}  passages {report.passages}  "
                f"statement vectors {int(t.get('statements', 0))} "
                f"({int(t.get('statements_alone', 0))} embedded on their own)",
            ),
            ("parse", f"{t['parse']:.1f} s  ({1000 * t['parse'] / max(pages, 1):.0f} ms/page)"),
            (
                "model load",
                f"{t['model_load']:.1f} s waited after parsing  "
                f"({t.get('model_load_total', t['model_load']):.1f} s in all, "
                "in a thread beside the parsing)",
            ),
            (
                "embed",
                f"{t['embed']:.1f} s  (passages {t.get('embed_passages', 0):.1f} s = "
                f"{report.passages / max(t.get('embed_passages', 1e-9), 1e-9):.1f} passages/s; statements "
                f"on their own {t.get('embed_statements', 0):.1f} s)",
            ),
            ("store + index", f"{t['store_and_index']:.2f} s"),
            ("total (with imports)", f"{total:.1f} s"),
            ("unchanged re-ingest", f"{reingest:.2f} s  ({len(again.unchanged)} unchanged)"),
            ("data dir size", f"{size / 1e6:.1f} MB  (index files {index_size / 1e6:.2f} MB)"),
            ("peak memory (RSS)", f"{peak:.0f} MB"),
        ]
        for label, text in rows:
            print(f"{label:<20} {text}")
        if not args.no_search:
            rows += search_latency(data, args.queries, args.repeat)
    print(f"# {os.popen('uptime').read().strip()}")
    if args.output:
        write_report(args.output, rows, started_on)


def write_report(path: str, rows: list[tuple[str, str]], started_on: str) -> None:
    """The printed figures as the dated section 'bench_ingest' of a markdown file."""
    import shlex
    import sys

    from beleidsbank.report import table, write_section

    command = shlex.join(["python", "-m", "benchmarks.bench_ingest", *sys.argv[1:]])
    body = f"Machine: {started_on} (at the start).\n\n" + table(["what", "figure"], [list(r) for r in rows])
    write_section(path, "bench_ingest", "Ingest of the shipped corpus into an empty data directory", command, body)


def search_latency(data: Path, queries_file: str, repeat: int) -> list[tuple[str, str]]:

    from beleidsbank.index.search import Searcher

    queries = [json.loads(ln)["query"] for ln in Path(queries_file).read_text().splitlines() if ln.strip()]
    searcher = Searcher(data)
    for q in queries[:3]:
        searcher.search(q)  # warm up: model, index, caches
    print(f"warm query latency   {len(queries)} queries x {repeat}")
    rows = []
    for mode, (p50, p95, p99) in latency.percentiles(searcher, queries, repeat).items():
        print(f"  {mode:<8} p50 {p50:5.1f} ms  p95 {p95:5.1f} ms  p99 {p99:5.1f} ms")
        rows.append(
            (
                f"warm query latency, {mode} ({len(queries)} queries x {repeat})",
                f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, p99 {p99:.1f} ms",
            )
        )
    searcher.close()
    return rows


if __name__ == "__main__":
    main()
