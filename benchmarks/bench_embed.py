"""Embedding throughput on the ingested passages: batch size and precision, side by side.

    .venv/bin/python -m benchmarks.bench_embed [--data-dir DIR] [--batches 32 8 4] [--limit N]

Needs an ingested data dir (`make ingest`). Embeds the stored passage texts with the
default model, as an ingest does (sorted by length, "passage: " prompt, all cores), once
per batch size in float32 and, where this CPU has native bfloat16 (or BELEIDSBANK_BF16=1),
once more at the default batch size in bfloat16. Prints seconds, passages per second and,
for bfloat16, 1 - cosine to the float32 vectors and how many of each passage's ten nearest
passages stay the same; wall and CPU seconds of each run. The figures behind index/embed.py's
CPU_BATCH_SIZE and bfloat16 choices (docs/decisions.md).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    from beleidsbank.index import embed
    from beleidsbank.index.store import Store
    from beleidsbank.settings import Settings

    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--batches", type=int, nargs="+", default=[32, 8, 4], help="fixed batch sizes to compare")
    ap.add_argument("--limit", type=int, default=0, help="only the first N texts (0: all)")
    ap.add_argument(
        "--statements", action="store_true", help="the recommendations and problems on their own, not the passages"
    )
    args = ap.parse_args()
    settings = Settings.from_env(data_dir=args.data_dir)
    store = Store.open(settings.data_dir)
    if args.statements:
        with store.read():
            texts = [s.text for s in store.linkable()]
    else:
        rowids = store.passage_rowids()
        passages = store.passages(rowids)
        texts = [passages[int(r)].text for r in rowids]
    texts = texts[: args.limit] if args.limit else texts
    store.close()
    embedder = embed.Embedder(params=settings.embedding)
    encode = embedder.encode_statements if args.statements else embedder.encode_passages
    what = "statements" if args.statements else "passages"
    native = embedder.bf16
    embedder.bf16 = False
    encode(texts[:16])  # warm up
    print(f"{len(texts)} {what}; native bfloat16: {'yes' if native else 'no'}")

    def timed(label: str) -> np.ndarray:
        t0, c0 = time.perf_counter(), time.process_time()
        vecs = encode(texts)
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(f"{label:<28} {dt:7.1f} s  {len(texts) / dt:6.1f} {what}/s  CPU {cpu:7.1f} s")
        return vecs

    default = (embed.CPU_BATCH_SIZE, embed.CPU_MAX_BATCH, embed.CPU_BATCH_CHARS)
    for size in args.batches:  # a fixed number of texts per batch, whatever their length
        embed.CPU_BATCH_SIZE, embed.CPU_MAX_BATCH, embed.CPU_BATCH_CHARS = size, size, 0
        timed(f"float32, batch {size}")
    embed.CPU_BATCH_SIZE, embed.CPU_MAX_BATCH, embed.CPU_BATCH_CHARS = default
    reference = timed("float32, batch by length")  # what an ingest does
    if native:
        embedder.bf16 = True
        agreement("bfloat16", timed("bfloat16, batch by length"), reference)


def agreement(label: str, vecs: np.ndarray, reference: np.ndarray) -> None:
    """1 - cosine to the float32 vectors, and the share of unchanged ten nearest passages."""
    gap = 1.0 - (vecs * reference).sum(axis=1)
    near_a = np.argsort(-(reference @ reference.T), axis=1)[:, 1:11]
    near_b = np.argsort(-(vecs @ vecs.T), axis=1)[:, 1:11]
    same = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(near_a, near_b)])
    print(
        f"{label} vs float32: 1 - cosine max {gap.max():.1e}, mean {gap.mean():.1e}; "
        f"top-10 neighbours the same {100 * same:.1f}%"
    )


if __name__ == "__main__":
    main()
