"""Do the themes hold the topics of the advice questions? (index/evaluate_themes.py)

    .venv/bin/python -m benchmarks.themes_advice --data-dir DATA [../shared/eval/dev_advice.jsonl] [--json] [--sub]

Prints per question how many of its relevant recommendations were found among the stored
statements, how many carry a theme, and the share its best theme holds; then the totals
(the bars of issue 19: themed >= 0.95, every best share >= 0.6, at least 7 distinct best themes).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from beleidsbank.index.evaluate import load_jsonl, source_map
from beleidsbank.index.evaluate_themes import evaluate_themes, format_themes_table, matched_statements, score_matched
from beleidsbank.index.store import Store
from beleidsbank.settings import repo_corpus


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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold", nargs="?", type=Path, default=repo_corpus().parent.parent / "shared/eval/dev_advice.jsonl")
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--manifest", type=Path, default=None)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--sub", action="store_true", help="score the finest level (sub-themes where there are)")
    args = ap.parse_args()
    result = run(args.data_dir, args.gold, args.manifest, args.sub)
    print(json.dumps(result, indent=1, ensure_ascii=False) if args.json else format_themes_table(result))


if __name__ == "__main__":
    main()
