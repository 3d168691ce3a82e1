"""Fit the learned link scorer on the team's judged pairs and write index/data/link_scorer.json.

    .venv/bin/python -m benchmarks.train_links --data-dir DATA [--pairs training/links.jsonl]
        [--out index/data/link_scorer.json] [--measure GOLD.jsonl ...] [--dry-run]

DATA is a data dir with the shipped corpus ingested (`beleidsbank ingest corpus`); the users' link
reviews kept in it (`beleidsbank review`) are judged pairs too (split train). Each judged
pair's quotes are resolved to the statements that hold them (the eval's matching rule); the
scorer is fitted on the `train` split only (the regularisation chosen by cross-validation over
its recommendations), and figures on the `valid` split are printed. `--measure` ranks the links
of DATA with the hand formula and with the fitted scorer and prints Recall@5 within scope (all,
cross-document) on each gold links file: the measuring sets are only read, never trained on.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from beleidsbank.index import link_scorer, links
from beleidsbank.index.evaluate import evaluate_links, holds, load_jsonl, source_map
from beleidsbank.index.link_features import FEATURES, LinkSpace
from beleidsbank.index.reviews import reviews_as_training
from beleidsbank.index.store import Store
from beleidsbank.settings import LinkParams

REPO = Path(__file__).resolve().parent.parent
L2 = (1.0, 3.0, 10.0, 30.0, 100.0, 1000.0)


def _index(items, doc_ids: dict, ref: dict) -> int | None:
    """The first statement of `items` in the named document that holds the quote."""
    doc = doc_ids.get(ref["doc"], ref["doc"])
    return next((n for n, s in enumerate(items) if s.doc_id == doc and holds(s.text, ref["quote"])), None)


def resolve(rows: list[dict], recs, probs, doc_ids: dict) -> list[tuple[int, int, dict]]:
    """(recommendation index, problem index, row) of the pairs whose quotes both resolve."""
    out = []
    for row in rows:
        i, j = _index(recs, doc_ids, row["recommendation"]), _index(probs, doc_ids, row["problem"])
        if i is not None and j is not None:
            out.append((i, j, row))
    return out


def auc(scores: np.ndarray, y: np.ndarray) -> float:
    pos, neg = scores[y > 0], scores[y == 0]
    if not len(pos) or not len(neg):
        return float("nan")
    return float((pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean())


def choose_l2(x, y, w, groups, folds: int = 5) -> float:
    """The regularisation with the best mean AUC over folds of whole recommendations."""
    fold = np.array([hash(g) % folds for g in groups])
    best, best_auc = L2[0], -1.0
    for l2 in L2:
        aucs = []
        for f in range(folds):
            tr, te = fold != f, fold == f
            if te.any() and len(set(y[te])) > 1:
                aucs.append(auc(link_scorer.fit(x[tr], y[tr], w[tr], l2).score(x[te]), y[te]))
        if np.mean(aucs) > best_auc:
            best, best_auc = l2, float(np.mean(aucs))
    return best


def threshold(scores: np.ndarray, y: np.ndarray, keep: float = 0.9) -> float:
    """The score above which `keep` of the judged links lie: a weak link stays out, and most
    true ones, scored by a model that never saw them, stay in."""
    pos = np.sort(scores[y > 0])
    return float(pos[int((1 - keep) * len(pos))]) if len(pos) else 0.0


def fit(x, y, w, groups, same, only_hand: bool) -> link_scorer.LinkScorer:
    """All features (regularisation cross-validated), or the hand score alone: then the fit
    only calibrates it into a probability, and the thresholds are set per scope."""
    if only_hand:
        model = link_scorer.fit(x, y, w, l2=1e9)
        print("hand score only (calibrated)")
    else:
        l2 = choose_l2(x, y, w, groups)
        model = link_scorer.fit(x, y, w, l2)
        print(f"l2 {l2} (cross-validated over recommendations)")
    s = model.score(x)
    return replace(model, threshold_same=threshold(s[same], y[same]), threshold_cross=threshold(s[~same], y[~same]))


def report(name: str, model, x, y, same) -> None:
    s = model.score(x)
    for label, m in (("all", np.ones(len(y), bool)), ("same-doc", same), ("cross-doc", ~same)):
        print(f"{name} {label}: {m.sum()} pairs, {int(y[m].sum())} yes, AUC {auc(s[m], y[m]):.3f}")


def measure(store: Store, recs, probs, scorer, gold_files: list[Path], doc_ids: dict) -> None:
    """Recall@5 within scope of the hand formula and of `scorer` on each gold file."""
    stmts = store.statements()
    params = LinkParams()
    for name in ("hand", "learned"):
        found = (
            links.link(recs, probs, replace(params, learned=False))
            if name == "hand"
            else links._Learned(recs, probs, params, scorer).links()
        )
        table: dict[str, list[str]] = {}
        for lk in sorted(found, key=lambda k: (k.rec_id, k.rank)):
            table.setdefault(lk.rec_id, []).append(lk.prob_id)
        for f in gold_files:
            gold = load_jsonl(f)
            all_ = evaluate_links(stmts, table, gold, doc_ids)
            cross = evaluate_links(stmts, table, [g for g in gold if g["scope"] == "cross-doc"], doc_ids)
            print(
                f"{name:8s} {f.name}: Recall@5 {all_['recall@5']:.3f} ({all_['found']}/{all_['pairs']}), "
                f"cross-doc {cross['recall@5']:.3f} ({cross['found']}/{cross['pairs']})"
            )


def judged(store: Store, pairs_file: Path | None, reviews: bool = True) -> list[dict]:
    """The judged pairs of `pairs_file` (training/links.jsonl) and, with `reviews`, the users'
    link reviews kept in the store (a confirmed link grade 2, a rejected one 0, split train)."""
    rows = []
    if pairs_file is not None:
        rows = [json.loads(line) for line in pairs_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows + (reviews_as_training(store)["links"] if reviews else [])


def train(store: Store, rows: list[dict], doc_ids: dict, only_hand: bool = True, params: LinkParams = LinkParams()):
    """Fit the scorer on the `train` rows of `rows` over the store's statements. Returns (model,
    features, labels, valid mask, same-document mask) of the pairs that resolved."""
    items = store.linkable()
    recs = [i for i in items if i.kind == "recommendation"]
    probs = [i for i in items if i.kind == "problem" and i.unit != "heading"]
    pairs = resolve(rows, recs, probs, doc_ids)
    space = LinkSpace(recs, probs, params)
    x = space.features(np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs]))
    y = np.array([float(p[2]["grade"] > 0) for p in pairs])
    w = np.array([2.0 if p[2]["grade"] == 2 else 1.0 for p in pairs])
    valid = np.array([p[2]["split"] == "valid" for p in pairs])
    same = x[:, FEATURES.index("same_doc")] > 0
    groups = [p[0] for p, v in zip(pairs, valid) if not v]
    model = fit(x[~valid], y[~valid], w[~valid], groups, same[~valid], only_hand)
    return model, x, y, valid, same


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", required=True, type=Path)
    ap.add_argument("--pairs", type=Path, default=REPO / "training" / "links.jsonl")
    ap.add_argument("--out", type=Path, default=link_scorer.DEFAULT_PATH)
    ap.add_argument("--measure", type=Path, nargs="*", default=[])
    ap.add_argument("--dry-run", action="store_true", help="fit and print, write nothing")
    ap.add_argument("--no-reviews", action="store_true", help="leave the users' link reviews out")
    ap.add_argument(
        "--features",
        choices=("hand", "all"),
        default="hand",
        help="hand: calibrate the hand score (what ships: the other features did not win on the "
        "measuring sets); all: fit every feature",
    )
    args = ap.parse_args(argv)
    doc_ids = source_map(REPO / "corpus" / "manifest.toml")
    store = Store.open(args.data_dir)
    items = store.linkable()
    recs = [i for i in items if i.kind == "recommendation"]
    probs = [i for i in items if i.kind == "problem" and i.unit != "heading"]
    rows = judged(store, args.pairs, not args.no_reviews)
    model, x, y, valid, same = train(store, rows, doc_ids, args.features == "hand")
    print(f"{len(y)} of {len(rows)} judged pairs resolved to statements")
    report("train", model, x[~valid], y[~valid], same[~valid])
    report("valid", model, x[valid], y[valid], same[valid])
    for name, c in sorted(zip(FEATURES, model.coef), key=lambda t: -abs(t[1])):
        print(f"  {name:16s} {c:+.3f}")
    print(f"thresholds: same-doc {model.threshold_same:.3f}, cross-doc {model.threshold_cross:.3f}")
    if args.measure:
        measure(store, recs, probs, model, args.measure, doc_ids)
    store.close()
    if not args.dry_run:
        model.save(args.out)
        print(f"written: {args.out}")


if __name__ == "__main__":
    main()
