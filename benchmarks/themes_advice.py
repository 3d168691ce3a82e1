"""Do the themes hold the topics of the advice questions? (index/evaluate_themes.py)

    .venv/bin/python -m benchmarks.themes_advice --data-dir DATA [../shared/eval/dev_advice.jsonl] [--json] [--sub]
    .venv/bin/python -m benchmarks.themes_advice --data-dir DATA GOLD --seeds 10

Prints per question how many of its relevant recommendations were found among the stored
statements, how many carry a theme, and the share its best theme holds; then the totals
(the bars of issue 19: themed >= 0.95, every best share >= 0.6, at least 7 distinct best themes).
With --seeds N the stored statements are clustered afresh (`theme_build.build`, as a first
ingest does) with N k-means seeds, and the figures of each and their mean are printed: one seed
moves the per-question figures by more than most changes of the method do, so a change is judged
by the mean.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from pathlib import Path

import numpy as np

from beleidsbank.index.evaluate import load_jsonl, source_map
from beleidsbank.index.evaluate_themes import evaluate_themes, format_themes_table, matched_statements, score_matched
from beleidsbank.index.store import Store
from beleidsbank.index.theme_build import build
from beleidsbank.settings import ThemeParams, repo_corpus


def run(data_dir: Path, gold_path: Path, manifest: Path | None = None, sub: bool = False) -> dict:
    """The figures of the broad themes, or with `sub` of the finest level (a statement's
    sub-theme where its theme has sub-themes)."""
    store = Store.open(data_dir)
    try:
        themes, subs = store.themes(), store.sub_themes()
        stmts = store.statements()
    finally:
        store.close()
    labels = {t.id: t.label for t in themes}
    doc_ids = source_map(manifest or repo_corpus() / "manifest.toml")
    gold = load_jsonl(gold_path)
    if not sub:
        return evaluate_themes(stmts, labels, gold, doc_ids)
    finer = {m: t.id for t in subs for m in t.members}
    labels |= {t.id: t.label for t in subs}
    theme_of = {s.id: finer.get(s.id, s.theme) for s in stmts}
    return score_matched(matched_statements(stmts, gold, doc_ids), theme_of, labels, gold)


def over_seeds(data_dir: Path, gold_path: Path, seeds: int, manifest: Path | None = None) -> list[dict]:
    """The figures of a fresh clustering of the stored statements with each of `seeds` seeds
    (from `ThemeParams.seed` on)."""
    store = Store.open(data_dir)
    try:
        items, stmts = store.linkable(), store.statements()
    finally:
        store.close()
    gold = load_jsonl(gold_path)
    matched = matched_statements(stmts, gold, source_map(manifest or repo_corpus() / "manifest.toml"))
    out = []
    for n in range(seeds):
        params = dataclasses.replace(ThemeParams(), seed=ThemeParams().seed + n)
        assign, themes = build(items, {}, params)
        labels = {t.id: t.label for t in themes if t.parent is None}
        out.append(score_matched(matched, {i.id: int(t) for i, t in zip(items, assign)}, labels, gold))
    return out


def format_seeds(results: list[dict]) -> str:
    keys = ("questions_at_60", "best_share_mean", "best_share_min", "distinct_best", "themed")
    lines = [" ".join(f"{k:>16}" for k in ("seed", *keys))]
    for n, r in enumerate(results):
        lines.append(
            " ".join(f"{x:>16.3f}" if isinstance(x, float) else f"{x:>16}" for x in (n, *(r[k] for k in keys)))
        )
    lines.append(" ".join([f"{'mean':>16}"] + [f"{np.mean([r[k] for r in results]):>16.3f}" for k in keys]))
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold", nargs="?", type=Path, default=repo_corpus().parent.parent / "shared/eval/dev_advice.jsonl")
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--manifest", type=Path, default=None)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--sub", action="store_true", help="score the finest level (sub-themes where there are)")
    ap.add_argument("--seeds", type=int, default=0, help="cluster afresh with this many k-means seeds")
    args = ap.parse_args()
    if args.seeds:
        results = over_seeds(args.data_dir, args.gold, args.seeds, args.manifest)
        print(json.dumps(results, indent=1, ensure_ascii=False) if args.json else format_seeds(results))
        return
    result = run(args.data_dir, args.gold, args.manifest, args.sub)
    print(json.dumps(result, indent=1, ensure_ascii=False) if args.json else format_themes_table(result))


if __name__ == "__main__":
    main()
