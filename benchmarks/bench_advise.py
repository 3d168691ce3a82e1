"""Warm advice-answer latency over the advice questions (model, index and statements loaded).

    .venv/bin/python -m benchmarks.bench_advise [--data-dir DIR] [--queries FILE] [--repeat N]

Needs an ingested data dir. Prints p50/p95/p99 in milliseconds measured around
`advise()` (intent, query embedding, hybrid passage search, statement scoring, grouping,
passage texts), and the machine's load at the start: timings on a busy machine are upper bounds.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def percentiles(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)

    def at(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]

    return at(0.50), at(0.95), at(0.99)


def main() -> None:
    from beleidsbank.index.advise import advise
    from beleidsbank.index.search import Searcher
    from beleidsbank.report import machine
    from beleidsbank.settings import Settings

    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--queries", default=str(ROOT.parent / "shared" / "eval" / "dev_advice.jsonl"))
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    started_on = machine()
    queries = [json.loads(ln)["query"] for ln in Path(args.queries).read_text().splitlines() if ln.strip()]
    settings = Settings.from_env(data_dir=args.data_dir)
    searcher = Searcher(settings.data_dir, params=settings.search, embedding=settings.embedding)
    for q in queries[:3]:
        advise(searcher, q, params=settings.advise)  # warm up: model, index, statement table
    times = []
    for _ in range(args.repeat):
        for q in queries:
            t = time.perf_counter()
            advise(searcher, q, params=settings.advise)
            times.append((time.perf_counter() - t) * 1000)
    p50, p95, p99 = percentiles(times)
    print(f"{len(queries)} questions x {args.repeat}; machine at the start: {started_on}")
    print(f"advise   p50 {p50:.1f} ms  p95 {p95:.1f} ms  p99 {p99:.1f} ms")


if __name__ == "__main__":
    main()
