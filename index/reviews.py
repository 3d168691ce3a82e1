"""Users' reviews as lines in the formats of ../shared/eval and training/*.jsonl.

`export` gives the lines `beleidsbank reviews --json` writes; `reviews_as_training` groups them
for the trainers of the link scorer and the reranker. Each line is read by the eval loaders
(evaluate.py) and carries the fields the training files add:
- link: the dev_links shape (`recommendation`, `problems`: the problem when confirmed, empty when
  rejected, `scope`, `why`) and the training/links.jsonl shape (`problem`, `addresses`, `grade`
  2 or 0, `cross_document`, `split`, `sample`).
- label: the dev_recommendations/dev_problems shape (`doc`, `quote`, `label`) with `kind`, the
  label that holds (recommendation, problem or neither), and the `verdict`.
- result: the dev_queries shape (`query`, `lang`, `kind`, `relevant`: the confirmed passages,
  grade 2) and the training/queries_*.jsonl shape (`judged`: every reviewed passage, grade 2 or
  0, `rank` null, `split`). A query none of whose results was confirmed has nothing to measure
  or rank against and is left out.
Documents are named by store id; the eval passes a name it cannot map through unchanged.
"""

from __future__ import annotations

from collections import defaultdict

from . import intent
from .store_reviews import Review

QUOTE_CHARS = 600  # a passage is quoted by its opening, well inside the 1,500 characters that count
SPLIT = "train"  # reviews are training data; the held-back parts of training/ stay as they are
SAMPLE = "review"
INTENT_KIND = {"advice": "recommendation", "problem": "problem", "fact": "fact"}


def quote_of(text: str, limit: int = QUOTE_CHARS) -> str:
    """The opening of `text` up to `limit` characters, cut at a word boundary."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def _grade(r: Review) -> int:
    return 2 if r.verdict == "confirmed" else 0


def link_line(r: Review) -> dict:
    rec = {"doc": r.doc_id, "quote": quote_of(r.text)}
    prob = {"doc": r.other_doc, "quote": quote_of(r.other_text)}
    cross = r.doc_id != r.other_doc
    return {
        "id": f"rv-l-{r.key[:12]}",
        "recommendation": rec,
        "problems": [prob] if r.verdict == "confirmed" else [],
        "scope": "cross-doc" if cross else "same-doc",
        "why": r.note,
        "problem": prob,
        "addresses": r.verdict == "confirmed",
        "grade": _grade(r),
        "cross_document": cross,
        "split": SPLIT,
        "sample": SAMPLE,
        "verdict": r.verdict,
        "who": r.who,
        "at": r.at,
    }


def label_line(r: Review) -> dict:
    return {
        "id": f"rv-s-{r.key[:12]}",
        "doc": r.doc_id,
        "quote": quote_of(r.text),
        "label": r.note or r.label,
        "kind": r.label,
        "verdict": r.verdict,
        "who": r.who,
        "at": r.at,
    }


def result_lines(reviews: list[Review]) -> list[dict]:
    """One line per query with at least one confirmed passage."""
    by_query: dict[str, list[Review]] = defaultdict(list)
    for r in reviews:
        by_query[" ".join(r.query.split())].append(r)
    out = []
    for query, rs in by_query.items():
        judged = [{"doc": r.doc_id, "quote": quote_of(r.text), "grade": _grade(r), "rank": None} for r in rs]
        relevant = [j for j in judged if j["grade"] > 0]
        if not relevant:
            continue
        what = intent.recognise(query)
        out.append(
            {
                "id": f"rv-q-{rs[0].key[:12]}",
                "query": query,
                "lang": what.language,
                "kind": INTENT_KIND.get(what.intent, "fact"),
                "relevant": relevant,
                "judged": judged,
                "split": SPLIT,
                "style": SAMPLE,
            }
        )
    return out


def export(store, kind: str | None = None, label: str | None = None) -> list[dict]:
    """The lines of `beleidsbank reviews --json`: links, then labels (only those whose reviewed
    label is `label` when given), then results; or one kind. Each line of a mixed export names
    its kind in `review`."""
    kinds = (kind,) if kind else ("link", "label", "result")
    out = []
    for k in kinds:
        reviews = store.reviews(k)
        if k == "link":
            lines = [link_line(r) for r in reviews]
        elif k == "label":
            lines = [label_line(r) for r in reviews if label is None or r.label == label]
        else:
            lines = result_lines(reviews)
        out.extend(lines if kind else [dict(line, review=k) for line in lines])
    return out


def reviews_as_training(store) -> dict[str, list[dict]]:
    """The reviews as extra training data: {"links": lines like training/links.jsonl,
    "queries": lines like training/queries_*.jsonl, "labels": lines like dev_recommendations /
    dev_problems with `kind`}. Each list is empty when there are no reviews of its kind."""
    return {"links": export(store, "link"), "queries": export(store, "result"), "labels": export(store, "label")}
