"""Do the themes hold the topics advisors ask about? Scored against advice gold in the format of
../shared/eval/dev_advice.jsonl (one topic a question, its relevant recommendations as quotes).

Each gold item is matched to a stored recommendation or problem of its document by the rule of
`evaluate_advice.matches` (the quote held, or 60% of the shorter by longest common substring);
items that match no themed-or-unthemed statement are counted apart (the statement finder missed
them; that is not the themes' doing). Over the matched items:
- `themed`: the share that carry a theme ("overig", the theme of what fits none, does not count);
- per question, the theme holding most of its items and the share of them it holds (`best_share`;
  unthemed items count in the denominator);
- `distinct_best`: how many different themes are some question's best theme.
Plain data in (statements, gold items), plain data out.
"""

from __future__ import annotations

from collections import Counter

from .evaluate_advice import gold_doc, matches

OVERIG = "overig"


def match_item(item: dict, by_doc: dict[str, list], doc_ids: dict[str, str]):
    """The stored statement the gold item names: of its document, a statement holding the quote
    exactly first, else the first one matching by the partial rule; None when none does."""
    stmts = by_doc.get(gold_doc(item, doc_ids), [])
    found = [s for s in stmts if matches(s.text, item["quote"])]
    if not found:
        return None
    exact = [s for s in found if item["quote"].lower() in s.text.lower() or s.text.lower() in item["quote"].lower()]
    return (exact or found)[0]


def _theme_of(theme: int | None, labels: dict[int, str]) -> int | None:
    """The theme, None for none or "overig"."""
    if theme is None or theme < 0 or labels.get(theme, "").strip().lower() == OVERIG:
        return None
    return theme


def matched_statements(statements: list, gold: list[dict], doc_ids: dict[str, str]) -> dict[str, list]:
    """Question id -> the stored statements its relevant items name (each once): what the
    themes are scored on, computed once however many assignments are scored."""
    by_doc: dict[str, list] = {}
    for s in statements:
        if s.kind in ("recommendation", "problem"):
            by_doc.setdefault(s.doc_id, []).append(s)
    out = {}
    for g in gold:
        found = [match_item(item, by_doc, doc_ids) for item in g.get("relevant", [])]
        # one statement may answer two quotes of one question: count it once
        out[g["id"]] = list({s.id: s for s in found if s is not None}.values())
    return out


def score_question(stmts: list, n_gold: int, theme_of: dict, labels: dict[int, str]) -> dict:
    themes = [_theme_of(theme_of.get(s.id), labels) for s in stmts]
    counts = Counter(t for t in themes if t is not None)
    best, held = counts.most_common(1)[0] if counts else (None, 0)
    return {
        "gold": n_gold,
        "matched": len(stmts),
        "themed": sum(1 for t in themes if t is not None),
        "best_theme": best,
        "best_label": labels.get(best) if best is not None else None,
        "best_share": held / len(stmts) if stmts else 0.0,
        "themes": {labels.get(t, str(t)): n for t, n in counts.most_common()},
    }


def evaluate_themes(statements: list, labels: dict[int, str], gold: list[dict], doc_ids: dict[str, str]) -> dict:
    """The figures of the stored assignment (each statement's `theme`); see `score_matched`."""
    matched = matched_statements(statements, gold, doc_ids)
    return score_matched(matched, {s.id: s.theme for s in statements}, labels, gold)


def score_matched(matched: dict[str, list], theme_of: dict, labels: dict[int, str], gold: list[dict]) -> dict:
    """{"questions": {id: ...}, "themed": share, "best_share_min", "best_share_mean",
    "questions_at_60": n, "distinct_best": n, "matched": n, "gold": n} for the assignment
    `theme_of` (statement id -> theme id or None)."""
    per = {g["id"]: score_question(matched[g["id"]], len(g.get("relevant", [])), theme_of, labels) for g in gold}
    n = sum(q["matched"] for q in per.values())
    shares = [q["best_share"] for q in per.values() if q["matched"]]
    return {
        "questions": per,
        "gold": sum(q["gold"] for q in per.values()),
        "matched": n,
        "themed": sum(q["themed"] for q in per.values()) / n if n else 0.0,
        "best_share_min": min(shares) if shares else 0.0,
        "best_share_mean": sum(shares) / len(shares) if shares else 0.0,
        "questions_at_60": sum(1 for x in shares if x >= 0.6),
        "distinct_best": len({q["best_theme"] for q in per.values() if q["best_theme"] is not None}),
        "themes": len(labels),
    }


def format_themes_table(result: dict) -> str:
    lines = [f"{'vraag':<10} {'gevonden':>8} {'met thema':>9} {'beste aandeel':>13}  beste thema"]
    for qid, q in result["questions"].items():
        found = f"{q['matched']:>4}/{q['gold']:<3}"
        lines.append(f"{qid:<10} {found} {q['themed']:>9} {q['best_share']:>13.2f}  {q['best_label'] or '-'}")
    lines.append(
        f"met thema {result['themed']:.3f} ({result['matched']} van {result['gold']} gouden aanbevelingen gevonden); "
        f"beste thema >= 60%: {result['questions_at_60']} van {len(result['questions'])} vragen "
        f"(min {result['best_share_min']:.2f}, gemiddeld {result['best_share_mean']:.2f}); "
        f"verschillende beste thema's {result['distinct_best']}; thema's {result['themes']}"
    )
    return "\n".join(lines)
