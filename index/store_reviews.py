"""Users' reviews in the store (the `ReviewsStore` mixin of `Store`): a verdict on a link
(recommendation -> problem), on a statement's label, or on a search result (query, passage).

A review names its subject by document id and text, never by row id or sequence number: a
re-ingest renumbers statements and passages, and the review re-attaches to whatever statement
or passage of that document has the same text (after `evaluate.normalise`). Reviews have no
foreign key, so removing or replacing a document keeps them. How reviews act:
- a label review sets the statement's kind to the reviewed label (confirmed: the label it had
  when reviewed; rejected: the label the user gave, "neither" when none);
- a confirmed link is always in the links table, first of its recommendation's list (rank 0);
  a rejected one never is.
Both are applied when a review is written and again by `relations.rebuild`, so they hold after
every re-ingest. Like store.py, this module holds SQL (the store modules are the only ones that may).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import time
from dataclasses import dataclass

import numpy as np

from .evaluate import normalise
from .records import Evidence
from .schema import to_vector

KINDS = ("link", "label", "result")
VERDICTS = ("confirmed", "rejected")
LABELS = ("recommendation", "problem", "neither")
# a reviewed label as a statement kind: "neither" is what ingest calls "other"
KIND_OF_LABEL = {"recommendation": "recommendation", "problem": "problem", "neither": "other"}
CONFIRMED_RANK = 0  # a confirmed link comes before every computed one (ranked from 1)

REVIEW_COLUMNS = "key, kind, doc_id, text, other_doc, other_text, query, verdict, label, note, who, at"


@dataclass(frozen=True)
class Review:
    """One verdict. `doc_id`/`text`: the recommendation (link), the statement (label) or the
    passage (result); `other_doc`/`other_text`: the problem of a link; `query`: a result's query;
    `label`: the label that holds for a label review (recommendation, problem or neither)."""

    key: str
    kind: str
    doc_id: str
    text: str
    other_doc: str
    other_text: str
    query: str
    verdict: str
    label: str
    note: str
    who: str
    at: str

    def to_json(self) -> dict:
        return {c.strip(): getattr(self, c.strip()) for c in REVIEW_COLUMNS.split(",")}


def review_key(kind: str, doc_id: str, text: str, other_doc: str = "", other_text: str = "", query: str = "") -> str:
    """The subject's key: the same subject (by normalised text) gets the same key."""
    parts = (kind, doc_id, normalise(text), other_doc, normalise(other_text), normalise(query))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]


class ReviewsStore:
    """Review methods of `Store`; `self.con` is the store's connection."""

    con: sqlite3.Connection

    # -- writing (inside a write transaction) -----------------------------------------
    def put_review(
        self,
        kind: str,
        doc_id: str,
        text: str,
        verdict: str,
        who: str,
        *,
        other_doc: str = "",
        other_text: str = "",
        query: str = "",
        label: str = "",
        note: str = "",
    ) -> Review:
        """Record a verdict (replacing an earlier one on the same subject) and apply it at once."""
        if kind not in KINDS or verdict not in VERDICTS or (kind == "label" and label not in LABELS):
            raise ValueError(f"bad review: {kind} {verdict} {label}")
        key = review_key(kind, doc_id, text, other_doc, other_text, query)
        at = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        row = (key, kind, doc_id, text, other_doc, other_text, query, verdict, label, note, who, at)
        self.con.execute(f"INSERT OR REPLACE INTO reviews({REVIEW_COLUMNS}) VALUES({','.join('?' * 12)})", row)
        if kind == "label":
            self.apply_label_reviews()
        elif kind == "link":
            self.apply_link_reviews()
        return Review(*row)

    def delete_review(self, key: str) -> bool:
        """Forget a review (its effect lasts until links are rebuilt or the statement re-ingested)."""
        return self.con.execute("DELETE FROM reviews WHERE key=?", (key,)).rowcount > 0

    def apply_label_reviews(self) -> int:
        """Set each reviewed statement's kind to its reviewed label; drop the links whose ends no
        longer have the kind a link needs. Returns the statements changed."""
        changed, cache = 0, {}
        for r in self.reviews("label"):
            kind = KIND_OF_LABEL[r.label]
            for sid, old in self._matching(r.doc_id, r.text, cache):
                if old != kind:
                    self.con.execute("UPDATE statements SET kind=? WHERE id=?", (kind, sid))
                    changed += 1
        if changed:
            self.con.execute(
                "DELETE FROM links WHERE rec_id IN (SELECT id FROM statements WHERE kind != 'recommendation') "
                "OR prob_id IN (SELECT id FROM statements WHERE kind != 'problem')"
            )
        return changed

    def apply_link_reviews(self) -> tuple[int, int]:
        """Drop the rejected links, put the confirmed ones first of their lists (adding those the
        linker did not find). Returns (dropped, confirmed)."""
        dropped = confirmed = 0
        cache: dict = {}
        for r in self.reviews("link"):
            recs = [sid for sid, kind in self._matching(r.doc_id, r.text, cache) if kind == "recommendation"]
            probs = [sid for sid, kind in self._matching(r.other_doc, r.other_text, cache) if kind == "problem"]
            for rec in recs:
                for prob in probs:
                    if r.verdict == "rejected":
                        dropped += self.con.execute(
                            "DELETE FROM links WHERE rec_id=? AND prob_id=?", (rec, prob)
                        ).rowcount
                    else:
                        self._confirm_link(rec, prob, r.doc_id == r.other_doc)
                        confirmed += 1
        return dropped, confirmed

    def _confirm_link(self, rec: str, prob: str, same_doc: bool) -> None:
        moved = self.con.execute(
            "UPDATE links SET rank=? WHERE rec_id=? AND prob_id=?", (CONFIRMED_RANK, rec, prob)
        ).rowcount
        if moved:
            return
        a, b = (
            self.con.execute("SELECT vector, theme FROM statements WHERE id=?", (i,)).fetchone() for i in (rec, prob)
        )
        va, vb = to_vector(a[0]), to_vector(b[0])
        meaning = round(float(np.dot(va, vb)), 3) if va is not None and vb is not None else 0.0
        evidence = Evidence(meaning, (), a[1] is not None and a[1] == b[1], "")
        self.con.execute(
            "INSERT INTO links VALUES(?,?,?,?,?,?)",
            (
                rec,
                prob,
                CONFIRMED_RANK,
                meaning,
                "same-doc" if same_doc else "cross-doc",
                json.dumps(evidence.to_json(), ensure_ascii=False),
            ),
        )

    # -- reading ------------------------------------------------------------------
    def reviews(self, kind: str | None = None) -> list[Review]:
        """Reviews (of one kind), in the order they were last given."""
        where, args = ("WHERE kind=?", (kind,)) if kind else ("", ())
        rows = self.con.execute(f"SELECT {REVIEW_COLUMNS} FROM reviews {where} ORDER BY rowid", args)
        return [Review(*r) for r in rows]

    def _matching(self, doc_id: str, text: str, cache: dict | None = None) -> list[tuple[str, str]]:
        """(id, kind) of the statements of `doc_id` whose text is `text` after normalising;
        `cache` keeps each document's normalised statements across calls."""
        cache = {} if cache is None else cache
        if doc_id not in cache:
            rows = self.con.execute("SELECT id, kind, text FROM statements WHERE doc_id=? ORDER BY seq", (doc_id,))
            cache[doc_id] = [(sid, kind, normalise(t)) for sid, kind, t in rows]
        want = normalise(text)
        return [(sid, kind) for sid, kind, t in cache[doc_id] if t == want]

    def statement_verdicts(self, statement_ids: list[str]) -> dict[str, Review]:
        """Statement id -> its label review, for the given statements that have one."""
        if not statement_ids:
            return {}
        by_text = {(r.doc_id, normalise(r.text)): r for r in self.reviews("label")}
        out = {}
        for sid in statement_ids:
            row = self.con.execute("SELECT doc_id, text FROM statements WHERE id=?", (sid,)).fetchone()
            if row and (row[0], normalise(row[1])) in by_text:
                out[sid] = by_text[(row[0], normalise(row[1]))]
        return out

    def link_verdicts(self, rec_id: str) -> dict[str, Review]:
        """Problem id -> the link review of (`rec_id`, problem), for the problems reviewed with
        this recommendation (rejected ones included: the links table no longer holds them)."""
        row = self.con.execute("SELECT doc_id, text FROM statements WHERE id=?", (rec_id,)).fetchone()
        if row is None:
            return {}
        want = normalise(row[1])
        out = {}
        for r in self.reviews("link"):
            if r.doc_id == row[0] and normalise(r.text) == want:
                for sid, _ in self._matching(r.other_doc, r.other_text):
                    out[sid] = r
        return out

    def result_verdicts(self, query: str) -> dict[tuple[str, str], Review]:
        """(document id, normalised passage text) -> the result review of `query` for it."""
        want = normalise(query)
        return {(r.doc_id, normalise(r.text)): r for r in self.reviews("result") if normalise(r.query) == want}

    def passage_subject(self, passage_id: str) -> tuple[str, str] | None:
        """(document id, text) of a passage, by its id; None when the store does not hold it."""
        row = self.con.execute("SELECT doc_id, text FROM passages WHERE id=?", (passage_id,)).fetchone()
        return (row[0], row[1]) if row else None
