"""Link each recommendation to the problems it addresses, with a score and evidence.

Plain data in (statement dicts with vectors), plain data out (link dicts).
The score combines:
- meaning: the statements' embeddings (multilingual-e5, "query: ") and those of
  the passages around them ("passage: "): a terse recommendation ("Stimuleer een
  leven lang ontwikkelen") is understood with the text it stands in. The sum of
  the four cosines is corrected for hubness (CSLS, Conneau et al. 2018): a generic
  problem that is close to every recommendation counts for less than one that is
  close to this recommendation in particular;
- words: shared index features (Dutch stems and their 5-grams, so compounds
  meet their parts), weighted by rarity;
- structure: in the same document, the share of the section path they share
  and how close they stand. A shared theme is reported as evidence only.
A threshold keeps weak links out, and at most MAX_SAME same-document and
MAX_CROSS cross-document problems are kept per recommendation.

Measured with `beleidsbank eval ../shared/eval/dev_links.jsonl` (Recall@5 within
the gold link's scope): cosine of the statements plus words and structure 0.31;
with passage context and hubness correction 0.46 (README, "Statements and links").
"""
from __future__ import annotations

import math
from collections import Counter

import numpy as np
from scipy import sparse

from .lexical import STOP_WORDS, analyze, features, tokens

W_WORDS = 0.6
W_SECTION = 0.2
W_PROXIMITY = 0.2
W_THEME = 0.0               # shown as evidence; as a score term 0.05-0.4 lowered Recall@5 (0.46 -> 0.38-0.31)
PROXIMITY_SPAN = 50          # statements
CSLS_K = 10                  # neighbourhood size for the hubness correction
THRESHOLD = 0.9              # scores are 1 + corrected meaning + words + structure
MAX_SAME = 5
MAX_CROSS = 5
BLOCK = 1024                 # recommendations scored at once (memory: BLOCK x problems floats)


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


def _meaning(stmts: list[dict]) -> np.ndarray:
    """Statement vector plus the vector of its passage (the statement's own where it has none)."""
    return np.vstack([np.asarray(s["vector"], dtype=np.float32)
                      + np.asarray(s["context"] if s.get("context") is not None else s["vector"], dtype=np.float32)
                      for s in stmts])


def _top_mean(scores: np.ndarray, k: int, axis: int) -> np.ndarray:
    k = min(k, scores.shape[axis])
    return -np.partition(-scores, k - 1, axis=axis).take(range(k), axis=axis).mean(axis=axis)


def _word_overlap(recs: list[dict], problems: list[dict]):
    """Sparse (recs x problems) matrix of shared rare features, and the feature sets."""
    feats = [set(features(s["text"])) for s in recs + problems]
    df = Counter(t for f in feats for t in f)
    n = len(feats)
    vocab = {t: i for i, t in enumerate(sorted(df))}
    idf = np.array([math.log(n / (1 + df[t])) + 1.0 for t in sorted(df)], dtype=np.float32)

    def matrix(sets):
        rows = [i for i, f in enumerate(sets) for _ in f]
        cols = [vocab[t] for f in sets for t in sorted(f)]
        return sparse.csr_matrix((np.ones(len(cols), dtype=np.float32), (rows, cols)), shape=(len(sets), len(vocab)))

    rf, pf = feats[:len(recs)], feats[len(recs):]
    r_mat, p_mat = matrix(rf), matrix(pf)
    norm = 1.0 + r_mat @ idf
    words = sparse.diags(1.0 / norm) @ r_mat @ sparse.diags(idf) @ p_mat.T
    return words.tocsr(), rf, pf


def link(recs: list[dict], problems: list[dict]) -> list[dict]:
    """Rank problems for every recommendation.

    Each statement dict needs: id, doc_id, seq, section_path, text, vector
    (normalised numpy array), optionally context (the normalised vector of its
    passage) and theme (int or None). Returns
    [{"rec_id", "prob_id", "rank", "score", "scope", "evidence"}], ranked per
    recommendation, deterministic for the same input.
    """
    if not recs or not problems:
        return []
    rm, pm = _meaning(recs), _meaning(problems)
    rq = np.vstack([np.asarray(r["vector"], dtype=np.float32) for r in recs])
    pq = np.vstack([np.asarray(p["vector"], dtype=np.float32) for p in problems])
    # hubness: mean of each problem's CSLS_K best recommendations, block by block
    prob_hub = np.full((min(CSLS_K, len(recs)), len(problems)), -np.inf, dtype=np.float32)
    for a in range(0, len(recs), BLOCK):
        block = rm[a:a + BLOCK] @ pm.T
        prob_hub = -np.partition(-np.vstack([prob_hub, block]), prob_hub.shape[0] - 1, axis=0)[:prob_hub.shape[0]]
    prob_hub = prob_hub.mean(axis=0)
    words, rfeats, pfeats = _word_overlap(recs, problems)
    docs = np.array([p["doc_id"] for p in problems])
    themes = np.array([-1 if p.get("theme") is None else p["theme"] for p in problems])
    order_ids = np.array([p["id"] for p in problems])
    out = []
    for a in range(0, len(recs), BLOCK):
        meaning = rm[a:a + BLOCK] @ pm.T
        rec_hub = _top_mean(meaning, CSLS_K, axis=1)
        scores = 1.0 + (2 * meaning - rec_hub[:, None] - prob_hub[None, :]) \
            + W_WORDS * words[a:a + BLOCK].toarray()
        for i, r in enumerate(recs[a:a + BLOCK]):
            row = scores[i]
            same = docs == r["doc_id"]
            section = np.zeros(len(problems), dtype=np.float32)
            proximity = np.zeros(len(problems), dtype=np.float32)
            depth = max(len(r["section_path"].split(" > ")), 1)
            for j in np.flatnonzero(same):
                section[j] = _shared_prefix(r["section_path"], problems[j]["section_path"]) / depth
                proximity[j] = max(0.0, 1.0 - abs(r["seq"] - problems[j]["seq"]) / PROXIMITY_SPAN)
            theme = (themes == r["theme"]) if r.get("theme") is not None else np.zeros(len(problems), dtype=bool)
            row = row + W_SECTION * section + W_PROXIMITY * proximity + W_THEME * theme
            kept = []
            for mask, limit in ((same, MAX_SAME), (~same, MAX_CROSS)):
                idx = np.flatnonzero(mask & (row >= THRESHOLD))
                # highest score first, ties by problem id: the same input gives the same links
                idx = idx[np.lexsort((order_ids[idx], -row[idx]))][:limit]
                kept.extend(idx.tolist())
            kept.sort(key=lambda j: (-row[j], problems[j]["id"]))
            ri = a + i
            for rank, j in enumerate(kept, start=1):
                p = problems[j]
                shared = rfeats[ri] & pfeats[j]
                stems = {t for t in shared if not t.startswith("#")}
                evidence = {
                    "betekenis": round(float(rq[ri] @ pq[j]), 3),
                    "gedeelde_woorden": _key_words(p["text"], stems)[:6],
                    "thema": bool(theme[j]),
                    "sectie": (p["section_path"].split(" > ")[_shared_prefix(r["section_path"], p["section_path"]) - 1]
                               if same[j] and section[j] > 0 else ""),
                    "afstand": abs(r["seq"] - p["seq"]) if same[j] else None,
                }
                out.append({"rec_id": r["id"], "prob_id": p["id"], "rank": rank, "score": round(float(row[j]), 4),
                            "scope": "same-doc" if same[j] else "cross-doc", "evidence": evidence})
    return out
