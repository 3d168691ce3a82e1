"""Check every quote in the held-out gold files against the corpus texts.

    .venv/bin/python eval/verify_holdout.py [SHARED]   (SHARED: ../shared beside the repo)

Rule: after collapsing whitespace and lowercasing both, the quote must be a
substring of the named file's text. Also reports word counts (6-20 expected)."""

import collections
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def norm(t: str) -> str:
    return re.sub(r"\s+", " ", t).strip().lower()


def jsonl(path) -> list[dict]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


class Checker:
    """Checks quotes against the corpus texts (read once each) and prints a line per quote."""

    def __init__(self, corpus: Path):
        self.corpus = corpus
        self.texts: dict[str, str] = {}

    def __call__(self, doc: str, q: str, where: str) -> bool:
        if doc not in self.texts:
            self.texts[doc] = norm((self.corpus / doc).read_text(encoding="utf-8"))
        ok = norm(q) in self.texts[doc]
        n = len(q.split())
        bad_len = not (6 <= n <= 20)
        flag = "OK  " if ok else "FAIL"
        print(f"{flag} {where:16s} {doc[:3]} {n:2d}w {'LEN!' if bad_len else ''} {q[:70]}")
        return ok and not bad_len and "*" not in q and "_" not in q


def check_links(check: Checker, dev: Path) -> tuple[bool, collections.Counter]:
    """The held-out links: quotes found, no pair reused from the dev set, scope as the documents say."""
    allok, cnt = True, collections.Counter()
    dev_pairs = set()
    for d in jsonl(dev / "dev_links.jsonl"):
        for p in d["problems"]:
            dev_pairs.add((norm(d["recommendation"]["quote"]), norm(p["quote"])))
    for d in jsonl(HERE / "holdout_links.jsonl"):
        cnt[d["scope"]] += 1
        allok &= check(d["recommendation"]["doc"], d["recommendation"]["quote"], d["id"] + " rec")
        for p in d["problems"]:
            allok &= check(p["doc"], p["quote"], d["id"] + " prob")
            if (norm(d["recommendation"]["quote"]), norm(p["quote"])) in dev_pairs:
                print("DEV PAIR REUSED", d["id"])
                allok = False
        same = all(p["doc"] == d["recommendation"]["doc"] for p in d["problems"])
        if same != (d["scope"] == "same-doc"):
            print("SCOPE MISMATCH", d["id"])
            allok = False
    return allok, cnt


def check_queries(check: Checker, dev: Path) -> tuple[bool, collections.Counter]:
    """The held-out queries: quotes found, no query reused from the dev set, comparisons over two documents."""
    allok, qc = True, collections.Counter()
    dev_q = {d["query"] for d in jsonl(dev / "dev_queries.jsonl")}
    for d in jsonl(HERE / "holdout_queries.jsonl"):
        qc[d["lang"]] += 1
        qc[d["kind"]] += 1
        if d["query"] in dev_q:
            print("DEV QUERY REUSED", d["id"])
            allok = False
        for r in d["relevant"]:
            allok &= check(r["doc"], r["quote"], d["id"])
        if d["kind"] == "comparison" and len({r["doc"] for r in d["relevant"]}) < 2:
            print("COMPARISON ONE DOC", d["id"])
            allok = False
    return allok, qc


def main() -> int:
    shared = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent.parent / "shared"
    check = Checker(shared / "corpus")
    links_ok, cnt = check_links(check, shared / "eval")
    queries_ok, qc = check_queries(check, shared / "eval")
    allok = links_ok and queries_ok
    print("links:", sum(cnt.values()), dict(cnt))
    print("queries:", dict(qc))
    print("ALL PASS" if allok else "SOME FAILED")
    return 0 if allok else 1


if __name__ == "__main__":
    sys.exit(main())
