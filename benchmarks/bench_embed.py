"""Embedding throughput on the ingested passages: batch size, precision and backend, side by side.

    .venv/bin/python -m benchmarks.bench_embed [--data-dir DIR] [--batches 32 8 4] [--limit N]

Needs an ingested data dir (`make ingest`). Embeds the stored passage texts with the
default model, as an ingest does (sorted by length, "passage: " prompt, all cores), once
per batch size in float32 and, where this CPU has native bfloat16 (or BELEIDSBANK_BF16=1),
once more at the default batch size in bfloat16. Prints seconds, passages per second and,
for bfloat16, 1 - cosine to the float32 vectors and how many of each passage's ten nearest
passages stay the same. The float32 runs use torch; where the model folder has its ONNX graph,
one more run at the default batch size uses ONNX Runtime (index/onnx_encoder.py), with the same
agreement figures and the CPU seconds of both. The figures behind index/embed.py's
CPU_BATCH_SIZE, bfloat16 and ONNX choices (docs/decisions.md).
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
    ap.add_argument("--batches", type=int, nargs="+", default=[32, 8, 4])
    ap.add_argument("--limit", type=int, default=0, help="only the first N passages (0: all)")
    args = ap.parse_args()
    settings = Settings.from_env(data_dir=args.data_dir)
    store = Store.open(settings.data_dir)
    rowids = store.passage_rowids()
    rowids = rowids[: args.limit] if args.limit else rowids
    passages = store.passages(rowids)
    texts = [passages[int(r)].text for r in rowids]
    store.close()
    embedder = embed.Embedder(params=settings.embedding)
    native = embedder.bf16
    fast = embedder._onnx or _onnx_of(embedder, settings)
    embedder.bf16, embedder._onnx = False, None
    embedder.encode_passages(texts[:16])  # warm up
    print(f"{len(texts)} passages; native bfloat16: {'yes' if native else 'no'}")

    def timed(label: str) -> np.ndarray:
        t0, c0 = time.perf_counter(), time.process_time()
        vecs = embedder.encode_passages(texts)
        dt, cpu = time.perf_counter() - t0, time.process_time() - c0
        print(f"{label:<28} {dt:7.1f} s  {len(texts) / dt:6.1f} passages/s  CPU {cpu:7.1f} s")
        return vecs

    default = embed.CPU_BATCH_SIZE
    reference = None
    for size in args.batches:
        embed.CPU_BATCH_SIZE = size
        vecs = timed(f"float32, batch {size}")
        if size == default:
            reference = vecs
    embed.CPU_BATCH_SIZE = default
    if reference is None:
        reference = timed(f"float32, batch {default}")
    if native:
        embedder.bf16 = True
        agreement("bfloat16", timed(f"bfloat16, batch {default}"), reference)
        embedder.bf16 = False
    if fast is not None:
        embedder._onnx = fast
        embedder.encode_passages(texts[:16])  # warm up
        agreement("ONNX Runtime", timed(f"ONNX Runtime, batch {default}"), reference)


def agreement(label: str, vecs: np.ndarray, reference: np.ndarray) -> None:
    """1 - cosine to the torch float32 vectors, and the share of unchanged ten nearest passages."""
    gap = 1.0 - (vecs * reference).sum(axis=1)
    near_a = np.argsort(-(reference @ reference.T), axis=1)[:, 1:11]
    near_b = np.argsort(-(vecs @ vecs.T), axis=1)[:, 1:11]
    same = np.mean([len(set(a) & set(b)) / 10 for a, b in zip(near_a, near_b)])
    print(
        f"{label} vs torch float32: 1 - cosine max {gap.max():.1e}, mean {gap.mean():.1e}; "
        f"top-10 neighbours the same {100 * same:.1f}%"
    )


def _onnx_of(embedder, settings):
    """ONNX Runtime for the default model's folder even where the Embedder chose torch (bfloat16)."""
    from beleidsbank.index import onnx_encoder
    from beleidsbank.index.e5_model import resolve_model

    folder = resolve_model(settings.model, settings.model_cache)
    if onnx_encoder.find(folder) is None or not onnx_encoder.runtime_available():
        return None
    return onnx_encoder.OnnxTransformer(folder, embedder_threads())


def embedder_threads() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    main()
