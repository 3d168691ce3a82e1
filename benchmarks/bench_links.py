"""Time to rank the links of N recommendations against M problems (index/links.py).

The recommendation and problem statements of an ingested store are copied, with small noise
on their vectors and spread over 50 documents, to the sizes asked for:

    .venv/bin/python -m benchmarks.bench_links --data-dir DATA 1 5 20

Links and themes are recomputed in full at every ingest, so this is the cost an ingest pays
for them on a corpus of that size.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from beleidsbank.index import links
from beleidsbank.index.store import Linkable, Store


def copies(base: list[Linkable], n: int, rng: np.random.Generator) -> list[Linkable]:
    out = []
    for m in range(n):
        for s in base:
            v = s.vector + 0.05 * rng.normal(size=len(s.vector)).astype(np.float32)
            out.append(replace(s, id=f"{s.id}#{m}", doc_id=f"{s.doc_id}#{m % 50}", vector=v / np.linalg.norm(v)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", required=True, type=Path)
    ap.add_argument("copies", type=int, nargs="*", default=[1, 5, 20])
    args = ap.parse_args()
    store = Store.open(args.data_dir)
    base = store.linkable()
    store.close()
    rng = np.random.default_rng(0)
    for n in args.copies:
        items = copies(base, n, rng)
        recs = [i for i in items if i.kind == "recommendation"]
        probs = [i for i in items if i.kind == "problem"]
        t = time.perf_counter()
        found = links.link(recs, probs)
        print(
            f"{len(recs)} recommendations x {len(probs)} problems: {time.perf_counter() - t:.1f} s, {len(found)} links",
            flush=True,
        )


if __name__ == "__main__":
    main()
