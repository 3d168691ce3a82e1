"""Ingest PDFs into the store and indexes, and remove documents.

Flow per run: find PDFs -> skip unchanged files (content hash) -> parse each
(pypdf, cleaning, spaCy, passages; two files at a time in worker processes while
the model loads in a thread; unreadable files are reported and skipped)
-> embed all new passages (statement vectors pooled from the same pass) -> one write
transaction that replaces the changed documents, builds the index files for the new
generation and commits.
A run killed at any point leaves the previous generation intact and usable.
"""

from __future__ import annotations

import bisect
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from beleidsbank.index import relations, snapshot
from beleidsbank.index import sentence_vectors as sentvec
from beleidsbank.index.embed import Embedder, canonical_name
from beleidsbank.index.lexical import passage_terms
from beleidsbank.index.own_vectors import keep_for_index
from beleidsbank.index.store import Store, StoreError
from beleidsbank.settings import Settings

from .document import ParsedDocument, file_hash
from .identity import Resolver, Upload, missing_reason, probe
from .limits import ParsePool
from .page_notes import page_warnings
from .pdf_reader import PdfRejected
from .writer import events, open_for_ingest, waiting

# progress(stage, done, total, detail): stage is "parse", "embed" or "index"
Progress = Callable[[str, int, int, str], None]

log = logging.getLogger(__name__)


@dataclass
class Skipped:
    path: str
    code: str
    reason: str  # Dutch, for users


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)  # doc ids new in the store
    replaced: list[str] = field(default_factory=list)  # doc ids whose file changed
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    passages: int = 0
    generation: int = 0
    warnings: list[str] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    relations: dict[str, int] = field(default_factory=dict)  # links and themes after this run


def find_pdfs(paths: list[Path]) -> list[Path]:
    """Files given, plus every *.pdf under folders given (sorted, no duplicates)."""
    out: list[Path] = []
    for p in map(Path, paths):
        if probe(p.is_dir):
            out.extend(sorted(q for q in p.rglob("*") if q.is_file() and q.suffix.lower() == ".pdf"))
        else:
            out.append(p)
    seen, unique = set(), []
    for p in out:
        key = str(p.resolve()) if probe(p.exists) else str(p)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


def check_model(store: Store, model: str | None) -> str:
    """The model name to use with this store; refuses a different one."""
    wanted = canonical_name(model) if model else None
    recorded = store.get_meta("model")
    has_rows = store.passage_count() > 0
    if recorded and has_rows and wanted and wanted != recorded:
        raise StoreError(
            f"De index is gebouwd met model '{recorded}', niet met '{wanted}'. "
            f"Gebruik hetzelfde model of bouw de index opnieuw in een lege datamap."
        )
    return wanted or recorded or canonical_name(None)


def ingest(
    paths: list[Path],
    data_dir: Path,
    model: str | None = None,
    progress: Progress | None = None,
    embedder: Embedder | None = None,
    settings: Settings | None = None,
    uploads: list[Upload] | None = None,
) -> IngestReport:
    """Add or update the PDFs under `paths` in the store at `data_dir`. `settings` gives the
    parse time limits, the embedding device, the link and theme parameters and the index
    deltas (default: `Settings()`); `data_dir` and `model` are given apart. `uploads` are staged
    files, ingested too and moved into place when the run commits (identity.py)."""
    progress = progress or (lambda *a: None)
    settings = settings or Settings()
    store = open_for_ingest(data_dir, settings, progress)  # waits for other writers before any parsing
    try:
        name = check_model(store, model or (embedder.name if embedder else None))
        files = find_pdfs(paths) + [u.file for u in uploads or []]
        return _ingest(store, files, name, progress, embedder, settings, uploads)
    finally:
        store.close()


def _ingest(
    store: Store,
    files: list[Path],
    model_name: str,
    progress: Progress,
    embedder: Embedder | None,
    settings: Settings,
    uploads: list[Upload] | None = None,
) -> IngestReport:
    report = IngestReport(generation=store.generation())
    t0 = time.perf_counter()
    known = {d.id: d for d in store.documents()}
    ids = Resolver(known, uploads)
    entries, jobs = _screen(files, known, ids)
    with ParsePool(
        jobs,
        timeout=settings.parse_timeout,  # own processes, bounded time per file
        per_page=settings.parse_timeout_per_page,
        progress=progress,  # OCR pages of scanned files, as the parser children read them
    ) as pool:
        load = _load_in_background(model_name, settings) if jobs and embedder is None else None
        parsed = _collect(entries, pool.results(), report, progress, len(files), ids)
    progress("parse", len(files), len(files), "")
    report.timings["parse"] = time.perf_counter() - t0
    if not parsed:
        return report
    t0 = time.perf_counter()
    if embedder is None:
        embedder, report.timings["model_load_total"] = load() if load else _timed_load(model_name, settings)
    report.timings["model_load"] = time.perf_counter() - t0  # the part not hidden behind parsing
    vecs, by_doc, sentences = _embed(parsed, embedder, report, progress)
    t0 = time.perf_counter()
    report.generation = _write(store, parsed, vecs, by_doc, set(known), embedder, report, progress, settings)
    keep_for_index(store, embedder.name, embedder.encode_statements)  # the advice answers rank and group by them
    sentvec.build_missing(store, embedder.name, embedder.dim, embedder.encode_passages_with_spans, sentences)
    for name in ids.swap_in(report.added + report.replaced):  # the run has committed
        report.warnings.append(f"{name}: het bestand kon niet op zijn plaats worden gezet.")
    report.timings["store_and_index"] = time.perf_counter() - t0
    report.passages = len(vecs)
    return report


# one screened file: (path, doc id, unchanged, to parse), or why it is skipped
Entry = tuple[Path, str, bool, bool] | Skipped


def _screen(files: list[Path], known: dict, ids: Resolver) -> tuple[list[Entry], list[tuple]]:
    """Screen every file first (cheap: existence, id, content hash), so the files to parse can
    go to the parsing processes at once and the model loads while they work."""
    entries: list[Entry] = []
    unchanged_ids: set[str] = set()
    jobs = []
    for path in files:
        if not probe(path.exists):
            entries.append(Skipped(str(path), "ontbreekt", missing_reason(path)))
            continue
        try:
            sha = file_hash(path)
        except OSError as exc:
            entries.append(Skipped(str(path), "onleesbaar", f"Het bestand kan niet worden gelezen: {exc.strerror}."))
            continue
        doc_id, meta = ids.resolve(path, sha)
        unchanged = doc_id in known and known[doc_id].sha256 == sha
        if unchanged:
            unchanged_ids.add(doc_id)
        job = not unchanged and doc_id not in unchanged_ids
        if job:
            jobs.append((path, meta, sha))
        entries.append((path, doc_id, unchanged, job))
    return entries, jobs


def _collect(
    entries: list[Entry], results, report: IngestReport, progress: Progress, total: int, ids: Resolver | None = None
) -> list[ParsedDocument]:
    """The parsed documents, in file order; skipped, unchanged files and warnings go to `report`.
    `results` yields the parse of each entry to parse, in order, as each file is done."""
    parsed: list[ParsedDocument] = []
    claimed: dict[str, str] = {}
    for i, entry in enumerate(entries):
        if isinstance(entry, Skipped):
            report.skipped.append(entry)
            continue
        path, doc_id, unchanged, job = entry
        progress("parse", i, total, path.name)
        doc = next(results) if job else None
        if doc_id in claimed:
            report.skipped.append(
                Skipped(
                    str(path), "dubbel-id", f"Document-id '{doc_id}' is in deze run al gebruikt door {claimed[doc_id]}."
                )
            )
            continue
        if unchanged:
            report.unchanged.append(doc_id)
            claimed[doc_id] = path.name
            continue
        if isinstance(doc, PdfRejected):
            report.skipped.append(Skipped(str(path), doc.code, doc.message))
            if doc.detail:  # the PDF library's own words: for the log, not for users
                log.info("%s skipped (%s): %s", path.name, doc.code, doc.detail)
            continue
        claimed[doc_id] = path.name
        if ids is not None:  # the id and source path the resolver gave the file
            ids.place(doc, doc_id, path)
        parsed.append(doc)
        report.warnings.extend(f"{path.name}: {w}" for w in doc.warnings)
        notes = page_warnings((p.number, p.ocr, p.quality, p.reasons) for p in doc.pages)
        report.warnings.extend(f"{path.name}: {w}" for w in notes)
    return parsed


def _embed(
    parsed: list[ParsedDocument], embedder: Embedder, report: IngestReport, progress: Progress
) -> tuple[np.ndarray, dict[str, dict], dict[str, np.ndarray]]:
    """Passage, statement ({doc id: {seq: vector}}) and sentence vectors (index/sentence_vectors.py).

    Recommendations and problems get their own vector (links, themes), every sentence one (the
    reranker), pooled from their passage's token vectors in the same forward pass; a statement
    outside every passage, or past the model's length limit, is embedded on its own.
    """
    passages = [p for d in parsed for p in d.doc.passages]
    spans, owners = statement_spans(parsed)
    t0 = time.perf_counter()
    vecs, pooled = embedder.encode_passages_with_spans(
        [p.text for p in passages], sentvec.with_sentences(passages, spans), lambda d, n: progress("embed", d, n, "")
    )
    report.timings["embed_passages"] = time.perf_counter() - t0
    sentences, pooled = sentvec.split(passages, spans, pooled, embedder.dim)
    by_doc: dict[str, dict] = {}
    for span_owners, span_vecs in zip(owners, pooled):
        for (doc_id, seq), vec in zip(span_owners, span_vecs):
            if vec is not None:
                by_doc.setdefault(doc_id, {})[seq] = vec
    rest = [
        (d.meta.id, s)
        for d in parsed
        for s in d.statements
        if relations.needs_vector(s) and s.seq not in by_doc.get(d.meta.id, {})
    ]
    if rest:
        for (doc_id, s), vec in zip(rest, embedder.encode_statements([s.text for _, s in rest])):
            by_doc.setdefault(doc_id, {})[s.seq] = vec
    report.timings["statements"] = sum(len(v) for v in by_doc.values())
    report.timings["statements_alone"] = len(rest)
    report.timings["embed"] = time.perf_counter() - t0
    report.timings["embed_statements"] = report.timings["embed"] - report.timings["embed_passages"]
    return vecs, by_doc, sentences


def _write(
    store: Store,
    parsed: list[ParsedDocument],
    vecs: np.ndarray,
    by_doc: dict[str, dict],
    known: set[str],
    embedder: Embedder,
    report: IngestReport,
    progress: Progress,
    settings: Settings,
) -> int:
    """One write transaction: replace the documents, rebuild themes and links, write the index
    files of the new generation; then prune older files. Returns the generation."""
    terms = [passage_terms(p.section, p.text) for d in parsed for p in d.doc.passages]
    offset = 0
    event = events(settings)
    with store.write(settings.lock_wait, waiting(progress)):
        event("write-begun")
        for d in parsed:
            n = len(d.doc.passages)
            (report.replaced if d.meta.id in known else report.added).append(d.meta.id)
            store.put_document(d, vecs[offset : offset + n], terms[offset : offset + n])
            relations.put_statements(store, d.meta.id, d.statements, d.doc.passages, by_doc.get(d.meta.id, {}))
            offset += n
        progress("index", 0, 1, "aanbevelingen koppelen")
        report.relations = relations.rebuild(store, settings.links, settings.themes)
        store.set_meta("model", embedder.name)
        store.set_meta("dim", str(embedder.dim))
        event("rows-written")
        gen = store.bump_generation()
        snapshot.write_indexes(
            store,
            gen,
            embedder.dim,
            lambda stage, done, total: progress("index", done, total, ""),
            delta_min_base=settings.delta_min_base,
            delta_max_fraction=settings.delta_max_fraction,
            event=event,
        )
        event("before-commit")
    event("committed")
    snapshot.prune(store, gen)
    return gen


def _timed_load(model_name: str, settings: Settings) -> tuple[Embedder, float]:
    t0 = time.perf_counter()
    return Embedder(model_name, params=settings.embedding), time.perf_counter() - t0


def _load_in_background(model_name: str, settings: Settings) -> Callable[[], tuple[Embedder, float]]:
    """Load the model in a thread; the returned function waits for it (and re-raises its error)."""
    box: dict = {}

    def run() -> None:
        try:
            box["ok"] = _timed_load(model_name, settings)
        except BaseException as exc:  # handed to the waiting thread
            box["error"] = exc

    thread = threading.Thread(target=run, name="model-load", daemon=True)
    thread.start()

    def wait() -> tuple[Embedder, float]:
        thread.join()
        if "error" in box:
            raise box["error"]
        return box["ok"]

    return wait


def statement_spans(parsed: list[ParsedDocument]) -> tuple[list[list[tuple[int, int]]], list[list[tuple[str, int]]]]:
    """Per passage (in document order), the character spans, relative to the passage text, of
    the statements that need a vector, and their (doc_id, seq)."""
    spans: list[list[tuple[int, int]]] = []
    owners: list[list[tuple[str, int]]] = []
    for d in parsed:
        passages = d.doc.passages
        first = len(spans)
        spans.extend([] for _ in passages)
        owners.extend([] for _ in passages)
        starts = [p.start for p in passages]
        for s in d.statements:
            if not relations.needs_vector(s):
                continue
            i = bisect.bisect_right(starts, s.start) - 1
            if i < 0 or not passages[i].start <= s.start < passages[i].end:
                continue
            p = passages[i]
            a = s.start - p.start
            if p.text[a : a + len(s.text)] != s.text:  # offsets that do not address the passage text
                continue
            spans[first + i].append((a, a + len(s.text)))
            owners[first + i].append((d.meta.id, s.seq))
    return spans, owners


def correct_meta(doc_id: str, data_dir: Path, **fields):
    """Correct a stored document's metadata (title, publisher, year, kind; None leaves a field
    as it is). The correction is applied at once and again whenever the document is ingested
    anew. Returns the corrected document, or None when the store does not hold `doc_id`."""
    store = Store.open(data_dir, write=True)  # no index: NoIndexError; read-only: ReadOnlyError
    try:
        with store.write():
            return store.set_meta_override(doc_id, **fields)
    finally:
        store.close()


def remove(doc_id: str, data_dir: Path, settings: Settings | None = None) -> bool:
    """Remove one document (and its metadata correction); False if it was not in the store.
    `settings` as for `ingest`."""
    settings = settings or Settings()
    store = Store.open(data_dir, write=True, wait=settings.lock_wait)  # NoIndexError, ReadOnlyError
    try:
        with store.write(settings.lock_wait):
            if not store.delete_document(doc_id):
                return False
            relations.rebuild(store, settings.links, settings.themes)
            gen = store.bump_generation()
            snapshot.write_indexes(
                store,
                gen,
                int(store.get_meta("dim", "384")),
                delta_min_base=settings.delta_min_base,
                delta_max_fraction=settings.delta_max_fraction,
            )
        snapshot.prune(store, gen)
        return True
    finally:
        store.close()
