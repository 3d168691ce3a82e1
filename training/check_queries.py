"""Check judged (query, passage) training files: fields, grades, splits, overlap with the eval
questions, and (with --data-dir) that every quote resolves to exactly one passage there.

    .venv/bin/python training/check_queries.py training/queries_realpdfs.jsonl --data-dir DIR

A line: {"id", "query", "lang", "kind", "split": "train"|"valid", "relevant": [{"doc", "quote",
"grade"}], "judged": [{"doc", "quote", "grade"}, ...]} with grades 0/1/2; `relevant` is the
judged items graded above 0. A quote resolves by the matching rule of ../shared/eval/README.md
(`holds` of beleidsbank.index.evaluate, on the first 1,500 characters of a passage); a `doc` is
a store id or an eval source name that corpus/manifest.toml maps to one. Exit status 1 on any
failure."""

from __future__ import annotations

import argparse
import collections
import sys
from pathlib import Path

from beleidsbank.index.evaluate import TEXT_LIMIT, holds, load_jsonl, normalise, source_map

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
FIELDS = ("id", "query", "lang", "kind", "split", "relevant", "judged")


def eval_questions(shared: Path) -> set[str]:
    """Normalised questions of the eval sets, which training data must not repeat."""
    out = set()
    for f in sorted((shared / "eval").glob("*.jsonl")):
        out |= {normalise(r["query"]) for r in load_jsonl(f) if "query" in r}
    gold = shared / "realpdfs" / "gold.jsonl"
    if gold.is_file():
        out |= {normalise(q["query"]) for r in load_jsonl(gold) for q in r.get("questions", [])}
    return out


def row_errors(r: dict) -> list[str]:
    errs = [f"missing {k}" for k in FIELDS if k not in r]
    if errs:
        return errs
    if r["split"] not in ("train", "valid"):
        errs.append(f"split {r['split']!r}")
    if r["lang"] not in ("nl", "en"):
        errs.append(f"lang {r['lang']!r}")
    if any(j.get("grade") not in (0, 1, 2) for j in r["judged"]):
        errs.append("grade not in 0/1/2")
    key = lambda j: (j["doc"], normalise(j["quote"]), j["grade"])  # noqa: E731
    if sorted(map(key, r["relevant"])) != sorted(key(j) for j in r["judged"] if j["grade"] > 0):
        errs.append("relevant is not the judged items graded above 0")
    if not r["relevant"]:
        errs.append("no relevant passage")
    words = [len(j["quote"].split()) for j in r["judged"]]
    if any(n > 25 for n in words):
        errs.append("a quote over 25 words")
    return errs


class Passages:
    """An ingested index's passages by document, for resolving quotes."""

    def __init__(self, data_dir: Path):
        from beleidsbank.index.store import Store

        store = Store.open(data_dir)
        try:
            self.by_doc = {
                d.id: [(p.text, normalise(p.text[:TEXT_LIMIT])) for p in store.document_passages(d.id)]
                for d in store.documents()
            }
        finally:
            store.close()
        self.ids = source_map(REPO / "corpus" / "manifest.toml")

    def holders(self, doc: str, quote: str) -> int:
        # A common run of 60% of the quote always covers its middle fifth: a passage without
        # that fifth cannot hold the quote, which spares the slow longest-match scan.
        q = normalise(quote)
        mid = q[int(len(q) * 0.4) : int(len(q) * 0.6)]
        texts = self.by_doc.get(self.ids.get(doc, doc), [])
        return sum(mid in norm and holds(text, quote) for text, norm in texts)


def check_file(path: Path, shared: Path, data_dir: Path | None = None) -> bool:
    rows = load_jsonl(path)
    errs = [f"{r.get('id')}: {e}" for r in rows for e in row_errors(r)]
    errs += [f"id {i} repeated" for i, n in collections.Counter(r.get("id") for r in rows).items() if n > 1]
    banned = eval_questions(shared)
    errs += [f"{r['id']}: question of an eval set" for r in rows if normalise(r.get("query", "")) in banned]
    c = collections.Counter()
    if data_dir and not errs:
        passages = Passages(data_dir)
        for r in rows:
            for j in r["judged"]:
                n = passages.holders(j["doc"], j["quote"])
                c[f"quotes held by {n if n < 2 else '2+'}"] += 1
                if n != 1:
                    errs.append(f"{r['id']}: quote held by {n} passages: {j['quote'][:50]}")
    for e in errs:
        print("FAIL", e)
    print(f"{path.name}: {summary(rows)}" + "".join(f", {k} {v}" for k, v in sorted(c.items())))
    return not errs


def summary(rows: list[dict]) -> str:
    c = collections.Counter()
    for r in rows:
        c[f"{r.get('split')} {r.get('lang')}"] += 1
        for j in r.get("judged", []):
            c[f"grade {j.get('grade')}"] += 1
    pairs = sum(len(r.get("judged", [])) for r in rows)
    docs = len({j["doc"] for r in rows for j in r.get("relevant", [])})
    return f"{len(rows)} queries, {pairs} judged pairs, positives in {docs} documents: " + ", ".join(
        f"{k} {v}" for k, v in sorted(c.items())
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", type=Path, nargs="+")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--data-dir", type=Path, help="resolve every quote against this index's passages")
    args = ap.parse_args(argv)
    ok = all([check_file(f, args.shared, args.data_dir) for f in args.files])
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
