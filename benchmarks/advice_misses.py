"""Why the advice answers miss gold recommendations: each gold item of an advice gold set is put
in one class, per question, and the counts are printed.

    .venv/bin/python -m benchmarks.advice_misses [GOLD.jsonl] [--data-dir DIR] [--verbose]

Classes, in the order they are tested:
- hit: credited in the answer's first 10;
- span: no stored statement of the gold document (of any kind) that covers 60% of the quote
  matches it by the matching rule: the statement spans differ from the quote (cut or glued);
- kind: a stored statement matches, but none of the answer's kind (shown with its cue);
- repeat: stored with the right kind, but left out of the full ranking as a repeat of another
  statement of its source;
- pool: ranked below `--pool` in the full ranking (not among the candidates a reranker would see);
- rank: ranked below 10 but within the pool.
--verbose prints every miss with its statement, kind, cue and rank.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CLASSES = ("hit", "span", "kind", "repeat", "pool", "rank")


def _best_partial(stmts, quote: str, normalise) -> tuple[float, object]:
    """The statement sharing the longest common substring with the quote, as a share of the quote."""
    q = normalise(quote)
    best = (0.0, None)
    for s in stmts:
        a = normalise(s.text)
        m = SequenceMatcher(None, a, q, autojunk=False).find_longest_match(0, len(a), 0, len(q))
        share = m.size / max(len(q), 1)
        if share > best[0]:
            best = (share, s)
    return best


def _cover(text: str, quote: str) -> float:
    """The share of the quote that the text's longest common substring with it covers."""
    from beleidsbank.index.evaluate import normalise

    a, q = normalise(text), normalise(quote)
    m = SequenceMatcher(None, a, q, autojunk=False).find_longest_match(0, len(a), 0, len(q))
    return m.size / max(len(q), 1)


def classify(gold_item, doc_id, kind, by_doc, full_rank, top10, pool, matches) -> tuple[str, dict]:
    """(class, details) of one gold item."""
    quote = gold_item["quote"]
    if any(it["doc_id"] == doc_id and matches(it["text"], quote) for it in top10):
        return "hit", {}
    # a short statement held by the quote ("Rotterdam.") matches by the rule but is not the
    # statement the quote names: only statements covering most of the quote count here
    stored = [s for s in by_doc.get(doc_id, []) if matches(s.text, quote) and _cover(s.text, quote) >= 0.6]
    if not stored:
        return "span", {}
    right = [s for s in stored if s.kind == kind]
    if not right:
        s = stored[0]
        return "kind", {"kind": s.kind, "cue": s.cue, "conf": s.confidence, "unit": s.unit, "text": s.text}
    ranks = [full_rank[s.id] for s in right if s.id in full_rank]
    if not ranks:
        return "repeat", {"text": right[0].text}
    best = min(ranks)
    return ("pool" if best > pool else "rank"), {"rank": best, "text": right[0].text}


def main() -> None:
    from beleidsbank.index.advise import advise
    from beleidsbank.index.evaluate import normalise, source_map
    from beleidsbank.index.evaluate_advice import K, matches
    from beleidsbank.index.search import Searcher
    from beleidsbank.settings import Settings, repo_corpus

    ap = argparse.ArgumentParser()
    ap.add_argument("gold", nargs="?", default=str(ROOT.parent / "shared" / "eval" / "dev_advice.jsonl"))
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--pool", type=int, default=50)
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args()
    gold = [json.loads(ln) for ln in Path(args.gold).read_text().splitlines() if ln.strip()]
    doc_ids = source_map(repo_corpus() / "manifest.toml")
    settings = Settings.from_env(data_dir=args.data_dir)
    searcher = Searcher(settings.data_dir, params=settings.search, embedding=settings.embedding)
    with searcher.store.read():
        stmts = searcher.store.statements()
    by_doc: dict[str, list] = {}
    for s in stmts:
        by_doc.setdefault(s.doc_id, []).append(s)
    total: Counter = Counter()
    print(f"{'question':<10} " + " ".join(f"{c:>6}" for c in CLASSES))
    for g in gold:
        answer = advise(searcher, g["query"], params=settings.advise)
        full = advise(searcher, g["query"], top_k=100000, params=settings.advise)
        full_rank = {it.id: r for r, it in enumerate(full.items, start=1)}
        top10 = [{"doc_id": it.doc_id, "text": it.text} for it in answer.items[:K]]
        counts: Counter = Counter()
        for item in g["relevant"]:
            doc_id = doc_ids.get(item["doc"], item["doc"])
            cls, info = classify(item, doc_id, answer.kind, by_doc, full_rank, top10, args.pool, matches)
            counts[cls] += 1
            if args.verbose and cls != "hit":
                if cls == "span":
                    share, s = _best_partial(by_doc.get(doc_id, []), item["quote"], normalise)
                    info = {"best_share": round(share, 2), "kind": s.kind if s else "", "text": s.text if s else ""}
                print(f"  [{cls}] {doc_id} g{item.get('grade', 1)} quote: {item['quote'][:110]}")
                print(f"      {json.dumps(info, ensure_ascii=False)[:400]}")
        total.update(counts)
        print(f"{g['id']:<10} " + " ".join(f"{counts[c]:>6}" for c in CLASSES))
    print(f"{'total':<10} " + " ".join(f"{total[c]:>6}" for c in CLASSES))


if __name__ == "__main__":
    main()
