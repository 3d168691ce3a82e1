"""Check the team's training data against the corpus texts and keep it apart from the eval sets.

    .venv/bin/python training/check.py [--shared ../shared] [--write-eval OUT.jsonl [--split valid]]
                                       [--data-dir DIR]

Rule: every quote must resolve by the matching rule of ../shared/eval/README.md (the quote,
normalised, is a substring of the named corpus text, normalised; `normalise` of
beleidsbank.index.evaluate). Exit status 1 when any check fails.

links.jsonl (judged recommendation-problem pairs), checked for: known documents, quotes that
resolve, grade 0/1/2 agreeing with `addresses`, `cross_document` agreeing with the documents,
unique ids and pairs, every recommendation in one split, and no pair or recommendation taken
from ../shared/eval/dev_links.jsonl or eval/holdout_links.jsonl. `--write-eval` writes the
yes-pairs in the eval's links format (one item per recommendation and scope), so that
`beleidsbank eval OUT.jsonl` scores today's links on them. `--data-dir` also counts, per quote,
the statements of that kind in an ingested index that hold it (a quote held by none cannot be
credited; one held by several is ambiguous)."""

from __future__ import annotations

import argparse
import collections
import json
import sys
from pathlib import Path

from beleidsbank.index.evaluate import holds, load_jsonl, normalise, source_map

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GRADES = {0, 1, 2}


class Corpus:
    """The corpus texts, normalised once each, named by source file (as the eval files name them)."""

    def __init__(self, shared: Path):
        self.dir = shared / "corpus"
        self.ids = source_map(REPO / "corpus" / "manifest.toml")
        self.texts: dict[str, str] = {}

    def resolves(self, doc: str, quote: str) -> bool:
        if doc not in self.ids or not normalise(quote):
            return False
        if doc not in self.texts:
            self.texts[doc] = normalise((self.dir / doc).read_text(encoding="utf-8"))
        return normalise(quote) in self.texts[doc]


def _same(a: dict, b: dict) -> bool:
    """Two quotes name the same statement: same document, one holds the other."""
    return a["doc"] == b["doc"] and (holds(a["quote"], b["quote"]) or holds(b["quote"], a["quote"]))


def gold_links(shared: Path) -> list[dict]:
    """The dev and held-out link sets: what the training data must not repeat."""
    files = [shared / "eval" / "dev_links.jsonl", REPO / "eval" / "holdout_links.jsonl"]
    return [g for f in files if f.is_file() for g in load_jsonl(f)]


def row_errors(r: dict, corpus: Corpus) -> list[str]:
    """What is wrong with one judged pair on its own."""
    errs = []
    for side in ("recommendation", "problem"):
        q = r.get(side) or {}
        if not corpus.resolves(q.get("doc", ""), q.get("quote", "")):
            errs.append(f"{side} quote does not resolve in {q.get('doc')}")
    if r.get("grade") not in GRADES:
        errs.append(f"grade {r.get('grade')!r} not in 0/1/2")
    elif r.get("addresses") is not (r["grade"] > 0):
        errs.append("addresses disagrees with grade")
    if not errs and r["cross_document"] is not (r["recommendation"]["doc"] != r["problem"]["doc"]):
        errs.append("cross_document disagrees with the documents")
    if r.get("split") not in ("train", "valid"):
        errs.append(f"split {r.get('split')!r}")
    return errs


def set_errors(rows: list[dict], gold: list[dict]) -> list[str]:
    """What is wrong across pairs: repeated ids or pairs, split recommendations, eval overlap."""
    errs = [f"id {i} repeated" for i, n in collections.Counter(r["id"] for r in rows).items() if n > 1]
    key = {r["id"]: (r["recommendation"]["doc"], normalise(r["recommendation"]["quote"])) for r in rows}
    splits = collections.defaultdict(set)
    pairs = collections.Counter()
    for r in rows:
        splits[key[r["id"]]].add(r["split"])
        pairs[key[r["id"]] + (r["problem"]["doc"], normalise(r["problem"]["quote"]))] += 1
    errs += [f"recommendation in both splits: {k[1][:60]}" for k, s in splits.items() if len(s) > 1]
    errs += [f"pair judged twice: {k[1][:40]} / {k[3][:40]}" for k, n in pairs.items() if n > 1]
    first = {key[r["id"]]: r for r in rows}
    for g in gold:
        for r in first.values():
            if _same(r["recommendation"], g["recommendation"]):
                errs.append(f"{r['id']}: recommendation of eval link {g['id']}")
    return errs


def eval_items(rows: list[dict], split: str | None) -> list[dict]:
    """The yes-pairs as eval links (one item per recommendation and scope, problems best first)."""
    groups: dict[tuple, list[dict]] = collections.defaultdict(list)
    for r in rows:
        if r["addresses"] and (split is None or r["split"] == split):
            scope = "cross-doc" if r["cross_document"] else "same-doc"
            groups[(r["recommendation"]["doc"], r["recommendation"]["quote"], scope)].append(r)
    items = []
    for n, ((doc, quote, scope), rs) in enumerate(sorted(groups.items()), start=1):
        rs.sort(key=lambda r: (-r["grade"], r["id"]))
        items.append(
            {
                "id": f"tl-eval-{n:03d}",
                "recommendation": {"doc": doc, "quote": quote},
                "problems": [r["problem"] for r in rs],
                "scope": scope,
                "why": "training/links.jsonl: " + ", ".join(f"{r['id']} grade {r['grade']}" for r in rs),
            }
        )
    return items


def holder_counts(rows: list[dict], data_dir: Path) -> collections.Counter:
    """How many statements of the right kind in an ingested index hold each quote: 0, 1 or more."""
    from beleidsbank.index.store import Store

    store = Store.open(data_dir)
    try:
        stmts = store.statements()
    finally:
        store.close()
    ids = source_map(REPO / "corpus" / "manifest.toml")
    by = collections.defaultdict(list)
    for s in stmts:
        by[(s.doc_id, s.kind)].append(s.text)
    seen, out = set(), collections.Counter()
    for r in rows:
        for side in ("recommendation", "problem"):
            q = r[side]
            if (side, q["doc"], q["quote"]) in seen:
                continue
            seen.add((side, q["doc"], q["quote"]))
            n = sum(holds(t, q["quote"]) for t in by[(ids.get(q["doc"], q["doc"]), side)])
            out[f"{side} held by {min(n, 2) if n < 2 else '2+'}"] += 1
    return out


def summary(rows: list[dict]) -> str:
    c = collections.Counter()
    for r in rows:
        c["yes" if r["addresses"] else "no"] += 1
        c["cross" if r["cross_document"] else "same"] += 1
        c[r["split"]] += 1
        c[f"grade {r['grade']}"] += 1
        if r["addresses"]:
            c["yes " + ("cross" if r["cross_document"] else "same")] += 1
    recs = {(r["recommendation"]["doc"], r["recommendation"]["quote"]) for r in rows}
    return f"{len(rows)} pairs, {len(recs)} recommendations: " + ", ".join(f"{k} {v}" for k, v in sorted(c.items()))


def check_links(path: Path, corpus: Corpus, shared: Path) -> tuple[bool, list[dict]]:
    rows = load_jsonl(path)
    errs = [f"{r.get('id')}: {e}" for r in rows for e in row_errors(r, corpus)]
    if not errs:
        errs += set_errors(rows, gold_links(shared))
    for e in errs:
        print("FAIL", e)
    print(f"{path.name}: {summary(rows)}")
    return not errs, rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--write-eval", type=Path, help="write the yes-pairs of links.jsonl in the eval's links format")
    ap.add_argument("--split", choices=("train", "valid"), help="only this split in --write-eval")
    ap.add_argument("--data-dir", type=Path, help="count the statements that hold each quote in this index")
    args = ap.parse_args(argv)
    corpus = Corpus(args.shared)
    ok = True
    links = HERE / "links.jsonl"
    if links.is_file():
        good, rows = check_links(links, corpus, args.shared)
        ok &= good
        if args.write_eval:
            items = eval_items(rows, args.split)
            args.write_eval.write_text("".join(json.dumps(i, ensure_ascii=False) + "\n" for i in items), "utf-8")
            pairs = sum(len(i["problems"]) for i in items)
            print(f"wrote {len(items)} eval links ({pairs} pairs) to {args.write_eval}")
        if args.data_dir:
            print(", ".join(f"{k}: {v}" for k, v in sorted(holder_counts(rows, args.data_dir).items())))
    # judged query files: fields, grades, splits, eval overlap (check_queries.py --data-dir resolves quotes)
    from check_queries import check_file  # training/ is on sys.path when this file is run

    for path in sorted(HERE.glob("queries_*.jsonl")):
        ok &= check_file(path, args.shared)
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
