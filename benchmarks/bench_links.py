"""Time to rank the links of N recommendations against M problems (index/links.py).

The recommendation and problem statements of an ingested store are copied, with small noise
on their vectors and spread over 50 documents, to the sizes asked for:

    .venv/bin/python -m benchmarks.bench_links --data-dir DATA 1 5 20

Links and themes are recomputed in full at every ingest, so this is the cost an ingest pays
for them on a corpus of that size. `--candidates` times the nearest-neighbour path of the
learned scorer instead (index/link_features.py: FAISS top-M candidates, not every pair), with
every copy of a document its own document (a 100k-statement archive: about 120 copies):

    .venv/bin/python -m benchmarks.bench_links --data-dir DATA --candidates 10 120
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from beleidsbank.index import link_scorer, links
from beleidsbank.index.store import Linkable, Store
from beleidsbank.settings import LinkParams


def copies(base: list[Linkable], n: int, rng: np.random.Generator, docs: int = 50) -> list[Linkable]:
    out = []
    for m in range(n):
        for s in base:
            v = s.vector + 0.05 * rng.normal(size=len(s.vector)).astype(np.float32)
            out.append(replace(s, id=f"{s.id}#{m}", doc_id=f"{s.doc_id}#{m % docs}", vector=v / np.linalg.norm(v)))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", required=True, type=Path)
    ap.add_argument("copies", type=int, nargs="*", default=[1, 5, 20])
    ap.add_argument("--candidates", action="store_true", help="time the nearest-neighbour path")
    args = ap.parse_args()
    store = Store.open(args.data_dir)
    base = store.linkable()
    store.close()
    rng = np.random.default_rng(0)
    for n in args.copies:
        items = copies(base, n, rng, n if args.candidates else 50)
        recs = [i for i in items if i.kind == "recommendation"]
        probs = [i for i in items if i.kind == "problem"]
        t = time.perf_counter()
        if args.candidates:
            found = links._Learned(recs, probs, LinkParams(), link_scorer.hand_only()).links()
        else:
            found = links.link(recs, probs, LinkParams(learned=False))
        print(
            f"{len(recs)} recommendations x {len(probs)} problems: {time.perf_counter() - t:.1f} s, {len(found)} links",
            flush=True,
        )


if __name__ == "__main__":
    main()
