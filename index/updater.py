"""Ingest PDFs into the store and indexes, and remove documents.

Flow per run: find PDFs -> skip unchanged files (content hash) -> parse each
(pypdf, cleaning, spaCy, passages; unreadable files are reported and skipped)
-> embed all new passages -> one write transaction that replaces the changed
documents, builds the index files for the new generation and commits.
A run killed at any point leaves the previous generation intact and usable.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ingest.document import ParsedDocument, file_hash
from ingest.limits import parse_pdf_limited

from ingest.manifest import manifest_for, slug_id
from ingest.pdf_reader import PdfRejected

from . import relations, snapshot
from .embed import Embedder, canonical_name
from .lexical import passage_terms
from .store import Store, StoreError

# progress(stage, done, total, detail): stage is "parse", "embed" or "index"
Progress = Callable[[str, int, int, str], None]


@dataclass
class Skipped:
    path: str
    code: str
    reason: str          # Dutch, for users


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)       # doc ids new in the store
    replaced: list[str] = field(default_factory=list)    # doc ids whose file changed
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    passages: int = 0
    generation: int = 0
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)   # seconds per stage
    relations: dict[str, int] = field(default_factory=dict)   # links and themes after this run


def find_pdfs(paths: list[Path]) -> list[Path]:
    """Files given, plus every *.pdf under folders given (sorted, no duplicates)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() == ".pdf"))
        else:
            out.append(p)
    seen, unique = set(), []
    for p in out:
        key = str(p.resolve()) if p.exists() else str(p)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def check_model(store: Store, model: str | None) -> str:
    """The model name to use with this store; refuses a different one."""
    wanted = canonical_name(model) if model else None
    recorded = store.get_meta("model")
    has_rows = store.con.execute("SELECT COUNT(*) FROM passages").fetchone()[0] > 0
    if recorded and has_rows and wanted and wanted != recorded:
        raise StoreError(
            f"De index is gebouwd met model '{recorded}', niet met '{wanted}'. "
            f"Gebruik hetzelfde model of bouw de index opnieuw in een lege datamap."
        )
    return wanted or recorded or canonical_name(None)


def ingest(paths: list[Path], data_dir: Path, model: str | None = None,
           progress: Progress | None = None, embedder: Embedder | None = None) -> IngestReport:
    progress = progress or (lambda *a: None)
    store = Store(data_dir)
    try:
        name = check_model(store, model or (embedder.name if embedder else None))
        return _ingest(store, find_pdfs(paths), name, progress, embedder)
    finally:
        store.close()


def _ingest(store: Store, files: list[Path], model_name: str, progress: Progress,
            embedder: Embedder | None) -> IngestReport:
    report = IngestReport(generation=store.generation())
    t0 = time.perf_counter()
    parsed: list[ParsedDocument] = []
    known = {d.id: d for d in store.documents()}
    claimed: dict[str, str] = {}
    for i, path in enumerate(files):
        progress("parse", i, len(files), path.name)
        if not path.exists():
            report.skipped.append(Skipped(str(path), "ontbreekt", "Het bestand bestaat niet."))
            continue
        meta = manifest_for(path)
        doc_id = meta.id if meta else slug_id(path)
        if doc_id in claimed:
            report.skipped.append(Skipped(str(path), "dubbel-id",
                                          f"Document-id '{doc_id}' is in deze run al gebruikt door {claimed[doc_id]}."))
            continue
        try:
            sha = file_hash(path)
        except OSError as exc:
            report.skipped.append(Skipped(str(path), "onleesbaar", f"Het bestand kan niet worden gelezen: {exc.strerror}."))
            continue
        if doc_id in known and known[doc_id].sha256 == sha:
            report.unchanged.append(doc_id)
            claimed[doc_id] = path.name
            continue
        try:
            doc = parse_pdf_limited(path, meta=meta, sha256=sha)   # own process, bounded time
        except PdfRejected as exc:
            report.skipped.append(Skipped(str(path), exc.code, exc.message))
            continue
        except Exception as exc:  # an unexpected pypdf failure must not stop the run
            report.skipped.append(Skipped(str(path), "beschadigd",
                                          f"De PDF kon niet worden verwerkt ({type(exc).__name__}: {str(exc)[:160]})."))
            continue
        claimed[doc_id] = path.name
        parsed.append(doc)
        report.warnings.extend(f"{path.name}: {w}" for w in doc.warnings)
    progress("parse", len(files), len(files), "")
    report.timings["parse"] = time.perf_counter() - t0
    if not parsed:
        return report

    texts = [p.text for d in parsed for p in d.doc.passages]
    # recommendations and problems get their own embedding (for links and themes)
    stmt_keys = [(d.meta.id, s.seq) for d in parsed for s in d.statements if relations.needs_vector(s)]
    stmt_texts = [s.text for d in parsed for s in d.statements if relations.needs_vector(s)]
    t0 = time.perf_counter()
    embedder = embedder or Embedder(model_name)
    report.timings["model_load"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    total = len(texts) + len(stmt_texts)
    vecs = embedder.encode_passages(texts, lambda done, _: progress("embed", done, total, ""))
    report.timings["embed_passages"] = time.perf_counter() - t0
    stmt_vecs = embedder.encode_statements(
        stmt_texts, lambda done, _: progress("embed", len(texts) + done, total, ""))
    report.timings["statements"] = len(stmt_texts)
    by_doc: dict[str, dict] = {}
    for (doc_id, seq), vec in zip(stmt_keys, stmt_vecs):
        by_doc.setdefault(doc_id, {})[seq] = vec
    report.timings["embed"] = time.perf_counter() - t0
    report.timings["embed_statements"] = report.timings["embed"] - report.timings["embed_passages"]
    t0 = time.perf_counter()
    terms = [passage_terms(p.section, p.text) for d in parsed for p in d.doc.passages]

    offset = 0
    with store.write():
        for d in parsed:
            n = len(d.doc.passages)
            (report.replaced if d.meta.id in known else report.added).append(d.meta.id)
            store.put_document(d, vecs[offset:offset + n], terms[offset:offset + n])
            relations.put_statements(store.con, d.meta.id, d.statements, d.doc.passages, by_doc.get(d.meta.id, {}))
            offset += n
        progress("index", 0, 1, "aanbevelingen koppelen")
        report.relations = relations.rebuild(store.con)
        store.set_meta("model", embedder.name)
        store.set_meta("dim", str(embedder.dim))
        gen = store.bump_generation()
        snapshot.write_indexes(store, gen, embedder.dim,
                               lambda stage, done, total: progress("index", done, total, ""))
    snapshot.prune(store, gen)
    report.timings["store_and_index"] = time.perf_counter() - t0
    report.generation = gen
    report.passages = len(texts)
    return report


def remove(doc_id: str, data_dir: Path) -> bool:
    """Remove one document; False if it was not in the store."""
    store = Store(data_dir)
    try:
        with store.write():
            if not store.delete_document(doc_id):
                return False
            relations.rebuild(store.con)
            gen = store.bump_generation()
            snapshot.write_indexes(store, gen, int(store.get_meta("dim", "384")))
        snapshot.prune(store, gen)
        return True
    finally:
        store.close()
