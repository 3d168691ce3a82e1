"""One query on one thread or on all cores: query embedding (torch) and exact FAISS search.

    .venv/bin/python -m benchmarks.bench_threads --data-dir /tmp/bb/scale-100000 [--sizes 10000 100000]

Prints p50/p95 in ms per thread count, with the load average (the difference shows on a busy
machine, where threads of one parallel region wait for each other). The data directory gives the
vectors for the exact search (any ingested one; bench_scale.py's synthetic ones have 100k).
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np

from beleidsbank.index.store import Store

ROOT = Path(__file__).resolve().parent.parent


def pct(times) -> str:
    p50, p95 = np.percentile(times, [50, 95])
    return f"p50 {p50:6.2f} ms  p95 {p95:6.2f} ms"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--queries", default=str(ROOT.parent / "shared" / "eval" / "dev_queries.jsonl"))
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    args = ap.parse_args()
    import faiss
    import torch

    from beleidsbank.index.embed import Embedder
    from beleidsbank.settings import Settings

    print(f"# {os.popen('uptime').read().strip()}")
    queries = [json.loads(ln)["query"] for ln in Path(args.queries).read_text().splitlines() if ln.strip()]
    emb = Embedder(params=Settings.from_env().embedding)
    qvecs = np.vstack([emb.encode_query(q) for q in queries])
    for n in (2, 1):
        times = []
        for q in queries * 2:
            torch.set_num_threads(n)  # encode_query sets one thread; undo that for the comparison
            t = time.perf_counter()
            emb.model.encode(
                [q],
                prompt_name=emb._query_prompt,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
            times.append((time.perf_counter() - t) * 1000)
        print(f"query embedding, {n} torch thread(s):  {pct(times)}")
    store = Store.open(Path(args.data_dir))
    vecs = store.vectors_of(store.passage_rowids()[: max(args.sizes)], int(store.get_meta("dim", "384")))
    store.close()
    for size in args.sizes:
        index = faiss.IndexFlatIP(vecs.shape[1])
        index.add(vecs[:size])
        for n in (2, 1):
            faiss.omp_set_num_threads(n)
            times = []
            for q in np.vstack([qvecs] * 3):
                t = time.perf_counter()
                index.search(q.reshape(1, -1), 100)
                times.append((time.perf_counter() - t) * 1000)
            print(f"exact search of {size} vectors, {n} OpenMP thread(s):  {pct(times)}")
    print(f"# {os.popen('uptime').read().strip()}")


if __name__ == "__main__":
    main()
