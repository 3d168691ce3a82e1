"""The statements whose kind the current rules would change: every stored statement of a data dir
reclassified (its text, unit and section path, as ingest saw them) without a re-ingest.

    .venv/bin/python -m benchmarks.rule_diff --data-dir DIR

Prints each change (old -> new kind, the deciding cue, document, unit, text) and the counts: the
quick check of a rule edit on a corpus the rule was not written from (a re-ingest gives the
figures).
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path


def main() -> None:
    from beleidsbank.index.store import Store
    from beleidsbank.ingest.nlp import dutch
    from beleidsbank.ingest.statements import classify
    from beleidsbank.settings import Settings

    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", default=None)
    args = ap.parse_args()
    store = Store.open(Path(args.data_dir) if args.data_dir else Settings.from_env().data_dir)
    with store.read():
        stmts = [s for s in store.statements() if s.unit != "table_row"]
    changes: Counter = Counter()
    rows = []
    for s, parsed in zip(stmts, dutch(True).pipe([s.text for s in stmts], batch_size=256)):
        kind, _conf, cue = classify(s.text, parsed, s.unit, s.section_path)
        if kind != s.kind:
            changes[f"{s.kind} -> {kind}"] += 1
            rows.append((s.kind, kind, cue, s.doc_id, s.unit, " ".join(s.text.split())))
    for old, new, cue, doc, unit, text in sorted(rows):
        print(f"{old[:4]}->{new[:4]} [{cue}] {doc} {unit}: {text[:220]}")
    print(dict(changes), "of", len(stmts), "statements")


if __name__ == "__main__":
    main()
