"""Warm query latency per mode over the dev queries (model and index loaded, in process).

    .venv/bin/python -m benchmarks.bench_search [--data-dir DIR] [--queries FILE] [--repeat N]

Needs an ingested data dir (`make ingest`). Prints p50/p95/p99 in milliseconds
per mode, measured around Searcher.search() (query embedding, FAISS, BM25,
fusion, row fetch, best-sentence marking).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from benchmarks import latency

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    from beleidsbank.index.search import Searcher
    from beleidsbank.settings import Settings

    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--queries", default=str(ROOT.parent / "shared" / "eval" / "dev_queries.jsonl"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument(
        "--output",
        default=None,
        help="also write the figures as a dated section of this markdown file (docs/performance.md)",
    )
    args = ap.parse_args()
    from beleidsbank.report import machine

    started_on = machine()  # the load before this run adds its own
    queries = [json.loads(ln)["query"] for ln in Path(args.queries).read_text().splitlines() if ln.strip()]
    settings = Settings.from_env(data_dir=args.data_dir)
    searcher = Searcher(settings.data_dir, params=settings.search, embedding=settings.embedding)
    for q in queries[:3]:
        searcher.search(q)  # warm up: model, index, caches
    n = searcher.store.passage_count()
    print(f"{n} passages, {len(queries)} queries x {args.repeat}")
    print(f"{'mode':<8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    rows = []
    for mode, (p50, p95, p99) in latency.percentiles(searcher, queries, args.repeat).items():
        print(f"{mode:<8} {p50:>7.1f} {p95:>7.1f} {p99:>7.1f}")
        rows.append([mode, f"{p50:.1f}", f"{p95:.1f}", f"{p99:.1f}"])
    if args.output:
        write_report(args.output, rows, f"{n} passages, {len(queries)} queries x {args.repeat}", started_on)


def write_report(path: str, rows: list[list[str]], what: str, started_on: str) -> None:
    """The latency table as the dated section 'bench_search' of a markdown file."""
    import shlex
    import sys

    from beleidsbank.report import table, write_section

    command = shlex.join(["python", "-m", "benchmarks.bench_search", *sys.argv[1:]])
    body = f"Warm queries (model and index loaded), {what}. Machine: {started_on} (at the start).\n\n" + table(
        ["mode", "p50 ms", "p95 ms", "p99 ms"], rows
    )
    write_section(path, "bench_search", "Query latency", command, body)


if __name__ == "__main__":
    main()
