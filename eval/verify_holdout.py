"""Check every quote in the held-out gold files against the corpus texts.

Rule: after collapsing whitespace and lowercasing both, the quote must be a
substring of the named file's text. Also reports word counts (6-20 expected)."""
import collections
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SHARED = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent.parent / "shared"   # ../shared beside the repo
CORPUS = f"{SHARED}/corpus/"
DEV = f"{SHARED}/eval/"
def norm(t): return re.sub(r"\s+", " ", t).strip().lower()
texts = {}
def check(doc, q, where):
    if doc not in texts: texts[doc] = norm(open(CORPUS + doc, encoding="utf-8").read())
    ok = norm(q) in texts[doc]
    n = len(q.split())
    bad_len = not (6 <= n <= 20)
    flag = "OK  " if ok else "FAIL"
    print(f"{flag} {where:16s} {doc[:3]} {n:2d}w {'LEN!' if bad_len else ''} {q[:70]}")
    return ok and not bad_len and "*" not in q and "_" not in q
allok = True; cnt = collections.Counter()
dev_q = {json.loads(l)["query"] for l in open(DEV + "dev_queries.jsonl")}
dev_pairs = set()
for l in open(DEV + "dev_links.jsonl"):
    d = json.loads(l)
    for p in d["problems"]: dev_pairs.add((norm(d["recommendation"]["quote"]), norm(p["quote"])))
for l in open(HERE / "holdout_links.jsonl"):
    d = json.loads(l); cnt[d["scope"]] += 1
    allok &= check(d["recommendation"]["doc"], d["recommendation"]["quote"], d["id"] + " rec")
    for p in d["problems"]:
        allok &= check(p["doc"], p["quote"], d["id"] + " prob")
        if (norm(d["recommendation"]["quote"]), norm(p["quote"])) in dev_pairs: print("DEV PAIR REUSED", d["id"]); allok = False
    same = all(p["doc"] == d["recommendation"]["doc"] for p in d["problems"])
    if same != (d["scope"] == "same-doc"): print("SCOPE MISMATCH", d["id"]); allok = False
qc = collections.Counter()
for l in open(HERE / "holdout_queries.jsonl"):
    d = json.loads(l); qc[d["lang"]] += 1; qc[d["kind"]] += 1
    if d["query"] in dev_q: print("DEV QUERY REUSED", d["id"]); allok = False
    for r in d["relevant"]: allok &= check(r["doc"], r["quote"], d["id"])
    if d["kind"] == "comparison" and len({r["doc"] for r in d["relevant"]}) < 2: print("COMPARISON ONE DOC", d["id"]); allok = False
print("links:", sum(cnt.values()), dict(cnt)); print("queries:", dict(qc))
print("ALL PASS" if allok else "SOME FAILED"); sys.exit(0 if allok else 1)
