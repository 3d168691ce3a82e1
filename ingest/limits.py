"""Bounded time per file: each PDF is parsed in a child process with a deadline.

A malformed PDF can make pypdf loop (cyclic object references, runaway content
streams) or spend minutes in C code, and a thread cannot be interrupted from
outside. `parse_pdf_limited` therefore forks a child that runs
`ingest.document.parse_pdf` and sends the parsed document back through a pipe;
when the deadline passes the child is killed and the file is rejected with a
Dutch reason (code "tijdslimiet"), and the run goes on with the next file.

The deadline is `timeout` seconds, plus `per_page` seconds per page once the
child has counted the pages (Settings.parse_timeout and .parse_timeout_per_page):
a long report legitimately takes longer, a looping one-page file gets the base. The child also arms
`SIGALRM` with the default action and asks the kernel to kill it when its
parent dies, so a killed ingest never leaves a parser running.
A timeout of 0 parses in-process without a limit (for debugging), as do platforms
without `fork`.

Pages without a text layer are read by OCR in the same child (ocr.py). OCR takes
seconds per page, so each page handed to OCR adds its own budget,
`ocr.PAGE_SECONDS`, to the deadline when the child announces it; the child then
reports each OCR'd page, and the caller's `ocr_progress(done, total)` hears it.

`ParsePool` runs `parse_pdf_limited` for many files in worker processes forked
when the pool is made, so the caller can load the embedding model (threads,
imports) while the files are parsed: the workers fork their own per-file
children from a single-threaded process, never from the busy parent. The workers
pass OCR progress back through a queue; `results()` hands it to the pool's
`progress` callback (stage "ocr") while it waits for a file.
"""

from __future__ import annotations

import multiprocessing
import signal
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, wait
from pathlib import Path

from beleidsbank.settings import Settings

from . import ocr
from .document import ParsedDocument, parse_pdf
from .manifest import DocMeta
from .pdf_reader import PdfRejected

GRACE = 5.0  # the child's own alarm fires this long after the parent's deadline

OcrProgress = Callable[[int, int], None]  # (OCR pages done, OCR pages of the file)


def parse_pdf_limited(
    path: Path,
    meta: DocMeta | None = None,
    sha256: str | None = None,
    timeout: float = Settings.parse_timeout,
    per_page: float = Settings.parse_timeout_per_page,
    ocr_progress: OcrProgress | None = None,
) -> ParsedDocument:
    """`parse_pdf` with a time limit of `timeout` seconds plus `per_page` per page, plus
    `ocr.PAGE_SECONDS` per page read by OCR. Raises `PdfRejected` for unusable files, also for
    files whose parsing ran out of time or crashed the parser."""
    base = timeout
    if not forking(base):
        with ocr.listen(ocr_progress or _ignore):
            return parse_pdf(path, meta=meta, sha256=sha256)
    _warm_up()
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(sender, Path(path), meta, sha256, base, per_page), daemon=True)
    started = time.monotonic()
    proc.start()
    sender.close()
    limit = base
    try:
        while True:
            remaining = started + limit - time.monotonic()
            if remaining <= 0:
                raise PdfRejected(
                    "tijdslimiet",
                    f"Het lezen van de PDF duurde langer dan {limit:.0f} seconden en is afgebroken "
                    f"(mogelijk een beschadigde PDF die de PDF-lezer laat rondlopen).",
                )
            if not receiver.poll(min(remaining, 0.5)):
                continue
            try:
                msg = receiver.recv()
            except EOFError:  # the child died without an answer (crash, out of memory, killed)
                proc.join(1.0)
                raise PdfRejected(
                    "beschadigd",
                    f"Het lezen van de PDF is vastgelopen (verwerkingsproces gestopt, code {proc.exitcode}).",
                ) from None
            kind = msg[0]
            if kind == "pages":
                limit = base + per_page * msg[1]
            elif kind == "ocr":
                if msg[1] == 0:  # announced before the first page: each OCR page gets its own budget
                    limit += ocr.PAGE_SECONDS * msg[2]
                if ocr_progress is not None:
                    ocr_progress(msg[1], msg[2])
            elif kind == "ok":
                return msg[1]
            else:
                raise _rejection(msg)
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        receiver.close()


def _ignore(*_args) -> None:
    pass


def forking(base: float = Settings.parse_timeout) -> bool:
    """Whether parsing runs in child processes with a deadline of `base` seconds: a positive
    deadline and a platform with fork (see the module doc)."""
    return base > 0 and "fork" in multiprocessing.get_all_start_methods()


def _failure(exc: Exception) -> tuple:
    """A parse failure as plain data for another process: ("rejected", code, message, detail)
    for a `PdfRejected`, ("error", exception name, message) for anything else."""
    if isinstance(exc, PdfRejected):
        return ("rejected", exc.code, exc.message, exc.detail)
    return ("error", type(exc).__name__, str(exc).strip()[:160])


def _rejection(msg: tuple) -> PdfRejected:
    """The `PdfRejected` for a `_failure` message; an unexpected exception in pypdf or the
    cleaning steps gets a Dutch reason, with the technical text as detail."""
    if msg[0] == "rejected":
        return PdfRejected(*msg[1:])
    return PdfRejected(
        "beschadigd", "De PDF kon niet worden verwerkt: de PDF-lezer liep vast op de inhoud.", f"{msg[1]}: {msg[2]}"
    )


_QUEUE = None  # in a pool worker: where OCR progress goes (a multiprocessing queue)


def _parse_job(
    path: Path,
    meta: DocMeta | None,
    sha256: str | None,
    timeout: float,
    per_page: float,
    progress: OcrProgress | None = None,
) -> tuple:
    """One file in a pool worker, as plain data: ("ok", doc) or a `_failure`. OCR progress goes to
    `progress`, or else to the pool's queue."""
    queue = _QUEUE

    def report(done: int, total: int) -> None:
        if progress is not None:
            progress(done, total)
        elif queue is not None:
            queue.put((path.name, done, total))

    try:
        doc = parse_pdf_limited(path, meta=meta, sha256=sha256, timeout=timeout, per_page=per_page, ocr_progress=report)
        return ("ok", doc)
    except Exception as exc:
        return _failure(exc)


def _init_worker(queue) -> None:
    global _QUEUE
    _QUEUE = queue
    _die_with_parent()


class ParsePool:
    """Parse `jobs` (path, meta, sha256) in up to `workers` processes, started now.

    `results()` yields, in job order, a `ParsedDocument` or the `PdfRejected` for each
    job; an unexpected failure becomes `PdfRejected("beschadigd", ...)`. Without fork
    (or with the time limit off) the files are parsed in this process, one by one, as
    `results()` asks for them. If a worker dies, the files it had not finished are
    parsed here instead. `timeout` and `per_page` as for `parse_pdf_limited`; `progress`
    (stage, done, total, file name) hears the OCR of each file, as stage "ocr"."""

    def __init__(
        self,
        jobs: list[tuple[Path, DocMeta | None, str | None]],
        workers: int = 2,
        timeout: float = Settings.parse_timeout,
        per_page: float = Settings.parse_timeout_per_page,
        progress: Callable[[str, int, int, str], None] | None = None,
    ):
        self.jobs = jobs
        self._limits = (timeout, per_page)
        self._progress = progress or _ignore
        self._queue = None
        self._pool: ProcessPoolExecutor | None = None
        self._futures: list[Future] = []
        if jobs and forking(timeout):
            _warm_up()  # once, here: the workers and their children inherit it, and so does
            #                the caller (the links and themes use the same spaCy tables)
            ctx = multiprocessing.get_context("fork")
            self._queue = ctx.SimpleQueue()
            self._pool = ProcessPoolExecutor(
                max_workers=max(1, min(workers, len(jobs))),
                mp_context=ctx,
                initializer=_init_worker,
                initargs=(self._queue,),
            )
            # fork starts every worker at the first submit: before the caller starts any thread.
            # Largest files first: a long report started last would keep one worker busy while
            # the other has nothing left to do (results still come in job order)
            futures = {i: self._pool.submit(_parse_job, *jobs[i], *self._limits) for i in _largest_first(jobs)}
            self._futures = [futures[i] for i in range(len(jobs))]

    def results(self) -> Iterator[ParsedDocument | PdfRejected]:
        for i, job in enumerate(self.jobs):
            out = None
            if self._pool is not None:
                while not wait([self._futures[i]], timeout=0.25).done:
                    self._relay()
                self._relay()
                try:
                    out = self._futures[i].result()
                except Exception:  # the worker died (BrokenProcessPool) or the job did not travel
                    out = None
            if out is None:
                name = job[0].name
                out = _parse_job(*job, *self._limits, lambda done, total, n=name: self._progress("ocr", done, total, n))
            yield out[1] if out[0] == "ok" else _rejection(out)

    def _relay(self) -> None:
        """Hand the workers' OCR progress to the `progress` callback."""
        while self._queue is not None and not self._queue.empty():
            name, done, total = self._queue.get()
            self._progress("ocr", done, total, name)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def _largest_first(jobs: list[tuple[Path, DocMeta | None, str | None]]) -> list[int]:
    """The jobs' indices, largest file first (a file that cannot be read counts as empty)."""

    def size(i: int) -> int:
        try:
            return jobs[i][0].stat().st_size
        except OSError:
            return 0

    return sorted(range(len(jobs)), key=lambda i: -size(i))


_WARM = False
_WARM_UP_TEXT = [  # prose, a recommendation in the imperative, a problem: the lazily loaded tables
    b"1 Aanbevelingen",
    b"Het kabinet investeert de komende jaren extra in het techniekonderwijs op het vmbo.",
    b"Versterk de samenwerking tussen scholen en bedrijven in de regio.",
    b"Versterken van de regionale aanpak is nodig.",
    b"Wij adviseren scholen om samen te werken. Het tekort aan technici groeit.",
]


def _warm_up() -> None:
    """Parse a tiny built-in PDF once in this process, so that every forked child
    inherits what the whole pipeline loads on first use (pypdf, the spaCy
    pipelines and lemma tables, ...) instead of loading it again for every file."""
    global _WARM
    if _WARM:
        return
    _WARM = True
    import logging
    import tempfile

    from . import document

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "warm-up.pdf"
        path.write_bytes(_tiny_pdf(_WARM_UP_TEXT))
        try:
            document.parse_pdf(path)
        except Exception as exc:  # only a cache warmer: the real parse reports real problems
            logging.getLogger(__name__).debug("warm-up parse failed: %s", exc)


def _tiny_pdf(lines: list[bytes]) -> bytes:
    """A valid one-page PDF showing `lines` (PDF string literals) in WinAnsi Helvetica."""
    ops = b"BT /F1 11 Tf 72 760 Td 15 TL " + b" ".join(b"(" + ln + b") '" for ln in lines) + b" ET"
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(ops), ops),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    return _assemble_pdf(objs)


def _assemble_pdf(objs: list[bytes]) -> bytes:
    """A PDF file from numbered object bodies (1 = catalog), with its xref table and trailer."""
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, obj in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (i, obj)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)


def _die_with_parent() -> None:
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG (Linux)
    except Exception:
        pass


def _child(conn, path: Path, meta, sha256, base: float, per_page: float) -> None:
    _die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's business
    signal.signal(signal.SIGALRM, signal.SIG_DFL)  # default action: terminate, even inside C code
    signal.alarm(int(base + GRACE) + 1)
    try:
        from .pdf_reader import count_pages

        n = count_pages(path)
        signal.alarm(int(base + per_page * n + GRACE) + 1)
        conn.send(("pages", n))

        def report(done: int, total: int) -> None:
            if done == 0:  # the parent adds the same budget to its deadline
                signal.alarm(int(base + per_page * n + ocr.PAGE_SECONDS * total + GRACE) + 1)
            conn.send(("ocr", done, total))

        with ocr.listen(report):
            doc = parse_pdf(path, meta=meta, sha256=sha256)
        conn.send(("ok", doc))
    except Exception as exc:
        conn.send(_failure(exc))
    finally:
        conn.close()
