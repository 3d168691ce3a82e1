"""`beleidsbank eval` on a real-PDF gold set: ingest the PDFs next to the gold file, then score
what the store made of them (`index.evaluate_real`). The PDFs go into a fresh temporary data
directory (removed afterwards), unless the user gave --data-dir."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from beleidsbank.index.evaluate_real import FileInput, format_table, overall, score_file
from beleidsbank.settings import Settings
from beleidsbank.ui.present import safe_name


def _progress(stage: str, done: int, total: int, detail: str) -> None:
    if stage == "parse" and detail:
        print(f"  inlezen {done}/{total}: {safe_name(detail)}", file=sys.stderr, flush=True)


def _inputs(store, items: list[dict], skipped: dict[str, str]) -> dict[str, FileInput]:
    """Per gold file, what the store holds of it (matched by file name), or why it was refused."""
    by_name = {Path(d.path).name: d for d in store.documents()}
    out = {}
    for g in items:
        doc = by_name.get(g["file"])
        if doc is None:
            out[g["file"]] = FileInput(refused=skipped.get(g["file"], "niet ingelezen"))
            continue
        out[g["file"]] = FileInput(
            title=doc.title,
            year=doc.year,
            publisher=doc.publisher,
            passages=[p.text for p in store.document_passages(doc.id)],
            statements=[(s.text, s.kind) for s in store.statements(doc=doc.id)],
            doc_id=doc.id,
        )
    return out


def run_real_eval(gold: Path, items: list[dict], settings: Settings, keep: bool) -> dict:
    """Ingest the gold set's PDFs and score them; the result has per-file figures, the overall
    figures, the ingest time and a printable table."""
    from beleidsbank.index.search import Searcher
    from beleidsbank.index.store import Store
    from beleidsbank.ingest.pipeline import ingest

    data_dir = settings.data_dir if keep else Path(tempfile.mkdtemp(prefix="beleidsbank-eval-"))
    try:
        pdfs = [gold.parent / g["file"] for g in items if (gold.parent / g["file"]).is_file()]
        t0 = time.perf_counter()
        report = ingest(pdfs, data_dir, settings.model, _progress, settings=replace(settings, data_dir=data_dir))
        seconds = time.perf_counter() - t0
        skipped = {Path(s.path).name: s.reason for s in report.skipped}
        store = Store.open(data_dir)
        try:
            inputs = _inputs(store, items, skipped)
        finally:
            store.close()
        searcher = Searcher(data_dir, settings.model, params=settings.search, embedding=settings.embedding)

        def search(query: str) -> list[tuple[str, str]]:
            return [(h.doc_id, h.text) for h in searcher.search(query, k=5)]

        files = [score_file(g, inputs[g["file"]], search) for g in items]
    finally:
        if not keep:
            shutil.rmtree(data_dir, ignore_errors=True)
    result = {"files": files, "overall": overall(files), "ingest_seconds": round(seconds, 1)}
    result["table"] = format_table(result) + f"\ningest of {len(pdfs)} PDFs: {seconds:.1f} s"
    return result
