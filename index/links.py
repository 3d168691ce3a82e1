"""Link each recommendation to the problems it addresses, with a score and evidence.

Plain data in (statement dicts with vectors), plain data out (link dicts).
The score combines:
- meaning: cosine of the statements' embeddings (multilingual-e5, "query: ");
- words: shared index features (Dutch stems and their 5-grams, so compounds
  meet their parts), weighted by rarity;
- structure: in the same document, the share of the section path they share
  and how close they stand; in any document, the same theme.
A threshold keeps weak links out, and at most MAX_SAME same-document and
MAX_CROSS cross-document problems are kept per recommendation.
"""
from __future__ import annotations

import math
from collections import Counter

import numpy as np

from .lexical import STOP_WORDS, analyze, features, tokens

W_WORDS = 0.6
W_SECTION = 0.1
W_PROXIMITY = 0.1
W_THEME = 0.03
PROXIMITY_SPAN = 50          # statements
THRESHOLD = 1.0             # about half of the candidate links on the shipped corpus
MAX_SAME = 5
MAX_CROSS = 5


def _shared_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a.split(" > "), b.split(" > ")):
        if x != y:
            break
        n += 1
    return n


def _key_words(text: str, stems: set[str]) -> list[str]:
    """Surface words of `text` whose stem is in `stems` (for showing evidence)."""
    out = []
    for tok in tokens(text):
        if tok in STOP_WORDS or len(tok) < 4:
            continue
        if analyze(tok) and analyze(tok)[0] in stems and tok not in out:
            out.append(tok)
    return out


def link(recs: list[dict], problems: list[dict]) -> list[dict]:
    """Rank problems for every recommendation.

    Each statement dict needs: id, doc_id, seq, section_path, text, vector
    (normalised numpy array) and theme (int or None). Returns
    [{"rec_id", "prob_id", "rank", "score", "scope", "evidence"}], ranked per
    recommendation, deterministic for the same input.
    """
    if not recs or not problems:
        return []
    feats = {s["id"]: set(features(s["text"])) for s in recs + problems}
    df = Counter(t for s in recs + problems for t in feats[s["id"]])
    n = len(recs) + len(problems)
    idf = {t: math.log(n / (1 + c)) + 1.0 for t, c in df.items()}
    pv = np.vstack([p["vector"] for p in problems]).astype(np.float32)
    out = []
    for r in recs:
        rf = feats[r["id"]]
        norm = 1.0 + sum(idf[t] for t in rf)
        cos = pv @ np.asarray(r["vector"], dtype=np.float32)
        scored = []
        for j, p in enumerate(problems):
            shared = rf & feats[p["id"]]
            words = sum(idf[t] for t in shared) / norm
            same = p["doc_id"] == r["doc_id"]
            section = proximity = 0.0
            if same:
                depth = max(len(r["section_path"].split(" > ")), 1)
                section = _shared_prefix(r["section_path"], p["section_path"]) / depth
                proximity = max(0.0, 1.0 - abs(r["seq"] - p["seq"]) / PROXIMITY_SPAN)
            theme = r.get("theme") is not None and r.get("theme") == p.get("theme")
            score = float(cos[j]) + W_WORDS * words + W_SECTION * section + W_PROXIMITY * proximity + W_THEME * theme
            scored.append((score, j, shared, same, section, proximity, theme, float(cos[j])))
        scored.sort(key=lambda t: (-t[0], problems[t[1]]["id"]))
        kept, n_same, n_cross = [], 0, 0
        for score, j, shared, same, section, proximity, theme, c in scored:
            if score < THRESHOLD:
                break
            if (same and n_same >= MAX_SAME) or (not same and n_cross >= MAX_CROSS):
                continue
            n_same += same
            n_cross += not same
            p = problems[j]
            stems = {t for t in shared if not t.startswith("#")}
            evidence = {
                "betekenis": round(c, 3),
                "gedeelde_woorden": _key_words(p["text"], stems)[:6],
                "thema": bool(theme),
                "sectie": (p["section_path"].split(" > ")[_shared_prefix(r["section_path"], p["section_path"]) - 1]
                           if same and section > 0 else ""),
                "afstand": abs(r["seq"] - p["seq"]) if same else None,
            }
            kept.append({"rec_id": r["id"], "prob_id": p["id"], "rank": len(kept) + 1, "score": round(score, 4),
                         "scope": "same-doc" if same else "cross-doc", "evidence": evidence})
            if n_same >= MAX_SAME and n_cross >= MAX_CROSS:
                break
        out.extend(kept)
    return out
