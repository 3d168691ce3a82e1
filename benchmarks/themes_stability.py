"""How stable the themes are when a document on another subject is added.

Copies a data directory that holds an ingested corpus, ingests each added PDF into its own copy
(the real pipeline: statements, themes and links as a user's ingest computes them) and prints per
PDF: how many labels of the existing themes changed, how many existing statements moved to
another theme, and where the added document's statements went (an existing theme, a new theme,
none or "overig"). With --max-changed N it exits 1 when one PDF changed more than N labels or
left a statement without a theme (issue 19: at most two).

    .venv/bin/beleidsbank ingest corpus --data-dir DATA
    .venv/bin/python -m benchmarks.themes_stability --data-dir DATA ../shared/realpdfs/*.pdf [--max-changed 2]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from beleidsbank.index.embed import Embedder
from beleidsbank.index.store import Store
from beleidsbank.index.theme_build import is_overig
from beleidsbank.ingest.pipeline import ingest
from beleidsbank.settings import Settings


def snapshot(data_dir: Path) -> tuple[dict[str, int | None], dict[int, str]]:
    """(statement id -> theme id, theme id -> label) of a data directory."""
    store = Store.open(data_dir)
    try:
        themes = store.themes()
        labels = {t.id: t.label for t in themes if not is_overig(t)}
        overig = {t.id for t in themes if is_overig(t)}
        # "overig" (what fits no theme) counts as no theme; a statement with no theme at all as -1
        members = {
            i.id: (i.theme if i.theme in labels else None if i.theme in overig else -1) for i in store.linkable()
        }
        return members, labels
    finally:
        store.close()


def compare(before: tuple, after: tuple, added: set[str]) -> dict:
    """Changed labels, moved statements and where the added statements went."""
    (m0, l0), (m1, l1) = before, after
    changed = [(label, l1.get(t, "-")) for t, label in l0.items() if l1.get(t) != label]
    moved = sum(1 for sid, t in m0.items() if t in l0 and m1.get(sid, t) != t)
    new = [t for sid, t in m1.items() if sid in added]
    return {
        "themes": (len(l0), len(l1)),
        "changed": changed,
        "moved": moved,
        "existing": len([t for t in m0.values() if t in l0]),
        "joined": Counter(l1[t] for t in new if t in l0),
        "new_themes": Counter(l1[t] for t in new if t in l1 and t not in l0),
        "none": sum(1 for t in new if t is None or t == -1),
        "unthemed": sum(1 for t in m1.values() if t == -1),
        "added": len(new),
    }


def run(data_dir: Path, pdf: Path, embedder: Embedder) -> dict:
    before = snapshot(data_dir)
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "data"
        shutil.copytree(data_dir, copy)
        report = ingest([pdf], data_dir=copy, embedder=embedder, settings=Settings.from_env())
        after = snapshot(copy)
    added = {sid for sid in after[0] if sid not in before[0]}
    return {"pdf": pdf.name, "ingested": bool(report.added)} | compare(before, after, added)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", type=Path, required=True, help="a data directory with the corpus ingested")
    ap.add_argument("pdfs", nargs="+", type=Path, help="the PDFs to add, one at a time")
    ap.add_argument(
        "--max-changed", type=int, default=None, help="exit 1 when one PDF changes more labels (issue 19: 2)"
    )
    args = ap.parse_args()
    settings = Settings.from_env()
    store = Store.open(args.data_dir)
    model = store.get_meta("model")
    store.close()
    embedder = Embedder(model, params=settings.embedding)
    worst = unthemed = 0
    for pdf in args.pdfs:
        r = run(args.data_dir, pdf, embedder)
        worst = max(worst, len(r["changed"]))
        unthemed = max(unthemed, r["unthemed"])
        if not r["ingested"]:
            print(f"{r['pdf']}: not ingested")
            continue
        print(
            f"{r['pdf']}: labels changed {len(r['changed'])} of {r['themes'][0]} (themes {r['themes'][0]} -> "
            f"{r['themes'][1]}); existing statements moved {r['moved']} of {r['existing']}; added statements "
            f"{r['added']}: joined existing {sum(r['joined'].values())}, new themes "
            f"{sum(r['new_themes'].values())}, none {r['none']}"
        )
        for x, y in r["changed"]:
            print(f"   label {x!r} -> {y!r}")
        for name, n in (r["joined"] + r["new_themes"]).most_common():
            print(f"   {n} in {name!r}")
    print(f"most labels changed by one added PDF: {worst}; statements without a theme after any: {unthemed}")
    if args.max_changed is not None and (worst > args.max_changed or unthemed):
        raise SystemExit(1)


if __name__ == "__main__":
    main()
