"""Warm query latency per search mode, shared by the benchmarks."""

from __future__ import annotations

import time

import numpy as np

MODES = ("hybrid", "dense", "lexical")


def percentiles(searcher, queries: list[str], repeat: int, k: int = 10) -> dict[str, list[float]]:
    """{mode: [p50, p95, p99]} in milliseconds over `repeat` rounds of `queries`."""
    out = {}
    for mode in MODES:
        times = []
        for _ in range(repeat):
            for q in queries:
                t0 = time.perf_counter()
                searcher.search(q, k=k, mode=mode)
                times.append((time.perf_counter() - t0) * 1000)
        out[mode] = [float(x) for x in np.percentile(times, [50, 95, 99])]
    return out
