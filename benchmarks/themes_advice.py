"""Do the themes hold the topics of the advice questions? (index/evaluate_themes.py)

    .venv/bin/python -m benchmarks.themes_advice --data-dir DATA [../shared/eval/dev_advice.jsonl] [--json]

Prints per question how many of its relevant recommendations were found among the stored
statements, how many carry a theme, and the share its best theme holds; then the totals
(the bars of issue 19: themed >= 0.95, every best share >= 0.6, at least 7 distinct best themes).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from beleidsbank.index.evaluate import load_jsonl, source_map
from beleidsbank.index.evaluate_themes import evaluate_themes, format_themes_table
from beleidsbank.index.store import Store
from beleidsbank.settings import repo_corpus


def run(data_dir: Path, gold_path: Path, manifest: Path | None = None) -> dict:
    store = Store.open(data_dir)
    try:
        labels = {t.id: t.label for t in store.themes()}
        stmts = store.statements()
    finally:
        store.close()
    doc_ids = source_map(manifest or repo_corpus() / "manifest.toml")
    return evaluate_themes(stmts, labels, load_jsonl(gold_path), doc_ids)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("gold", nargs="?", type=Path, default=repo_corpus().parent.parent / "shared/eval/dev_advice.jsonl")
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--manifest", type=Path, default=None)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    result = run(args.data_dir, args.gold, args.manifest)
    print(json.dumps(result, indent=1, ensure_ascii=False) if args.json else format_themes_table(result))


if __name__ == "__main__":
    main()
