"""How stable the themes are when a document on another subject is added.

Reads an index that holds the shipped corpus and one more document (`--added`, its document id),
computes the themes as `relations.rebuild` does over the statements without that document and
over all of them, and prints: how many labels of the existing themes changed, how many existing
statements moved to another theme (each theme matched to the one after that shares most of its
statements), how many statements of the added document joined an existing theme, and how many
got no theme.

    .venv/bin/beleidsbank ingest corpus --data-dir DATA
    .venv/bin/beleidsbank ingest ../shared/realpdfs/ah-tk-20202021-3235.pdf --data-dir DATA
    .venv/bin/python -m benchmarks.themes_stability --data-dir DATA --added ah-tk-20202021-3235
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

import numpy as np

from beleidsbank.index import links, themes
from beleidsbank.index.store import Store


def build(items) -> tuple[np.ndarray, dict]:
    """Theme per statement (-1: none) and the labels, as relations.rebuild computes them."""
    texts, sources = [i.text for i in items], [i.doc_id for i in items]
    meaning = links.meaning_vectors(items)
    vecs = themes.theme_space(meaning, texts, sources)
    assign = themes.assign_themes(vecs, meaning, themes.n_themes(len(items)), [i.id for i in items])
    return assign, themes.label(texts, assign, sources)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--added", required=True, help="the document id of the added document")
    args = ap.parse_args()
    store = Store.open(args.data_dir)
    items = store.linkable()
    store.close()
    old = [i for i in items if i.doc_id != args.added]
    a0, l0 = build(old)
    a1, l1 = build(items)
    pos = {i.id: n for n, i in enumerate(items)}
    b1 = np.array([a1[pos[i.id]] for i in old])
    # each theme before is matched to the theme after that holds most of its statements
    match = {t: Counter(b1[a0 == t].tolist()).most_common(1)[0][0] for t in l0}
    changed = [(l0[t].label, l1[match[t]].label if match[t] in l1 else "-") for t in l0]
    changed = [(x, y) for x, y in changed if x != y]
    moved = sum(1 for x, y in zip(a0.tolist(), b1.tolist()) if x >= 0 and match.get(x) != y)
    new = np.array([a1[pos[i.id]] for i in items if i.doc_id == args.added])
    print(f"{len(old)} statements before, {len(new)} added; themes {len(l0)} -> {len(l1)}")
    print(f"existing theme labels changed: {len(changed)} of {len(l0)}")
    for x, y in changed:
        print(f"   {x!r} -> {y!r}")
    print(f"existing statements in another theme: {moved} of {len(old)}; without a theme: {int((a0 < 0).sum())}")
    print(
        f"statements of the added document: {len(new)}, in an existing theme {int((new >= 0).sum())}, "
        f"without a theme {int((new < 0).sum())}"
    )
    for t, n in Counter(new[new >= 0].tolist()).most_common():
        print(f"   {n} joined {l1[t].label!r}")


if __name__ == "__main__":
    main()
