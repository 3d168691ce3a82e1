"""Latency of complete word search (`beleidsbank find`, index/find.py) over an ingested data dir.

    .venv/bin/python -m benchmarks.bench_find [--data-dir DIR] [--n 120] [--repeat 5] [--seed 0]
                                              [--output docs/performance.md]

The expressions are drawn (seeded) from the corpus's own words, so no set is written for one
corpus: frequent and rare words, words written together and hyphenated, phrases, prefixes of
one to four letters (the widest: a one-letter prefix hits most passages), suffixes and AND/OR/NOT
combinations. Prints the time to read and fold the corpus once (cold) and p50/p95/max of a warm
`find` call (filter query, scan, set operations, spans, counts) per kind of expression.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time
from pathlib import Path

KINDS = ("word", "together", "hyphen", "phrase", "prefix", "suffix", "boolean")


def expressions(corpus, n: int, seed: int) -> list[tuple[str, str]]:
    """(kind, expression) pairs drawn from the corpus's words."""
    rng = random.Random(seed)
    texts = [p.text for p in corpus.passages]
    words = [re.findall(r"[^\W_]+", t) for t in rng.sample(texts, min(len(texts), 200))]
    pairs = [(a, b) for ws in words for a, b in zip(ws, ws[1:])]
    singles = [w for ws in words for w in ws]
    out = []
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        a, b = rng.choice(pairs)
        w = rng.choice(singles)
        expr = {
            "word": w,
            "together": a + b,
            "hyphen": f"{a}-{b}",
            "phrase": f'"{a} {b}"',
            "prefix": w[: rng.choice((1, 2, 3, 4))] + "*",
            "suffix": "*" + w[-rng.choice((2, 3, 4, 5)) :],
            "boolean": f"({a} OR {b}*) AND NOT {w}",
        }[kind]
        out.append((kind, expr))
    return out


def main() -> None:
    from beleidsbank.index.find import FindCorpus, find
    from beleidsbank.index.store import Store
    from beleidsbank.report import machine
    from beleidsbank.settings import Settings

    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--n", type=int, default=120, help="expressions")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--output", default=None, help="also write the figures as a section of this markdown file")
    args = ap.parse_args()
    started_on = machine()
    store = Store.open(Settings.from_env(data_dir=args.data_dir).data_dir)
    t0 = time.perf_counter()
    corpus = FindCorpus.build(store)
    cold = (time.perf_counter() - t0) * 1000
    exprs = expressions(corpus, args.n, args.seed)
    find(store, exprs[0][1])  # warm: the corpus is kept per store version
    times: dict[str, list[float]] = {k: [] for k in KINDS}
    hits: dict[str, list[int]] = {k: [] for k in KINDS}
    for _ in range(args.repeat):
        for kind, expr in exprs:
            t = time.perf_counter()
            result = find(store, expr)
            times[kind].append((time.perf_counter() - t) * 1000)
            hits[kind].append(result.total)
    store.close()
    what = f"{len(corpus.passages)} passages, {len(corpus.text)} characters, {len(exprs)} expressions x {args.repeat}"
    print(what)
    print(f"cold (read and fold every passage): {cold:.0f} ms")
    rows = []
    for kind in (*KINDS, "all"):
        ts = sorted(sum(times.values(), []) if kind == "all" else times[kind])
        hs = sum(hits.values(), []) if kind == "all" else hits[kind]
        p50, p95 = statistics.median(ts), ts[min(len(ts) - 1, int(0.95 * len(ts)))]
        rows.append([kind, f"{p50:.1f}", f"{p95:.1f}", f"{ts[-1]:.1f}", f"{statistics.mean(hs):.0f}"])
    print(f"{'kind':<9} {'p50 ms':>7} {'p95 ms':>7} {'max ms':>7} {'hits':>6}")
    for row in rows:
        print(f"{row[0]:<9} {row[1]:>7} {row[2]:>7} {row[3]:>7} {row[4]:>6}")
    print(f"machine: {started_on} (at the start)")
    if args.output:
        _write(args.output, rows, what, cold, started_on)


def _write(path: str, rows, what: str, cold: float, started_on: str) -> None:
    import shlex
    import sys

    from beleidsbank.report import table, write_section

    command = shlex.join(["python", "-m", "benchmarks.bench_find", *sys.argv[1:]])
    body = (
        f"Warm `find` calls, {what}; reading and folding the corpus once: {cold:.0f} ms. "
        f"Machine: {started_on} (at the start).\n\n" + table(["kind", "p50 ms", "p95 ms", "max ms", "mean hits"], rows)
    )
    write_section(Path(path), "bench_find", "Complete word search latency", command, body)


if __name__ == "__main__":
    main()
