"""Statements, links and themes in the store (the `RelationsStore` mixin of `Store`), and what
the reader said of each page with users' metadata corrections (the `PagesStore` mixin).

Split from store.py to keep each module small; `Store` inherits these methods, so callers
use `store.statements()`, `store.links_for()`, `store.page_words()` etc. Like store.py, this
module holds SQL (the store modules are the only ones that may).

Pages: OCR or not, the text-quality verdict with its Dutch reasons, and the OCR word boxes; a
passage carries the OCR flag and the worst quality of the pages it spans, so search can weigh
it without a join. Metadata corrections live in their own table, keyed by document id, and are
laid over the parsed values whenever a document is written, so they survive a re-ingest.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections import defaultdict
from collections.abc import Iterable

import numpy as np

from . import schema
from .access import seen
from .records import (
    QUALITIES,
    Document,
    Evidence,
    Link,
    Linkable,
    LinkedProblem,
    MetaOverride,
    PageVerdict,
    RecommendationLinks,
    Statement,
    Theme,
    quality_level,
)
from .schema import DOCUMENT_SELECT, chunks, marks, statement_id, to_blob, to_vector


class RelationsStore:
    """Statement, link and theme methods of `Store`; they use `self.con` (the store's connection)."""

    # -- writing (inside a write transaction) -------------------------------
    def put_statements(
        self, doc_id: str, statements: Iterable, passage_ids: list[str | None], vectors: dict[int, np.ndarray]
    ) -> None:
        """Replace one document's statements; `passage_ids[i]` holds statement i, `vectors` maps
        statement seq -> embedding (recommendations and problems only)."""
        self.con.execute("DELETE FROM statements WHERE doc_id=?", (doc_id,))
        rows = [
            (
                statement_id(doc_id, s.seq),
                doc_id,
                s.seq,
                s.start,
                s.end,
                s.page,
                s.page_label,
                s.section,
                s.section_path,
                pid,
                s.kind,
                s.confidence,
                s.cue,
                s.unit,
                s.text,
                None,
                to_blob(vectors.get(s.seq)),
            )
            for s, pid in zip(statements, passage_ids)
        ]
        self.con.executemany(f"INSERT INTO statements VALUES({marks(range(17))})", rows)

    def clear_relations(self) -> None:
        """Drop every link and theme (before `relations.rebuild` stores new ones)."""
        self.con.execute("DELETE FROM links")
        self.con.execute("DELETE FROM themes")
        self.con.execute("UPDATE statements SET theme=NULL")

    def put_themes(self, themes: list[Theme], assignment: dict[str, int]) -> None:
        """Store the themes and each statement's theme (statement id -> theme id)."""
        self.con.executemany("UPDATE statements SET theme=? WHERE id=?", [(t, sid) for sid, t in assignment.items()])
        self.con.executemany(
            "INSERT INTO themes(id, label, terms, size, description, parent, members) VALUES(?,?,?,?,?,?,?)",
            [
                (t.id, t.label, json.dumps(list(t.terms), ensure_ascii=False), t.size, t.description, t.parent)
                + (json.dumps(list(t.members)),)
                for t in themes
            ],
        )

    def put_links(self, links: list[Link]) -> None:
        self.con.executemany(
            "INSERT INTO links VALUES(?,?,?,?,?,?)",
            [
                (k.rec_id, k.prob_id, k.rank, k.score, k.scope, json.dumps(k.evidence.to_json(), ensure_ascii=False))
                for k in links
            ],
        )

    # -- reading --------------------------------------------------------------
    def linkable(self) -> list[Linkable]:
        """The recommendations and problems that have a vector, with their passage's vector
        (`context`), in document order: what themes and links are computed over."""
        rows = self.con.execute(
            "SELECT s.id, s.doc_id, s.seq, s.section_path, s.text, s.kind, s.vector, p.vector, s.confidence, "
            "s.unit, s.page_label, s.theme FROM statements s LEFT JOIN passages p ON p.id = s.passage_id "
            "WHERE s.kind IN ('recommendation','problem') AND s.vector IS NOT NULL ORDER BY s.doc_id, s.seq"
        )
        return [
            Linkable(
                id=r[0],
                doc_id=r[1],
                seq=r[2],
                section_path=r[3],
                text=r[4],
                kind=r[5],
                vector=to_vector(r[6]),
                context=to_vector(r[7]),
                confidence=r[8],
                unit=r[9],
                page_label=r[10],
                theme=r[11],
            )
            for r in rows
        ]

    def statements(
        self,
        doc: str | None = None,
        kind: str | None = None,
        theme: int | None = None,
        visible: frozenset[str] | None = None,
    ) -> list[Statement]:
        """Statements in document order; each filter is left out when not given (`visible`: the
        document ids a viewer may see)."""
        clauses, args = [], []
        for clause, value in (("s.doc_id = ?", doc or None), ("s.kind = ?", kind or None), ("s.theme = ?", theme)):
            if value is not None:
                clauses.append(clause)
                args.append(value)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        sql = f"{schema.STATEMENT_SELECT} {where} ORDER BY s.doc_id, s.seq"
        return [Statement(*r) for r in self.con.execute(sql, args) if seen(visible, r[1])]

    def statement(self, statement_id: str, visible: frozenset[str] | None = None) -> Statement | None:
        row = self.con.execute(f"{schema.STATEMENT_SELECT} WHERE s.id = ?", (statement_id,)).fetchone()
        return Statement(*row) if row and seen(visible, row[1]) else None

    def _statements_by_id(self, ids: list[str]) -> dict[str, Statement]:
        out = {}
        for chunk in chunks(list(dict.fromkeys(ids))):
            for r in self.con.execute(f"{schema.STATEMENT_SELECT} WHERE s.id IN ({marks(chunk)})", chunk):
                out[r[0]] = Statement(*r)
        return out

    def passage_statements(
        self,
        passage_ids: list[str],
        kinds: tuple[str, ...] = ("recommendation", "problem"),
        visible: frozenset[str] | None = None,
    ) -> dict[str, list[Statement]]:
        """Statements of the given kinds per passage id, in reading order (within `visible`)."""
        out: dict[str, list[Statement]] = {}
        kinds = tuple(kinds)
        for chunk in chunks(list(passage_ids)):
            for r in self.con.execute(
                f"{schema.STATEMENT_SELECT} WHERE s.passage_id IN ({marks(chunk)}) "
                f"AND s.kind IN ({marks(kinds)}) ORDER BY s.doc_id, s.seq",
                chunk + list(kinds),
            ):
                s = Statement(*r)
                if seen(visible, s.doc_id):
                    out.setdefault(s.passage_id, []).append(s)
        return out

    def links_for(
        self, doc: str | None = None, rec_id: str | None = None, visible: frozenset[str] | None = None
    ) -> list[RecommendationLinks]:
        """Recommendations (of `doc`, or the one `rec_id`) with their linked problems, best first;
        with `visible`, a link is left out when either end lies outside it."""
        if rec_id is not None:
            s = self.statement(rec_id, visible=visible)
            recs = [s] if s and s.kind == "recommendation" and (not doc or s.doc_id == doc) else []
        else:
            recs = self.statements(doc=doc, kind="recommendation", visible=visible)
        by_rec = defaultdict(list)
        for chunk in chunks([r.id for r in recs]):
            for row in self.con.execute(
                f"SELECT rec_id, prob_id, rank, score, scope, evidence FROM links "
                f"WHERE rec_id IN ({marks(chunk)}) ORDER BY rec_id, rank",
                chunk,
            ):
                by_rec[row[0]].append(row[1:])
        problems = self._statements_by_id([pid for rows in by_rec.values() for pid, *_ in rows])
        return [
            RecommendationLinks(
                r,
                [
                    LinkedProblem(problems[pid], rank, score, scope, Evidence.from_json(json.loads(ev)))
                    for pid, rank, score, scope, ev in by_rec.get(r.id, [])
                    if pid in problems and seen(visible, problems[pid].doc_id)
                ],
            )
            for r in recs
        ]

    def ranked_links(self) -> dict[str, list[str]]:
        """Recommendation id -> its linked problem ids, by rank."""
        ranked: dict[str, list[str]] = {}
        for rid, pid in self.con.execute("SELECT rec_id, prob_id FROM links ORDER BY rec_id, rank"):
            ranked.setdefault(rid, []).append(pid)
        return ranked

    def themes(self, visible: frozenset[str] | None = None) -> list[Theme]:
        """Themes (the broad ones; sub-themes: `sub_themes`), largest first. With `visible`: sized
        by the statements of those documents only, themes without any left out, members,
        descriptions and labels of what it may see (`relations.visible_themes`)."""
        rows = self.con.execute(
            "SELECT id, label, terms, size, description, parent, members FROM themes WHERE parent IS NULL "
            "ORDER BY size DESC, id"
        ).fetchall()
        if visible is not None:
            sizes: dict[int, int] = defaultdict(int)
            counts = "SELECT theme, doc_id, COUNT(*) FROM statements WHERE theme IS NOT NULL GROUP BY theme, doc_id"
            for t, d, n in self.con.execute(counts):
                sizes[t] += n if d in visible else 0
            rows = sorted(((t, *r[:2], sizes[t], *r[3:]) for t, *r in rows if sizes[t]), key=lambda r: (-r[3], r[0]))
        themes = [
            Theme(t, label, tuple(json.loads(terms)), n, desc, parent, tuple(json.loads(members)))
            for t, label, terms, n, desc, parent, members in rows
        ]
        if visible is None:
            return themes
        from .relations import visible_themes  # the labelling rules live with the computations

        return visible_themes(themes, self.statements(visible=visible))

    def statement_vector(self, statement_id: str) -> np.ndarray | None:
        row = self.con.execute("SELECT vector FROM statements WHERE id=?", (statement_id,)).fetchone()
        return to_vector(row[0]) if row else None

    def recommendation_vectors(
        self, exclude_doc: str | None = None, visible: frozenset[str] | None = None
    ) -> tuple[list[str], np.ndarray]:
        """(ids, vectors) of the recommendations that have a vector, outside `exclude_doc` (and
        within `visible`)."""
        rows = self.con.execute(
            "SELECT id, vector, doc_id FROM statements WHERE kind='recommendation' AND doc_id IS NOT ? "
            "AND vector IS NOT NULL ORDER BY rowid",
            (exclude_doc,),
        ).fetchall()
        rows = [r for r in rows if seen(visible, r[2])]
        if not rows:
            return [], np.zeros((0, 0), dtype=np.float32)
        return [r[0] for r in rows], np.vstack([to_vector(r[1]) for r in rows])


# the fields a user may correct, as columns of both documents and meta_overrides
META_FIELDS = ("title", "publisher", "year", "kind")


def passage_verdicts(pages, passages) -> list[tuple[bool, str]]:
    """(ocr, quality) of each passage: OCR when one of its pages was read by OCR, and the worst
    quality of its pages. Pages the reader said nothing of count as text of quality "goed"."""
    by_number = {p.number: (bool(p.ocr), quality_level(p.quality)) for p in pages or ()}
    out = []
    for p in passages:
        seen = [by_number.get(n, (False, 0)) for n in range(p.page, max(p.page, p.page_end) + 1)]
        out.append((any(o for o, _ in seen), QUALITIES[max(level for _, level in seen)]))
    return out


class PagesStore:
    """Page verdicts, OCR word boxes and metadata corrections; `self.con` is the store's connection."""

    con: sqlite3.Connection

    # -- pages ---------------------------------------------------------------------
    def put_pages(self, doc_id: str, pages) -> None:
        """Store the reader's page information of one document (inside a write txn)."""
        self.con.execute("DELETE FROM pages WHERE doc_id=?", (doc_id,))
        self.con.executemany(
            "INSERT INTO pages(doc_id, page, ocr, quality, reasons, words) VALUES(?,?,?,?,?,?)",
            (
                (
                    doc_id,
                    p.number,
                    int(bool(p.ocr)),
                    p.quality,
                    json.dumps(list(p.reasons), ensure_ascii=False),
                    json.dumps([list(w) for w in p.words], ensure_ascii=False),
                )
                for p in pages or ()
            ),
        )

    def page_verdicts(
        self, doc_id: str | None = None, poor_only: bool = False, visible: frozenset[str] | None = None
    ) -> list[PageVerdict]:
        """The page verdicts of one document (all documents when None), by document and page;
        `poor_only`: only pages whose quality is not "goed"."""
        clauses, args = [], []
        if doc_id is not None:
            clauses.append("doc_id=?")
            args.append(doc_id)
        if poor_only:
            clauses.append("quality != 'goed'")
        where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        rows = self.con.execute(
            f"SELECT doc_id, page, ocr, quality, reasons FROM pages{where} ORDER BY doc_id, page", args
        )
        return [PageVerdict(d, n, bool(o), q, tuple(json.loads(r))) for d, n, o, q, r in rows if seen(visible, d)]

    def page_words(
        self, doc_id: str, page: int, visible: frozenset[str] | None = None
    ) -> list[tuple[str, float, float, float, float]]:
        """The OCR word boxes of a page: (text, x0, top, x1, bottom) in PDF points from the page's
        top-left corner; empty for a page with a text layer (or one the store does not know, or
        of a document outside `visible`)."""
        if not seen(visible, doc_id):
            return []
        row = self.con.execute("SELECT words FROM pages WHERE doc_id=? AND page=?", (doc_id, page)).fetchone()
        return [(str(t), float(a), float(b), float(c), float(d)) for t, a, b, c, d in json.loads(row[0])] if row else []

    def poor_passages(self) -> dict[int, str]:
        """rowid -> quality of every passage whose quality is not "goed" (few: a partial index)."""
        return dict(
            self.con.execute("SELECT rowid, quality FROM passages INDEXED BY passages_poor WHERE quality != 'goed'")
        )

    # -- metadata corrections --------------------------------------------------------
    def meta_override(self, doc_id: str) -> MetaOverride | None:
        row = self.con.execute(
            f"SELECT doc_id, {', '.join(META_FIELDS)}, updated_at FROM meta_overrides WHERE doc_id=?", (doc_id,)
        ).fetchone()
        return MetaOverride(*row) if row else None

    def set_meta_override(self, doc_id: str, **fields) -> Document | None:
        """Record a correction of `doc_id`'s metadata (title, publisher, year, kind; None: leave
        as it is) and apply it to the stored document at once (inside a write txn). Returns the
        corrected document; None, and nothing recorded, when the store does not hold it."""
        unknown = set(fields) - set(META_FIELDS)
        if unknown:
            raise TypeError(f"unknown metadata fields: {sorted(unknown)}")
        if self.con.execute("SELECT 1 FROM documents WHERE id=?", (doc_id,)).fetchone() is None:
            return None
        old = self.meta_override(doc_id) or MetaOverride(doc_id)
        merged = [fields.get(f) if fields.get(f) is not None else getattr(old, f) for f in META_FIELDS]
        self.con.execute(
            f"INSERT OR REPLACE INTO meta_overrides(doc_id, {', '.join(META_FIELDS)}, updated_at) VALUES(?,?,?,?,?,?)",
            (doc_id, *merged, time.strftime("%Y-%m-%dT%H:%M:%S")),
        )
        self.apply_meta_override(doc_id)
        row = self.con.execute(DOCUMENT_SELECT + " WHERE id=?", (doc_id,)).fetchone()
        return Document(*row)

    def apply_meta_override(self, doc_id: str) -> None:
        """Lay `doc_id`'s recorded correction over its stored row. A short title that was cut
        from the title follows a corrected title; one chosen apart (a manifest's) stays."""
        o = self.meta_override(doc_id)
        if o is None:
            return
        self.con.execute(
            "UPDATE documents SET "
            "short = CASE WHEN ?1 IS NOT NULL AND short = substr(title, 1, 60) THEN substr(?1, 1, 60) ELSE short END, "
            "title = COALESCE(?1, title), publisher = COALESCE(?2, publisher), year = COALESCE(?3, year), "
            "kind = COALESCE(?4, kind) WHERE id = ?5",
            (o.title, o.publisher, o.year, o.kind, doc_id),
        )

    def delete_meta_override(self, doc_id: str) -> None:
        self.con.execute("DELETE FROM meta_overrides WHERE doc_id=?", (doc_id,))
