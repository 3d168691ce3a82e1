"""OCR cost per page: render with pypdfium2 and read with Tesseract, as ingest does for scanned pages.

    .venv/bin/python -m benchmarks.bench_ocr [PDF ...] [--pages 4] [--workers 1,2]

Default PDF: the scanned Woo decision of the real-PDF set (../shared/realpdfs/besluitbrief.pdf).
For each number of Tesseract processes at a time (ocr.WORKERS) it prints the pages read, seconds
per page (wall clock, the figure a user waits for), the words found, and peak
memory: this process (rendering, parsing the output) and the largest Tesseract process.
"""

from __future__ import annotations

import argparse
import os
import resource
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = ROOT.parent / "shared" / "realpdfs" / "besluitbrief.pdf"


def run(paths: list[Path], pages: int, workers: int) -> dict:
    from beleidsbank.ingest import ocr
    from beleidsbank.ingest.pdf_reader import count_pages

    ocr.WORKERS = workers
    n_pages, words, t0 = 0, [], time.perf_counter()
    for path in paths:
        numbers = list(range(1, min(pages, count_pages(path)) + 1)) if pages else list(range(1, count_pages(path) + 1))
        read = ocr.ocr_pages(path, numbers)
        n_pages += len(numbers)
        words += [w for p in read.values() for w in p.words]
    seconds = time.perf_counter() - t0
    return {"workers": workers, "pages": n_pages, "seconds": seconds, "words": len(words)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("pdfs", nargs="*", default=[str(DEFAULT)])
    ap.add_argument("--pages", type=int, default=0, help="read at most this many pages of each PDF (0: all)")
    ap.add_argument("--workers", default="1,2", help="Tesseract processes at a time, comma-separated")
    args = ap.parse_args()
    from beleidsbank.ingest import ocr

    if not ocr.languages():
        raise SystemExit("Tesseract met Nederlandse taaldata is niet geïnstalleerd (make tesseract).")
    print(f"# {os.popen('uptime').read().strip()}")
    print(f"# tesseract languages {'+'.join(ocr.languages())}, {ocr.DPI} dpi, {os.cpu_count()} cores")
    paths = [Path(p) for p in args.pdfs]
    for workers in [int(w) for w in args.workers.split(",")]:
        r = run(paths, args.pages, workers)
        per_page = r["seconds"] / max(r["pages"], 1)
        print(
            f"workers {workers}: {r['pages']} pages in {r['seconds']:.1f} s = {per_page:.2f} s/page, {r['words']} words"
        )
    self_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"peak memory: this process {self_mb:.0f} MB, largest Tesseract process {child_mb:.0f} MB")


if __name__ == "__main__":
    main()
