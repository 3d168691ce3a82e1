"""Retrieval evaluation on gold files in the format of ../shared/eval.

Matching rule (from the eval README): a result holds a gold quote when, after
normalising both, the quote is a substring of the first 1,500 characters of
the result's text, or when their longest common substring covers at least 60%
of the quote. Metrics at k=10: nDCG (gain 2^grade - 1, each gold item credited
once at its first hit), Recall, MRR; and Hit@5.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from difflib import SequenceMatcher
from pathlib import Path

from .records import Statement

K = 10
TEXT_LIMIT = 1500
PARTIAL = 0.6

_TRANSLATE = str.maketrans(
    {
        "‘": "'",
        "’": "'",
        "‚": "'",
        "‛": "'",
        "“": '"',
        "”": '"',
        "„": '"',
        "‟": '"',
        "–": "-",
        "—": "-",
        "‑": "-",
        "\u00ad": None,
        "\u00a0": " ",
        "*": None,
        "_": None,
    }
)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").translate(_TRANSLATE)
    text = re.sub(r"(\w)-[ \t]*\n\s*(\w)", r"\1\2", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def holds(result_text: str, quote: str) -> bool:
    res = normalise(result_text[:TEXT_LIMIT])
    q = normalise(quote)
    if not q:
        return False
    if q in res:
        return True
    if not any(w in res for w in q.split()[:: max(1, len(q.split()) // 4)]):
        return False  # cheap reject before the longest-common-substring scan
    m = SequenceMatcher(None, res, q, autojunk=False).find_longest_match(0, len(res), 0, len(q))
    return m.size >= PARTIAL * len(q)


def load_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def source_map(manifest: Path | None) -> dict[str, str]:
    """Map source text names (as the gold files use) to document ids."""
    if manifest is None or not Path(manifest).is_file():
        return {}
    import tomllib

    data = tomllib.loads(Path(manifest).read_text(encoding="utf-8"))
    return {d["source"]: d["id"] for d in data.get("document", []) if "source" in d}


def score_query(hits: list[dict], relevant: list[dict], doc_ids: dict[str, str]) -> dict[str, float]:
    """Metrics for one query. `hits` need doc_id and text; `relevant` gold items."""
    gains = [2 ** g.get("grade", 1) - 1 for g in relevant]
    first: dict[int, int] = {}  # gold index -> rank of first hit holding it
    first_relevant = None
    dcg = 0.0
    for rank, hit in enumerate(hits[:K], start=1):
        new = []
        for gi, gold in enumerate(relevant):
            gdoc = doc_ids.get(gold["doc"], gold["doc"])
            if gi not in first and hit["doc_id"] == gdoc and holds(hit["text"], gold["quote"]):
                first[gi] = rank
                new.append(gi)
        if new:
            first_relevant = first_relevant or rank
            dcg += sum(gains[gi] for gi in new) / math.log2(rank + 1)
    ideal = sum(g / math.log2(i + 2) for i, g in enumerate(sorted(gains, reverse=True)[:K]))
    return {
        # a passage holding several gold items credits them all at its rank, which can
        # beat the one-item-per-rank ideal: cap at 1
        "ndcg@10": min(1.0, dcg / ideal) if ideal else 0.0,
        "recall@10": len(first) / len(relevant) if relevant else 0.0,
        "mrr@10": 1.0 / first_relevant if first_relevant else 0.0,
        "hit@5": 1.0 if first_relevant and first_relevant <= 5 else 0.0,
    }


def mean(rows: list[dict[str, float]]) -> dict[str, float]:
    if not rows:
        return {}
    return {key: sum(r[key] for r in rows) / len(rows) for key in rows[0]}


def evaluate(searcher, gold: list[dict], doc_ids: dict[str, str], modes=("hybrid", "dense", "lexical")) -> dict:
    """{mode: {"all": metrics, "nl": ..., "en": ..., "queries": {id: metrics}}}."""
    out = {}
    for mode in modes:
        per_query, groups = {}, {"all": [], "nl": [], "en": []}
        for item in gold:
            hits = [h.to_json() for h in searcher.search(item["query"], k=K, mode=mode)]
            m = score_query(hits, item["relevant"], doc_ids)
            per_query[item["id"]] = m
            groups["all"].append(m)
            groups.setdefault(item.get("lang", "nl"), []).append(m)
        out[mode] = {g: mean(rows) for g, rows in groups.items() if rows}
        out[mode]["n"] = {g: len(rows) for g, rows in groups.items() if rows}
        out[mode]["queries"] = per_query
    return out


def format_table(result: dict) -> str:
    lines = [f"{'mode':<8} {'subset':<6} {'n':>3} {'nDCG@10':>8} {'Recall@10':>9} {'MRR@10':>7} {'Hit@5':>6}"]
    for mode, res in result.items():
        for group in ("all", "nl", "en"):
            m = res.get(group)
            if not m:
                continue
            lines.append(
                f"{mode:<8} {group:<6} {res['n'][group]:>3} {m['ndcg@10']:>8.3f} "
                f"{m['recall@10']:>9.3f} {m['mrr@10']:>7.3f} {m['hit@5']:>6.3f}"
            )
        if res.get("nl") and res.get("en"):
            lines.append(f"{mode:<8} en/nl  nDCG@10 ratio {language_ratio(res):.2f}")
    return "\n".join(lines)


def language_ratio(res: dict, metric: str = "ndcg@10") -> float:
    """English over Dutch on one metric (0 when Dutch scores 0): cross-lingual questions should
    do nearly as well as Dutch ones."""
    nl = res.get("nl", {}).get(metric, 0.0)
    return res.get("en", {}).get(metric, 0.0) / nl if nl else 0.0


# -- statements and links ------------------------------------------------------


def gold_kind(gold: list[dict]) -> str:
    """'queries', 'advice', 'statements', 'links' or 'real_pdfs', from the fields of a gold file."""
    first = gold[0] if gold else {}
    if "file" in first and "sentences" in first:
        return "real_pdfs"
    if "query" in first and "sources_without" in first:
        return "advice"
    if "query" in first:
        return "queries"
    if "recommendation" in first:
        return "links"
    return "statements"


def _holding(stmts: list[Statement], doc_id: str, quote: str) -> list[Statement]:
    return [s for s in stmts if s.doc_id == doc_id and holds(s.text, quote)]


def _labelled_in_gold_passages(
    stmts: list[Statement], gold: list[dict], kind: str, doc_ids: dict[str, str]
) -> list[Statement]:
    """Statements labelled `kind` in the passages that hold a gold quote."""
    covered = {s.passage_id for g in gold for s in _holding(stmts, doc_ids.get(g["doc"], g["doc"]), g["quote"])}
    return [s for s in stmts if s.kind == kind and s.passage_id in covered]


def _holds_gold(s: Statement, gold: list[dict], doc_ids: dict[str, str]) -> bool:
    return any(s.doc_id == doc_ids.get(g["doc"], g["doc"]) and holds(s.text, g["quote"]) for g in gold)


def evaluate_statements(stmts: list[Statement], gold: list[dict], kind: str, doc_ids: dict[str, str]) -> dict:
    """Recall of gold quotes by statements labelled `kind`; a precision lower bound on the
    passages the gold covers (labelled statements there that hold some gold quote)."""
    found, missed = 0, []
    for g in gold:
        if any(s.kind == kind for s in _holding(stmts, doc_ids.get(g["doc"], g["doc"]), g["quote"])):
            found += 1
        else:
            missed.append(g["id"])
    labelled = _labelled_in_gold_passages(stmts, gold, kind, doc_ids)
    confirmed = [s for s in labelled if _holds_gold(s, gold, doc_ids)]
    return {
        "kind": kind,
        "gold": len(gold),
        "found": found,
        "recall": found / len(gold) if gold else 0.0,
        "labelled_in_gold_passages": len(labelled),
        "precision_lower_bound": len(confirmed) / len(labelled) if labelled else 0.0,
        "missed": missed,
    }


def sample_labelled(
    stmts: list[Statement], gold: list[dict], kind: str, doc_ids: dict[str, str], n: int, seed: int
) -> list[tuple[Statement, bool]]:
    """A random sample of the statements labelled `kind` in the passages the gold covers, each
    with whether it holds a gold quote: the rest is judged by hand to estimate precision."""
    import random

    labelled = sorted(_labelled_in_gold_passages(stmts, gold, kind, doc_ids), key=lambda s: s.id)
    random.Random(seed).shuffle(labelled)
    return [(s, _holds_gold(s, gold, doc_ids)) for s in labelled[:n]]


def evaluate_links(
    stmts: list[Statement], links: dict[str, list[str]], gold: list[dict], doc_ids: dict[str, str], k: int = 5
) -> dict:
    """Recall@k: per gold (recommendation, problem) pair, whether the gold problem is among the
    top-k problems of the gold link's scope (same document or other documents: the app and
    `beleidsbank links` show the two lists apart) linked to a statement that holds the
    recommendation quote. `combined` counts the top-k of both scopes together."""
    by_id = {s.id: s for s in stmts}
    counts = {"scope": 0, "combined": 0, "cross": 0}
    total, cross_total, per = 0, 0, {}
    for g in gold:
        r = g["recommendation"]
        recs = [s for s in _holding(stmts, doc_ids.get(r["doc"], r["doc"]), r["quote"]) if s.kind == "recommendation"]
        for p in g["problems"]:
            total += 1
            pdoc = doc_ids.get(p["doc"], p["doc"])
            found = {"scope": False, "combined": False}
            for rec in recs:
                ranked = [by_id[pid] for pid in links.get(rec.id, []) if pid in by_id]
                in_scope = [s for s in ranked if (s.doc_id == rec.doc_id) == (g["scope"] == "same-doc")]
                for key, lst in (("scope", in_scope), ("combined", ranked)):
                    found[key] |= any(s.doc_id == pdoc and holds(s.text, p["quote"]) for s in lst[:k])
            for key in ("scope", "combined"):
                counts[key] += found[key]
            if g["scope"] != "same-doc":
                cross_total += 1
                counts["cross"] += found["scope"]
            per.setdefault(g["id"], []).append(found["scope"])
    return {
        f"recall@{k:d}": counts["scope"] / total if total else 0.0,
        "pairs": total,
        "found": counts["scope"],
        f"recall@{k:d}_combined": counts["combined"] / total if total else 0.0,
        # cross-document links on their own: the scope the hand formula serves worst
        f"recall@{k:d}_cross": counts["cross"] / cross_total if cross_total else 0.0,
        "pairs_cross": cross_total,
        "per_link": {key: sum(v) / len(v) for key, v in per.items()},
    }
