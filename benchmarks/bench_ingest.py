"""Time a full ingest of the shipped corpus into a fresh data directory, then an unchanged re-ingest.

    .venv/bin/python benchmarks/bench_ingest.py [--corpus corpus]

Prints seconds per stage (parse = pypdf + cleaning + spaCy; model_load; embed;
store_and_index), passages per second embedded, index size on disk and peak memory.
The first figure includes importing torch/spaCy and loading the model, as a user's run does.
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(Path(__file__).resolve().parent.parent / "corpus"))
    args = ap.parse_args()
    t_start = time.perf_counter()
    from index.updater import ingest

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        report = ingest([Path(args.corpus)], data)
        total = time.perf_counter() - t_start
        t0 = time.perf_counter()
        again = ingest([Path(args.corpus)], data)
        reingest = time.perf_counter() - t0
        size = sum(p.stat().st_size for p in data.rglob("*") if p.is_file())
        from index.store import Store

        store = Store(data)
        pages = sum(d.n_pages for d in store.documents())
        store.close()
    t = report.timings
    print(f"documents            {len(report.added)}  pages {pages}  passages {report.passages}")
    print(f"parse                {t['parse']:.1f} s  ({1000 * t['parse'] / max(pages, 1):.0f} ms/page)")
    print(f"model load           {t['model_load']:.1f} s")
    print(f"embed                {t['embed']:.1f} s  ({report.passages / t['embed']:.1f} passages/s)")
    print(f"store + index        {t['store_and_index']:.2f} s")
    print(f"total (with imports) {total:.1f} s")
    print(f"unchanged re-ingest  {reingest:.2f} s  ({len(again.unchanged)} unchanged)")
    print(f"data dir size        {size / 1e6:.1f} MB")
    print(f"peak memory (RSS)    {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
