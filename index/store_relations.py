"""Statements, links and themes in the store: the `RelationsStore` mixin of `Store`.

Split from store.py to keep each module small; `Store` inherits these methods, so callers
use `store.statements()`, `store.links_for()` etc. as before. Like store.py, this module
holds SQL (the store modules are the only ones that may).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable

import numpy as np

from . import schema
from .records import Evidence, Link, Linkable, LinkedProblem, RecommendationLinks, Statement, Theme
from .schema import chunks, marks, statement_id, to_blob, to_vector


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
            "INSERT INTO themes VALUES(?,?,?,?)",
            [(t.id, t.label, json.dumps(list(t.terms), ensure_ascii=False), t.size) for t in themes],
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
            "s.unit, s.page_label FROM statements s LEFT JOIN passages p ON p.id = s.passage_id "
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
            )
            for r in rows
        ]

    def statements(self, doc: str | None = None, kind: str | None = None, theme: int | None = None) -> list[Statement]:
        """Statements in document order; each filter is left out when not given."""
        clauses, args = [], []
        for clause, value in (("s.doc_id = ?", doc or None), ("s.kind = ?", kind or None), ("s.theme = ?", theme)):
            if value is not None:
                clauses.append(clause)
                args.append(value)
        where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
        sql = f"{schema.STATEMENT_SELECT} {where} ORDER BY s.doc_id, s.seq"
        return [Statement(*r) for r in self.con.execute(sql, args)]

    def statement(self, statement_id: str) -> Statement | None:
        row = self.con.execute(f"{schema.STATEMENT_SELECT} WHERE s.id = ?", (statement_id,)).fetchone()
        return Statement(*row) if row else None

    def _statements_by_id(self, ids: list[str]) -> dict[str, Statement]:
        out = {}
        for chunk in chunks(list(dict.fromkeys(ids))):
            for r in self.con.execute(f"{schema.STATEMENT_SELECT} WHERE s.id IN ({marks(chunk)})", chunk):
                out[r[0]] = Statement(*r)
        return out

    def passage_statements(
        self, passage_ids: list[str], kinds: tuple[str, ...] = ("recommendation", "problem")
    ) -> dict[str, list[Statement]]:
        """Statements of the given kinds per passage id, in reading order."""
        out: dict[str, list[Statement]] = {}
        kinds = tuple(kinds)
        for chunk in chunks(list(passage_ids)):
            for r in self.con.execute(
                f"{schema.STATEMENT_SELECT} WHERE s.passage_id IN ({marks(chunk)}) "
                f"AND s.kind IN ({marks(kinds)}) ORDER BY s.doc_id, s.seq",
                chunk + list(kinds),
            ):
                s = Statement(*r)
                out.setdefault(s.passage_id, []).append(s)
        return out

    def links_for(self, doc: str | None = None, rec_id: str | None = None) -> list[RecommendationLinks]:
        """Recommendations (of `doc`, or the one `rec_id`) with their linked problems, best first."""
        if rec_id is not None:
            s = self.statement(rec_id)
            recs = [s] if s and s.kind == "recommendation" and (not doc or s.doc_id == doc) else []
        else:
            recs = self.statements(doc=doc, kind="recommendation")
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
                    if pid in problems
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

    def themes(self) -> list[Theme]:
        """Themes, largest first."""
        return [
            Theme(t, label, tuple(json.loads(terms)), n)
            for t, label, terms, n in self.con.execute(
                "SELECT id, label, terms, size FROM themes ORDER BY size DESC, id"
            )
        ]

    def statement_vector(self, statement_id: str) -> np.ndarray | None:
        row = self.con.execute("SELECT vector FROM statements WHERE id=?", (statement_id,)).fetchone()
        return to_vector(row[0]) if row else None

    def recommendation_vectors(self, exclude_doc: str | None = None) -> tuple[list[str], np.ndarray]:
        """(ids, vectors) of the recommendations that have a vector, outside `exclude_doc`."""
        rows = self.con.execute(
            "SELECT id, vector FROM statements WHERE kind='recommendation' AND doc_id IS NOT ? "
            "AND vector IS NOT NULL ORDER BY rowid",
            (exclude_doc,),
        ).fetchall()
        if not rows:
            return [], np.zeros((0, 0), dtype=np.float32)
        return [r[0] for r in rows], np.vstack([to_vector(r[1]) for r in rows])
