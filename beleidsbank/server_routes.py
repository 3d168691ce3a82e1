"""The API's read routes: the answers of the CLI's read commands (beleidsbank/answers.py), each
for what the asking user may see. List answers come a page at a time: `{"total", "offset",
"limit", "items"}`, where `items` is that slice of the list the CLI prints."""

from __future__ import annotations

import itertools
from typing import Annotated, Literal

import click
from fastapi import APIRouter, Query, Request
from pydantic import Field, StringConstraints

from beleidsbank.settings import ApiParams
from beleidsbank.ui.present import unknown_document

from . import answers
from .cli_common import MAX_FILTER_VALUES, MAX_QUERY_CHARS, usable_text
from .server import ApiError, context
from .server_models import AdviceAnswer, Comparison, DocumentPage, FindAnswer, Hit, LinkPage, PassagePage, StatementPage

router = APIRouter(prefix="/api")

FILTER_CHARS = 1000  # one filter value: a document id or a part of a publisher's name, never a text
Q = Annotated[str, Query(min_length=1, max_length=MAX_QUERY_CHARS, description="De vraag.")]
VALUE = Annotated[str, StringConstraints(max_length=FILTER_CHARS)]
DOC = Annotated[list[VALUE], Query(max_length=MAX_FILTER_VALUES, description="Alleen dit document (id); herhaalbaar.")]
PUBLISHER = Annotated[
    list[VALUE],
    Query(max_length=MAX_FILTER_VALUES, description="Alleen deze uitgever (deel van de naam); herhaalbaar."),
]
YEAR = Annotated[
    list[Annotated[int, Field(ge=1000, le=2999)]],
    Query(max_length=MAX_FILTER_VALUES, description="Alleen dit jaar; herhaalbaar."),
]
KIND = Annotated[
    list[Literal["recommendation", "problem"]],
    Query(max_length=2, description="Alleen passages met een aanbeveling of probleem."),
]
OFFSET = Annotated[int, Query(ge=0, le=10**9, description="Het eerste item van de pagina (vanaf 0).")]
LIMIT = Annotated[int | None, Query(ge=1, le=ApiParams.max_page_size, description="Items per pagina.")]
ONE_DOC = Annotated[str | None, Query(max_length=FILTER_CHARS, description="Alleen dit document (id).")]


def checked_text(value: str, what: str) -> str:
    try:
        return usable_text(value, what)
    except click.BadParameter as exc:
        raise ApiError(422, exc.message) from None


def _filters(doc, publisher, year, kind=None) -> dict:
    """The CLI's filter checks: usable text, years of four digits; empty lists as no filter."""
    for values, name in ((doc, "doc"), (publisher, "publisher")):
        for v in values:
            checked_text(v, f"'{name}'")
    out = dict(doc=list(doc) or None, publisher=list(publisher) or None, year=list(year) or None)
    if kind is not None:
        out["kind"] = list(kind) or None
    return out


def _limit(request: Request, limit: int | None) -> int:
    api = context(request).settings.api
    if limit is not None and limit > api.max_page_size:
        raise ApiError(422, f"'limit' mag hoogstens {api.max_page_size} zijn.")
    return limit or api.page_size


def _page(rows, total: int, offset: int, limit: int) -> dict:
    return {
        "total": total,
        "offset": offset,
        "limit": limit,
        "items": list(itertools.islice(rows, offset, offset + limit)),
    }


@router.get("/search", response_model=list[Hit], summary="Zoek passages (de lijst van `search --json`).")
def search(
    request: Request,
    q: Q,
    top_k: Annotated[int, Query(ge=1, le=1000)] = 10,
    mode: Literal["hybrid", "dense", "lexical"] = "hybrid",
    doc: DOC = [],  # noqa: B006 (FastAPI copies query defaults)
    publisher: PUBLISHER = [],  # noqa: B006
    year: YEAR = [],  # noqa: B006
    kind: KIND = [],  # noqa: B006
):
    from beleidsbank.index.search import QueryError

    filters = _filters(doc, publisher, year, kind)
    ctx = context(request)
    with ctx.reading(request) as (_store, viewer):
        try:
            return answers.search(
                ctx.searcher(),
                checked_text(q, "De zoekvraag"),
                top_k=top_k,
                mode=mode,
                **filters,
                visible=viewer.visible,
            )
        except QueryError as exc:
            raise ApiError(422, str(exc)) from None


@router.get("/advise", response_model=AdviceAnswer, summary="Wat adviseren de bronnen (`advise --json`).")
def advise(
    request: Request,
    q: Q,
    top_k: Annotated[int, Query(ge=1, le=100)] = 10,
    intent: Literal["advice", "problem"] | None = None,
    doc: DOC = [],  # noqa: B006
    publisher: PUBLISHER = [],  # noqa: B006
    year: YEAR = [],  # noqa: B006
):
    from beleidsbank.index.search import QueryError

    filters = _filters(doc, publisher, year)
    ctx = context(request)
    with ctx.reading(request) as (_store, viewer):
        try:
            return answers.advise(
                ctx.searcher(),
                checked_text(q, "De vraag"),
                ctx.settings.advise,
                top_k=top_k,
                intent=intent,
                **filters,
                visible=viewer.visible,
            )
        except QueryError as exc:
            raise ApiError(422, str(exc)) from None


@router.get("/find", response_model=FindAnswer, summary="Elke passage met een uitdrukking (`find --json`).")
def find(
    request: Request,
    q: Q,
    doc: DOC = [],  # noqa: B006
    publisher: PUBLISHER = [],  # noqa: B006
    year: YEAR = [],  # noqa: B006
    kind: KIND = [],  # noqa: B006
    offset: OFFSET = 0,
    limit: LIMIT = None,
):
    """`hits` holds the page [offset, offset + limit) of the hits; `total` counts them all."""
    from beleidsbank.index.find_query import FindQueryError

    filters = _filters(doc, publisher, year, kind)
    limit = _limit(request, limit)
    with context(request).reading(request) as (store, viewer):
        try:
            result = answers.find(store, checked_text(q, "De zoekopdracht"), **filters, visible=viewer.visible)
        except FindQueryError as exc:
            raise ApiError(422, str(exc)) from None
    result["hits"] = result["hits"][offset : offset + limit]
    return dict(result, offset=offset, limit=limit)


@router.get("/documents", response_model=DocumentPage, summary="De documenten (`documents --json`).")
def documents(request: Request, offset: OFFSET = 0, limit: LIMIT = None):
    limit = _limit(request, limit)
    with context(request).reading(request) as (store, viewer):
        rows = answers.documents(store, visible=viewer.visible)
    return _page(rows, len(rows), offset, limit)


@router.get("/passages", response_model=PassagePage, summary="De passages (`passages --json`).")
def passages(request: Request, doc: ONE_DOC = None, offset: OFFSET = 0, limit: LIMIT = None):
    limit = _limit(request, limit)
    with context(request).reading(request) as (store, viewer):
        visible = viewer.visible
        seen = [d.id for d in answers.visible_documents(store, visible)]
        if doc is not None and doc not in seen:
            raise ApiError(404, unknown_document(doc))
        counts = store.passage_counts()
        total = sum(counts.get(d, 0) for d in ([doc] if doc is not None else seen))
        return _page(answers.passages(store, doc, visible=visible), total, offset, limit)


@router.get("/statements", response_model=StatementPage, summary="De uitspraken (`statements --json`).")
def statements(
    request: Request,
    doc: ONE_DOC = None,
    kind: Literal["recommendation", "problem", "other"] | None = None,
    offset: OFFSET = 0,
    limit: LIMIT = None,
):
    limit = _limit(request, limit)
    with context(request).reading(request) as (store, viewer):
        rows = answers.statements(store, doc=doc, kind=kind, visible=viewer.visible)
    return _page(rows, len(rows), offset, limit)


@router.get(
    "/links", response_model=LinkPage, summary="Aanbevelingen en de problemen die ze aanpakken (`links --json`)."
)
def links(request: Request, doc: ONE_DOC = None, offset: OFFSET = 0, limit: LIMIT = None):
    limit = _limit(request, limit)
    with context(request).reading(request) as (store, viewer):
        rows = answers.links(store, doc=doc, visible=viewer.visible)
    return _page(rows, len(rows), offset, limit)


@router.get("/compare", response_model=Comparison, summary="Bronnen per thema vergelijken (`compare --json`).")
def compare(
    request: Request,
    top: Annotated[int, Query(ge=0, le=20)] = 2,
    addressee: Annotated[str | None, Query(max_length=200, description="Alleen aanbevelingen aan deze partij.")] = None,
):
    """As `beleidsbank compare --json`; the recommendations not yet embedded on their own are
    embedded first with the server's model (once: they are kept beside the index)."""
    ctx = context(request)
    label = _addressee(addressee) if addressee else None

    def encode(texts):
        return ctx.searcher().embedder.encode_statements(texts)

    with ctx.reading(request) as (store, viewer):
        return answers.compare(
            store, top=top, visible=viewer.visible, addressee=label, encode=encode, params=ctx.settings.advise
        )


def _addressee(name: str) -> str:
    from beleidsbank.index.addressees import label_of, labels
    from beleidsbank.ui.present_compare import unknown_addressee

    label = label_of(name)
    if label is None:
        raise ApiError(422, unknown_addressee(name[:80], list(labels())))
    return label
