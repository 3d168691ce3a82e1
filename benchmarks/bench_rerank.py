"""The learned reranker against the plain hybrid: nDCG@10 per language on query gold sets, warm
query latency, and the advice figures (index/advise.py searches through the reranker).

    .venv/bin/python -m benchmarks.bench_rerank --data-dir DIR [--model-file F]
        [--queries GOLD.jsonl ...] [--advice GOLD.jsonl ...] [--latency N]

Queries default to ../shared/eval/dev_queries.jsonl and eval/holdout_queries.jsonl (measuring
sets, never trained on); `--model-file` defaults to the shipped index/data/rerank.json. Latency:
every query searched once to warm up, then N passes timed per query, p50 and p95 in ms.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

from beleidsbank.index.embed import Embedder
from beleidsbank.index.evaluate import evaluate, language_ratio, load_jsonl, source_map
from beleidsbank.index.search import Searcher
from beleidsbank.settings import Settings, repo_corpus

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


def _row(name: str, res: dict) -> str:
    parts = [f"{g} {res[g]['ndcg@10']:.3f} (n={res['n'][g]})" for g in ("all", "nl", "en") if g in res]
    return f"  {name:<8} nDCG@10 " + "  ".join(parts) + f"  en/nl {language_ratio(res):.2f}"


def queries(plain: Searcher, reranked: Searcher, files: list[Path], doc_ids: dict[str, str]) -> None:
    for path in files:
        gold = load_jsonl(path)
        a = evaluate(plain, gold, doc_ids, modes=("hybrid",))["hybrid"]
        b = evaluate(reranked, gold, doc_ids, modes=("hybrid",))["hybrid"]
        print(path.name)
        print(_row("hybrid", a))
        print(_row("rerank", b))
        changed = [(q, a["queries"][q]["ndcg@10"], m["ndcg@10"]) for q, m in b["queries"].items()]
        moved = [f"{q} {x:.2f}->{y:.2f}" for q, x, y in changed if abs(x - y) > 0.005]
        print("  per query: " + (", ".join(moved) or "no change"))


def latency(searchers: dict[str, Searcher], texts: list[str], passes: int) -> None:
    for name, s in searchers.items():
        for t in texts:
            s.search(t, k=10)
        times = []
        for _ in range(passes):
            for t in texts:
                t0 = time.perf_counter()
                s.search(t, k=10)
                times.append((time.perf_counter() - t0) * 1000)
        p50, p95 = np.percentile(times, [50, 95])
        print(f"  {name:<8} warm query p50 {p50:.0f} ms, p95 {p95:.0f} ms ({len(times)} queries)")


def advice(settings: Settings, rerank_file: str, files: list[Path], doc_ids: dict[str, str]) -> None:
    from beleidsbank.index.advise import advise as run_advise
    from beleidsbank.index.evaluate_advice import evaluate_advice

    for path in files:
        gold = load_jsonl(path)
        print(path.name)
        for name, on in (("hybrid", False), ("rerank", True)):
            params = replace(settings.search, rerank=on, rerank_file=rerank_file)
            s = Searcher(settings.data_dir, settings.model, params=params, embedding=settings.embedding)
            r = evaluate_advice(lambda q, s=s: run_advise(s, q, params=settings.advise).to_json(), gold, doc_ids)
            cols = ("recall@10", "ndcg@10", "coverage", "without_precision")
            print(f"  {name:<8} " + "  ".join(f"{c} {r['all'][c]:.3f}" for c in cols if c in r["all"]))
            s.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--model-file", default="")
    ap.add_argument("--queries", nargs="*", type=Path)
    ap.add_argument("--advice", nargs="*", type=Path, default=[])
    ap.add_argument("--latency", type=int, default=0, help="timed passes over the queries (0: none)")
    args = ap.parse_args()
    settings = Settings.from_env(data_dir=args.data_dir)
    files = (
        args.queries
        if args.queries is not None
        else [SHARED / "eval/dev_queries.jsonl", REPO / "eval/holdout_queries.jsonl"]
    )
    doc_ids = source_map(repo_corpus() / "manifest.toml")
    embedder = Embedder(params=settings.embedding)
    plain = Searcher(settings.data_dir, embedder=embedder, params=replace(settings.search, rerank=False))
    params = replace(settings.search, rerank=True, rerank_file=args.model_file)
    reranked = Searcher(settings.data_dir, embedder=embedder, params=params)
    if reranked.reranker is None:
        raise SystemExit(f"no usable reranker in {args.model_file or 'index/data/rerank.json'}")
    print(f"reranker: {args.model_file or 'index/data/rerank.json'}, depth {params.rerank_depth}")
    queries(plain, reranked, files, doc_ids)
    if args.latency:
        texts = [item["query"] for path in files for item in load_jsonl(path)]
        latency({"hybrid": plain, "rerank": reranked}, texts, args.latency)
    if args.advice:
        advice(settings, args.model_file, args.advice, doc_ids)


if __name__ == "__main__":
    main()
