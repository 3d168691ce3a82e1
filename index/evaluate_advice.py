"""Scoring advice answers against gold in the format of ../shared/eval/dev_advice.jsonl.

A recommendation of the answer credits a gold item when it is from the same document and its
text holds the quote or is held by it (after normalising; where neither holds the other, a
longest common substring of at least 60% of the shorter counts); each gold item is credited
once, at its first hit. On the first 10 recommendations:
- recall@10 over at most 10 gold items (a question with 12 needs only 10);
- nDCG@10 with gain 2^grade - 1;
- source coverage: the share of the sources with relevant advice that appear in the answer
  (`coverage`; `coverage_relevant` asks for a relevant recommendation from each);
- the precision of `sources_without`, pooled over the questions (correct claims over claims;
  a question without claims makes none), and its recall likewise.
Means per question, overall and per language.
"""

from __future__ import annotations

import math
from difflib import SequenceMatcher

from .evaluate import TEXT_LIMIT, normalise

K = 10
PARTIAL = 0.6


def matches(text: str, quote: str) -> bool:
    """Whether an answer's statement text and a gold quote are the same statement."""
    a, q = normalise(text[:TEXT_LIMIT]), normalise(quote)
    if not a or not q:
        return False
    if q in a or a in q:
        return True
    shorter = min(len(a), len(q))
    m = SequenceMatcher(None, a, q, autojunk=False).find_longest_match(0, len(a), 0, len(q))
    return m.size >= PARTIAL * shorter


def gold_doc(item: dict, doc_ids: dict[str, str]) -> str:
    return doc_ids.get(item["doc"], item["doc"])


def score_answer(answer: dict, gold: dict, doc_ids: dict[str, str]) -> dict:
    """Metrics of one answer (`recommendations` with doc_id and text, or `problems`, and
    `sources_without`) against one gold question."""
    items = (answer.get("recommendations") or answer.get("problems") or [])[:K]
    relevant = gold.get("relevant", [])
    gains = [2 ** g.get("grade", 1) - 1 for g in relevant]
    first: dict[int, int] = {}
    dcg = 0.0
    for rank, it in enumerate(items, start=1):
        for gi, g in enumerate(relevant):
            if gi not in first and it["doc_id"] == gold_doc(g, doc_ids) and matches(it["text"], g["quote"]):
                first[gi] = rank
                dcg += gains[gi] / math.log2(rank + 1)
    ideal = sum(g / math.log2(i + 2) for i, g in enumerate(sorted(gains, reverse=True)[:K]))
    with_advice = {gold_doc(g, doc_ids) for g in relevant}
    shown = {it["doc_id"] for it in items}
    credited = {gold_doc(relevant[gi], doc_ids) for gi in first}
    claimed = set(answer.get("sources_without", []))
    truly = {doc_ids.get(d, d) for d in gold.get("sources_without", [])}
    return {
        "recall@10": len(first) / min(len(relevant), K) if relevant else 0.0,
        "ndcg@10": min(1.0, dcg / ideal) if ideal else 0.0,
        "coverage": len(with_advice & shown) / len(with_advice) if with_advice else 1.0,
        "coverage_relevant": len(with_advice & credited) / len(with_advice) if with_advice else 1.0,
        "without_claims": len(claimed),
        "without_correct": len(claimed & truly),
        "without_truth": len(truly),
    }


def summarise(rows: list[dict]) -> dict:
    """Means of the per-question metrics, and the pooled precision and recall of sources_without."""
    if not rows:
        return {}
    out = {k: sum(r[k] for r in rows) / len(rows) for k in ("recall@10", "ndcg@10", "coverage", "coverage_relevant")}
    claims = sum(r["without_claims"] for r in rows)
    correct = sum(r["without_correct"] for r in rows)
    truth = sum(r["without_truth"] for r in rows)
    out["without_precision"] = correct / claims if claims else 1.0
    out["without_recall"] = correct / truth if truth else 1.0
    out["n"] = len(rows)
    return out


def evaluate_advice(answer_fn, gold: list[dict], doc_ids: dict[str, str]) -> dict:
    """{"all": metrics, "nl": ..., "en": ..., "en/nl": ratios, "questions": {id: metrics}};
    `answer_fn(query)` returns an answer as JSON (AdviceAnswer.to_json)."""
    per, groups = {}, {"all": [], "nl": [], "en": []}
    for g in gold:
        m = score_answer(answer_fn(g["query"]), g, doc_ids)
        per[g["id"]] = m
        groups["all"].append(m)
        groups.setdefault(g.get("lang", "nl"), []).append(m)
    out = {name: summarise(rows) for name, rows in groups.items() if rows}
    if out.get("nl") and out.get("en"):
        out["en/nl"] = {
            k: (out["en"][k] / out["nl"][k] if out["nl"][k] else 0.0)
            for k in ("recall@10", "ndcg@10", "coverage", "without_precision")
        }
    out["questions"] = per
    return out


def format_advice_table(result: dict) -> str:
    cols = ("recall@10", "ndcg@10", "coverage", "coverage_relevant", "without_precision", "without_recall")
    head = f"{'subset':<6} {'n':>3} " + " ".join(f"{c:>17}" for c in cols)
    lines = [head]
    for name in ("all", "nl", "en"):
        m = result.get(name)
        if m:
            lines.append(f"{name:<6} {m['n']:>3} " + " ".join(f"{m[c]:>17.3f}" for c in cols))
    if "en/nl" in result:
        r = result["en/nl"]
        lines.append("en/nl ratio: " + ", ".join(f"{k} {v:.2f}" for k, v in r.items()))
    return "\n".join(lines)
