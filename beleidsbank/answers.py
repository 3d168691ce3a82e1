"""The JSON answers of the read commands, built in one place for the command line (`--json`) and
the REST API (beleidsbank/server*.py), so that the two cannot drift apart.

Every function takes the searcher or an open store, the question and filters, and `visible`: the
document ids the asking user may see (None: every document; index/access.py decides it). A
document outside `visible` leaves no trace in an answer. The index functions take `visible`
themselves where they offer it; besides, every answer here is narrowed to `visible` (the search
filters by document, lists are filtered by their documents), so no path depends on one layer
alone.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from dataclasses import asdict

from beleidsbank.ui.present import page_warnings

PASSAGE_JSON = (
    "id",
    "doc_id",
    "seq",
    "page",
    "page_end",
    "page_label",
    "section",
    "section_path",
    "kind",
    "ocr",
    "quality",
    "text",
)
STATEMENT_JSON = (
    "id",
    "doc_id",
    "page",
    "page_label",
    "section",
    "section_path",
    "passage_id",
    "kind",
    "confidence",
    "cue",
    "unit",
    "text",
    "theme",
    "theme_label",
)
NO_DOCUMENT = "\x00"  # a document filter no stored id matches: the scope of a user who sees none


def passage_json(p) -> dict:
    """A passage in the stable JSON shape of `passages --json`."""
    return {k: getattr(p, k) for k in PASSAGE_JSON}


def statement_json(s) -> dict:
    """A statement in the stable JSON shape of `statements --json` and `links --json`."""
    return {k: getattr(s, k) for k in STATEMENT_JSON}


def _call(fn, *args, visible: frozenset[str] | None, **kwargs):
    """`fn(*args, **kwargs)`, with `visible` passed on when `fn` takes it."""
    try:
        takes = "visible" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        takes = False
    return fn(*args, **kwargs, visible=visible) if takes else fn(*args, **kwargs)


def doc_scope(doc: list[str] | None, visible: frozenset[str] | None) -> list[str] | None:
    """The document filter within `visible`: the asked documents it holds, or all of it."""
    if visible is None:
        return doc
    allowed = [d for d in (doc if doc else sorted(visible)) if d in visible]
    return allowed or [NO_DOCUMENT]


def _sees(visible: frozenset[str] | None, doc_id: str) -> bool:
    return visible is None or doc_id in visible


def search(
    searcher,
    query: str,
    *,
    top_k: int = 10,
    mode: str = "hybrid",
    doc=None,
    publisher=None,
    year=None,
    kind=None,
    visible: frozenset[str] | None = None,
) -> list[dict]:
    """The list `search --json` prints. QueryError (Dutch) for a query that cannot be answered."""
    filters = dict(doc=doc_scope(doc, visible), publisher=publisher, year=year, kind=kind)
    hits = _call(searcher.search, query, k=top_k, mode=mode, **filters, visible=visible)
    return [h.to_json() for h in hits if _sees(visible, h.doc_id)]


def advise(
    searcher,
    query: str,
    params,
    *,
    top_k: int = 10,
    intent: str | None = None,
    doc=None,
    publisher=None,
    year=None,
    qid=None,
    visible: frozenset[str] | None = None,
    addressee: str | None = None,
) -> dict:
    """The object `advise --json` prints (with `qid`: one line of a --queries run; `addressee`:
    only the recommendations that ask this actor to act)."""
    from beleidsbank.index.advise import advise as run_advise

    filters = dict(doc=doc_scope(doc, visible), publisher=publisher, year=year)
    if addressee:
        filters["addressee"] = addressee
    answer = _call(run_advise, searcher, query, top_k=top_k, params=params, intent=intent, **filters, visible=visible)
    return answer.to_json(qid)


def find(store, expression: str, *, doc=None, publisher=None, year=None, kind=None, visible=None) -> dict:
    """The object `find --json` prints. FindQueryError (Dutch) for an expression it cannot read."""
    from beleidsbank.index.find import find as run_find

    filters = dict(doc=doc_scope(doc, visible), publisher=publisher, year=year, kind=kind)
    return _call(run_find, store, expression, **filters, visible=visible).to_json()


def document_warnings(store, doc_id: str) -> list[str]:
    """The notes on a document's pages of poor text quality, as the ingest report gave them."""
    return page_warnings((v.page, v.ocr, v.quality, v.reasons) for v in store.page_verdicts(doc_id, poor_only=True))


def visible_documents(store, visible: frozenset[str] | None = None) -> list:
    """The store's documents (records) that `visible` holds, in the store's order."""
    return [d for d in _call(store.documents, visible=visible) if _sees(visible, d.id)]


def documents(store, visible: frozenset[str] | None = None) -> list[dict]:
    """The list `documents --json` prints."""
    counts = store.passage_counts()
    return [
        dict(asdict(d), passages=counts.get(d.id, 0), warnings=document_warnings(store, d.id))
        for d in visible_documents(store, visible)
    ]


def passages(store, doc: str | None = None, visible: frozenset[str] | None = None) -> Iterator[dict]:
    """The passages `passages --json` prints, a document at a time (a large index is never held
    whole). `doc` must be a document the caller may see (checked before)."""
    doc_ids = [doc] if doc is not None else [d.id for d in visible_documents(store, visible)]
    for doc_id in doc_ids:
        if _sees(visible, doc_id):
            for p in store.document_passages(doc_id):
                yield passage_json(p)


def statements(store, doc: str | None = None, kind: str | None = None, visible=None) -> list[dict]:
    """The list `statements --json` prints."""
    found = _call(store.statements, doc=doc, kind=kind, visible=visible)
    return [statement_json(s) for s in found if _sees(visible, s.doc_id)]


def links(store, doc: str | None = None, visible: frozenset[str] | None = None) -> list[dict]:
    """The list `links --json` prints: per recommendation the problems it addresses."""
    found = _call(store.links_for, doc=doc, visible=visible)
    return [
        {
            "recommendation": statement_json(rec.recommendation),
            "problems": [
                dict(
                    statement_json(p.problem), score=p.score, rank=p.rank, scope=p.scope, evidence=p.evidence.to_json()
                )
                for p in rec.problems
                if _sees(visible, p.problem.doc_id)
            ],
        }
        for rec in found
        if _sees(visible, rec.recommendation.doc_id)
    ]


def compare(
    store,
    top: int = 2,
    visible: frozenset[str] | None = None,
    *,
    addressee: str | None = None,
    encode=None,
    params=None,
) -> dict:
    """The object `compare --json` prints: per theme the sources' shares, agreements, gaps and
    differences (index/compare.py). `encode` embeds the recommendations not yet kept with their
    own embedding (without it they are left out of the agreements: `ungrouped`)."""
    from beleidsbank.index import compare as comparing

    result = comparing.comparison(
        store, visible=visible, addressee=addressee, top=top, params=params, encode=encode
    ).to_json()
    if visible is not None:  # index/compare.py reads only visible documents; checked here again
        result["documents"] = [d for d in result["documents"] if d in visible]
        result["sources"] = [s for s in result["sources"] if s["id"] in visible]
        for theme in result["themes"]:
            theme["per_source"] = {d: c for d, c in theme["per_source"].items() if d in visible}
            theme["statements"] = {d: c for d, c in theme["statements"].items() if d in visible}
    return result


def export_items(store, ids: list[str], visible: frozenset[str] | None = None) -> list[dict | None]:
    """Export-list items (the fields ui/export.py writes, as the app's list holds them) for
    passage and statement ids, in order; None for an id the store does not hold or `visible` hides."""
    docs: dict = {}
    passages_of: dict[str, dict] = {}

    def document(doc_id: str):
        if doc_id not in docs:
            docs[doc_id] = store.document(doc_id)
        return docs[doc_id]

    out: list[dict | None] = []
    for i in ids:
        item = None
        s = store.statement(i)
        if s is not None:
            d = document(s.doc_id)
            title, publisher = (d.title, d.publisher) if d else (s.doc_id, "")
            item = dict(id=s.id, doc_id=s.doc_id, title=title, publisher=s.publisher or publisher, year=s.year)
            item.update(page_label=s.page_label, page=s.page, section=s.section, kind=s.kind, text=s.text)
        elif (subject := store.passage_subject(i)) is not None:
            if subject[0] not in passages_of:
                passages_of[subject[0]] = {p.id: p for p in store.document_passages(subject[0])}
            p, d = passages_of[subject[0]].get(i), document(subject[0])
            if p is not None and d is not None:
                item = dict(id=p.id, doc_id=d.id, title=d.title, publisher=d.publisher, year=d.year)
                item.update(page_label=p.page_label, page=p.page, ocr=bool(p.ocr), section=p.section, kind="passage")
                item["text"] = p.text
        out.append(item if item is not None and _sees(visible, item["doc_id"]) else None)
    return out
