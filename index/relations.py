"""Statements, themes and recommendation-problem links in the store.

Tables live in the same SQLite database as documents and passages (statements
cascade away with their document). `put_statements` stores one document's
statements inside the ingest transaction; `rebuild` recomputes themes and
links over all documents in that same transaction, so readers see links that
match the statements. Reading is plain SQL: cheap.
"""
from __future__ import annotations

import json
from collections import defaultdict

import numpy as np

from . import links as linking
from . import themes

SCHEMA = """
CREATE TABLE IF NOT EXISTS statements(
    id TEXT PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    seq INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    page INTEGER NOT NULL,
    page_label TEXT NOT NULL,
    section TEXT NOT NULL,
    section_path TEXT NOT NULL,
    passage_id TEXT,
    kind TEXT NOT NULL,
    confidence REAL NOT NULL,
    cue TEXT NOT NULL,
    unit TEXT NOT NULL,
    text TEXT NOT NULL,
    theme INTEGER,
    vector BLOB
);
CREATE INDEX IF NOT EXISTS statements_doc ON statements(doc_id, seq);
CREATE INDEX IF NOT EXISTS statements_kind ON statements(kind);
CREATE TABLE IF NOT EXISTS links(
    rec_id TEXT NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    prob_id TEXT NOT NULL REFERENCES statements(id) ON DELETE CASCADE,
    rank INTEGER NOT NULL,
    score REAL NOT NULL,
    scope TEXT NOT NULL,
    evidence TEXT NOT NULL,
    PRIMARY KEY(rec_id, prob_id)
);
CREATE TABLE IF NOT EXISTS themes(id INTEGER PRIMARY KEY, label TEXT NOT NULL, terms TEXT NOT NULL, size INTEGER NOT NULL);
"""

FIELDS = ("id", "doc_id", "seq", "start", "end", "page", "page_label", "section", "section_path", "passage_id",
          "kind", "confidence", "cue", "unit", "text", "theme")


def ensure_schema(con) -> None:
    con.executescript(SCHEMA)


def statement_id(doc_id: str, seq: int) -> str:
    return f"{doc_id}:s{seq:04d}"


def needs_vector(statement) -> bool:
    return statement.kind in ("recommendation", "problem")


def put_statements(con, doc_id: str, statements, passages, vectors: dict[int, np.ndarray]) -> None:
    """Replace one document's statements. `vectors` maps statement seq -> embedding."""
    from .store import passage_id

    con.execute("DELETE FROM statements WHERE doc_id=?", (doc_id,))
    starts = [(p.start, p.end, p.seq) for p in passages]
    rows = []
    for s in statements:
        pid = next((passage_id(doc_id, q) for a, z, q in starts if a <= s.start < z), None)
        vec = vectors.get(s.seq)
        rows.append((statement_id(doc_id, s.seq), doc_id, s.seq, s.start, s.end, s.page, s.page_label, s.section,
                     s.section_path, pid, s.kind, s.confidence, s.cue, s.unit, s.text, None,
                     vec.astype(np.float32).tobytes() if vec is not None else None))
    con.executemany(f"INSERT INTO statements VALUES({','.join('?' * 17)})", rows)


def linkable(con) -> list[dict]:
    """The recommendation and problem statements with their vectors (and their passage's, as
    `context`), in document order: what themes and links are computed over."""
    rows = con.execute(
        "SELECT s.id, s.doc_id, s.seq, s.section_path, s.text, s.kind, s.vector, p.vector, s.confidence, s.unit, "
        "s.page_label FROM statements s "
        "LEFT JOIN passages p ON p.id = s.passage_id "
        "WHERE s.kind IN ('recommendation','problem') AND s.vector IS NOT NULL ORDER BY s.doc_id, s.seq"
    ).fetchall()
    return [dict(id=r[0], doc_id=r[1], seq=r[2], section_path=r[3], text=r[4], kind=r[5],
                 vector=np.frombuffer(r[6], dtype=np.float32),
                 context=np.frombuffer(r[7], dtype=np.float32) if r[7] is not None else None, confidence=r[8],
                 unit=r[9], page_label=r[10])
            for r in rows]


def rebuild(con) -> dict:
    """Recompute themes and links over all recommendation and problem statements."""
    items = linkable(con)
    con.execute("DELETE FROM links")
    con.execute("DELETE FROM themes")
    con.execute("UPDATE statements SET theme=NULL")
    if not items:
        return {"links": 0, "themes": 0}
    texts, sources = [i["text"] for i in items], [i["doc_id"] for i in items]
    # themes follow topics, not the form of a statement (advice vs complaint): cluster the
    # statement together with the passage around it
    vecs = themes.theme_space(linking.meaning_vectors(items), texts, sources)
    assign = themes.cluster(vecs, themes.n_themes(len(items)))
    labels = themes.label(texts, assign, sources)
    for item, t in zip(items, assign):
        item["theme"] = int(t)
    con.executemany("UPDATE statements SET theme=? WHERE id=?", [(i["theme"], i["id"]) for i in items])
    con.executemany("INSERT INTO themes VALUES(?,?,?,?)",
                    [(t, d["label"], json.dumps(d["terms"], ensure_ascii=False), d["size"]) for t, d in labels.items()])
    recs = [i for i in items if i["kind"] == "recommendation"]
    # a link points at a stated problem: a heading ("3.3 Versnippering in het Techniekpact") names
    # the topic of the statements under it, which are the targets
    probs = [i for i in items if i["kind"] == "problem" and i["unit"] != "heading"]
    found = linking.link(recs, probs)
    con.executemany("INSERT INTO links VALUES(?,?,?,?,?,?)",
                    [(l["rec_id"], l["prob_id"], l["rank"], l["score"], l["scope"],
                      json.dumps(l["evidence"], ensure_ascii=False)) for l in found])
    return {"links": len(found), "themes": len(labels)}


# -- reading ---------------------------------------------------------------

def _select(where: str = "", args: tuple = ()) -> tuple[str, tuple]:
    cols = ", ".join(f"s.{f}" for f in FIELDS)
    sql = (f"SELECT {cols}, d.short, d.publisher, d.year, t.label FROM statements s "
           f"JOIN documents d ON d.id = s.doc_id LEFT JOIN themes t ON t.id = s.theme {where}")
    return sql, args


def _row(r) -> dict:
    rec = dict(zip(FIELDS + ("short", "publisher", "year", "theme_label"), r))
    return rec


def statements(con, doc: str | None = None, kind: str | None = None, theme: int | None = None) -> list[dict]:
    clauses, args = [], []
    if doc:
        clauses.append("s.doc_id = ?")
        args.append(doc)
    if kind:
        clauses.append("s.kind = ?")
        args.append(kind)
    if theme is not None:
        clauses.append("s.theme = ?")
        args.append(theme)
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    sql, a = _select(where + " ORDER BY s.doc_id, s.seq", tuple(args))
    return [_row(r) for r in con.execute(sql, a)]


def statement(con, sid: str) -> dict | None:
    sql, a = _select("WHERE s.id = ?", (sid,))
    r = con.execute(sql, a).fetchone()
    return _row(r) if r else None


def links_for(con, doc: str | None = None, rec_id: str | None = None) -> list[dict]:
    """[{"recommendation": {...}, "problems": [{..., "score", "scope", "evidence"}]}]"""
    recs = [s for s in statements(con, doc=doc, kind="recommendation") if rec_id in (None, s["id"])]
    by_rec = defaultdict(list)
    marks = ",".join("?" * len(recs))
    if recs:
        for rid, pid, rank, score, scope, ev in con.execute(
            f"SELECT rec_id, prob_id, rank, score, scope, evidence FROM links WHERE rec_id IN ({marks}) ORDER BY rec_id, rank",
            [r["id"] for r in recs],
        ):
            by_rec[rid].append((pid, rank, score, scope, json.loads(ev)))
    out = []
    for r in recs:
        probs = []
        for pid, rank, score, scope, ev in by_rec.get(r["id"], []):
            p = statement(con, pid)
            if p:
                probs.append(dict(p, rank=rank, score=score, scope=scope, evidence=ev))
        out.append({"recommendation": r, "problems": probs})
    return out


def theme_list(con) -> list[dict]:
    return [dict(id=t, label=l, terms=json.loads(terms), size=n)
            for t, l, terms, n in con.execute("SELECT id, label, terms, size FROM themes ORDER BY size DESC, id")]


def compare(con, top: int = 3) -> dict:
    """Source x theme matrix: per theme and document, counts and the strongest statements."""
    docs = [d for (d,) in con.execute("SELECT id FROM documents ORDER BY id")]
    result = {"documents": docs, "themes": []}
    for th in theme_list(con):
        cells = {}
        for d in docs:
            rows = statements(con, doc=d, theme=th["id"])
            recs = sorted((r for r in rows if r["kind"] == "recommendation"), key=lambda r: -r["confidence"])
            probs = sorted((r for r in rows if r["kind"] == "problem"), key=lambda r: -r["confidence"])
            cells[d] = {
                "recommendations": len(recs),
                "problems": len(probs),
                "top": [{k: r[k] for k in ("id", "kind", "text", "page_label", "section", "confidence")}
                        for r in (recs[:top] + probs[:top])],
            }
        result["themes"].append({**th, "cells": cells})
    return result
