"""Time to rank the links of N recommendations against M problems (index/links.py).

The recommendation and problem statements of an ingested store are copied, with small noise
on their vectors, to the sizes asked for:

    .venv/bin/python -m benchmarks.bench_links --data-dir DATA 1 5 20

Every pair is scored there (spread over 50 documents), as an ingest does up to
`LinkParams.exact_pairs` pairs. `--candidates` times the path above that (index/link_near.py:
the same score over FAISS nearest-neighbour candidates, not every pair), with every copy of a
document its own document (a 100k-statement archive: about 120 copies); `--add` then times the
update after one more document is added and removed again, and `--check` compares the updated
links with those computed from scratch:

    .venv/bin/python -m benchmarks.bench_links --data-dir DATA --candidates --add --check 120
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np

from beleidsbank.index import link_near, links
from beleidsbank.index.store import Linkable, Store
from beleidsbank.settings import LinkParams


def copies(base: list[Linkable], n: int, rng: np.random.Generator, docs: int = 50, tag: str = "") -> list[Linkable]:
    out = []
    for m in range(n):
        for s in base:
            v = s.vector + 0.05 * rng.normal(size=len(s.vector)).astype(np.float32)
            out.append(
                replace(s, id=f"{s.id}#{tag}{m}", doc_id=f"{s.doc_id}#{tag}{m % docs}", vector=v / np.linalg.norm(v))
            )
    return out


def split(items: list[Linkable]) -> tuple[list[Linkable], list[Linkable]]:
    return [i for i in items if i.kind == "recommendation"], [
        i for i in items if i.kind == "problem" and i.unit != "heading"
    ]


def agreement(a: list, b: list) -> str:
    """Share of recommendations whose (problem, rank) lists are the same in both."""
    ta, tb = {}, {}
    for lk in a:
        ta.setdefault(lk.rec_id, []).append((lk.prob_id, lk.rank))
    for lk in b:
        tb.setdefault(lk.rec_id, []).append((lk.prob_id, lk.rank))
    keys = set(ta) | set(tb)
    same = sum(ta.get(k) == tb.get(k) for k in keys)
    pairs_a = {(lk.rec_id, lk.prob_id) for lk in a}
    pairs_b = {(lk.rec_id, lk.prob_id) for lk in b}
    return f"{same}/{len(keys)} recommendations identical, {len(pairs_a & pairs_b)}/{len(pairs_b)} links shared"


def incremental(base, items, state, found, params, rng, check: bool) -> None:
    """Add the largest document once more (a new document), then remove it, timing each update."""
    doc = Counter(s.doc_id for s in base).most_common(1)[0][0]
    added = copies([s for s in base if s.doc_id == doc], 1, rng, 1, tag="new")
    for name, now in (("add", items + added), ("remove", items)):
        recs, probs = split(now)
        t = time.perf_counter()
        state, found = link_near.update(state, found, recs, probs)
        print(
            f"{name} one document ({len(added)} statements): {time.perf_counter() - t:.1f} s, "
            f"{state.redone} recommendations ranked again, {state.adjusted} with scores shifted",
            flush=True,
        )
        if check:
            full = link_near.NearLinks(recs, probs, params).links()
            print(f"  against a full run: {agreement(full, found)}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", required=True, type=Path)
    ap.add_argument("copies", type=int, nargs="*", default=[1, 5, 20])
    ap.add_argument("--candidates", action="store_true", help="time the nearest-neighbour path")
    ap.add_argument("--add", action="store_true", help="also time adding and removing one document")
    ap.add_argument("--check", action="store_true", help="compare the update with a full run")
    args = ap.parse_args()
    store = Store.open(args.data_dir)
    base = store.linkable()
    store.close()
    rng = np.random.default_rng(0)
    params = LinkParams(learned=False)
    for n in args.copies:
        items = copies(base, n, rng, n if args.candidates else 50)
        recs, probs = split(items)
        t = time.perf_counter()
        if args.candidates:
            state = link_near.NearLinks(recs, probs, params)
            found = state.links()
        else:
            found = links.link(recs, probs, replace(params, exact_pairs=len(recs) * len(probs)))
        print(
            f"{len(recs)} recommendations x {len(probs)} problems ({len(items)} statements): "
            f"{time.perf_counter() - t:.1f} s, {len(found)} links",
            flush=True,
        )
        if args.candidates and args.add:
            incremental(base, items, state, found, params, rng, args.check)


if __name__ == "__main__":
    main()
