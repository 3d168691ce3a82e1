"""How well the themes group what belongs together, for two ways of clustering.

A recommendation and the problem it answers belong to one topic, so the gold links are a check
on themes that needs no theme gold: the share of findable gold pairs whose two statements land
in one theme (over several k-means seeds, since one seed is noisy), against what chance gives.
Also printed: the mean normalised entropy of the sources within a theme (1: every source alike,
0: a theme is one source) and the share of a theme's statements that hold one of its label
phrases (0: the label names none of them).

    .venv/bin/python -m benchmarks.themes_check --data-dir DATA [--gold FILE ...] [--seeds 20]

Views: "embeddings" clusters the statement+passage vectors without their source's direction
(themes before 2026-11-23); "embeddings+words" adds the word view (`themes.theme_space`).
"""

from __future__ import annotations

import argparse
import math
from collections import Counter
from pathlib import Path

import numpy as np

from beleidsbank.index import links, themes
from beleidsbank.index.analyzer import analyze
from beleidsbank.index.evaluate import holds, load_jsonl, source_map
from beleidsbank.index.store import Linkable, Store
from beleidsbank.settings import ThemeParams

ROOT = Path(__file__).resolve().parent.parent

GOLD = [ROOT.parent / "shared" / "eval" / "dev_links.jsonl", ROOT / "eval" / "holdout_links.jsonl"]


def gold_pairs(items: list[Linkable], files: list[Path]) -> list[tuple[list[int], list[int]]]:
    dmap = source_map(ROOT / "corpus" / "manifest.toml")

    def find(kind, ref):
        doc = dmap.get(ref["doc"])
        return [i for i, s in enumerate(items) if s.kind == kind and s.doc_id == doc and holds(s.text, ref["quote"])]

    pairs = []
    for f in files:
        for g in load_jsonl(f):
            recs = find("recommendation", g["recommendation"])
            for p in g["problems"]:
                probs = find("problem", p)
                if recs and probs:
                    pairs.append((recs, probs))
    return pairs


def entropy(assign: np.ndarray, sources: list[str]) -> float:
    src, n_src, out = np.array(sources), max(len(set(sources)), 2), []
    for t in set(assign.tolist()):
        c = np.array(list(Counter(src[assign == t]).values()), dtype=float) / (assign == t).sum()
        out.append(float(-(c * np.log(c)).sum() / math.log(n_src)))
    return float(np.mean(out))


def coverage(assign: np.ndarray, texts: list[str], sources: list[str]) -> float:
    labels = themes.label(texts, assign, sources)
    out = []
    for t, d in labels.items():
        keys = [set(analyze(w)) for w in d.terms]
        idx = np.where(assign == t)[0]
        out.append(np.mean([any(k and k <= set(analyze(texts[i])) for k in keys) for i in idx]))
    return float(np.mean(out))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", type=Path, default=ROOT / "data")
    ap.add_argument("--gold", type=Path, nargs="*", default=GOLD)
    ap.add_argument("--seeds", type=int, default=20)
    args = ap.parse_args()
    store = Store.open(args.data_dir)
    items = store.linkable()
    store.close()
    texts, sources = [i.text for i in items], [i.doc_id for i in items]
    pairs = gold_pairs(items, args.gold)
    k = themes.n_themes(len(items))
    meaning = links.meaning_vectors(items)
    views = {
        "embeddings": themes.without_source(meaning, sources),
        "embeddings+words": themes.theme_space(meaning, texts, sources),
    }
    print(f"{len(items)} statements, {k} themes, {len(pairs)} findable gold pairs, {args.seeds} seeds")
    for name, vectors in views.items():
        together, chance, ents = [], [], []
        for seed in range(args.seeds):
            a = themes.cluster(vectors, k, ThemeParams(seed=ThemeParams.seed + seed))
            together.append(sum(any(a[r] == a[p] for r in rs for p in ps) for rs, ps in pairs))
            chance.append(float(((np.bincount(a) / len(a)) ** 2).sum() * len(pairs)))
            ents.append(entropy(a, sources))
        cov = coverage(themes.cluster(vectors, k), texts, sources)
        print(
            f"{name:18s} pairs in one theme {np.mean(together):5.1f} of {len(pairs)} (min {min(together)}, "
            f"max {max(together)}; chance {np.mean(chance):.1f})  source entropy {np.mean(ents):.2f}  "
            f"label coverage {cov:.2f}"
        )


if __name__ == "__main__":
    main()
