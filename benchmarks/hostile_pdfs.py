"""The inputs of the hostile-input suite (benchmarks/hostile_inputs.py): PDFs, query files and
saved export lists made on the spot (nothing hostile is committed as a binary), and the cases
that run a few lines of Python against one module."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

from reportlab.pdfgen import canvas

from tests import pdf_factory

LONG_WORD = 40_000


def big_page_pdf(path: Path, points: float) -> Path:
    """A legal, tiny PDF whose one page is `points` wide and high."""
    c = canvas.Canvas(str(path), pagesize=(points, points), invariant=1)
    c.setFont("Helvetica", 12)
    c.drawString(72, points - 72, "Een pagina van enorme afmetingen met een regel tekst.")
    c.showPage()
    c.save()
    return path


def long_word_pdf(path: Path) -> Path:
    """One word of LONG_WORD letters, hyphenated at a line end: the joining of lines meets it."""
    lines = ["Dit is de eerste zin van een gewone alinea.", "a" * (LONG_WORD // 2) + "-", "b" * (LONG_WORD // 2)]
    return pdf_factory.write_text_pdf(path, [lines])


def many_pages_pdf(path: Path, pages: int = 20_000) -> Path:
    """A small file of `pages` blank pages: the parse deadline grows with the page count."""
    import pypdf

    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    writer.write(str(path))
    return path


def deep_nesting_pdf(path: Path, depth: int = 200_000) -> Path:
    """A page whose content stream opens `depth` arrays: a parser that recurses per level, or
    warns per level, meets it."""
    content = zlib.compress(b"BT /F1 12 Tf 72 720 Td " + b"[" * depth + b"(x)" + b"]" * depth + b" TJ ET")
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objs, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def _list_file(items: list, raw: str | None = None) -> bytes:
    if raw is not None:
        return raw.encode("utf-8")
    return json.dumps({"formaat": "beleidsbank-exportlijst", "versie": 1, "items": items}).encode()


ITEM = {"id": "a:0001", "doc_id": "a", "title": "Titel", "kind": "passage", "text": "Een citaat.", "page": 1}


def make_all(w: Path) -> dict:
    """Write every input under `w`; returns their paths by name."""
    pdfs = w / "pdfs"
    pdfs.mkdir(parents=True, exist_ok=True)
    files = {
        "page_14400": big_page_pdf(pdfs / "groot-14400.pdf", 14400),
        "page_100000": big_page_pdf(pdfs / "groot-100000.pdf", 100000),
        "long_word": long_word_pdf(pdfs / "lang-woord.pdf"),
        "deep": deep_nesting_pdf(pdfs / "diep-genest.pdf"),
        "many_pages": many_pages_pdf(pdfs / "20000-paginas.pdf"),
        "readonly": w / "readonly",
    }
    q = w / "vragen"
    q.mkdir(exist_ok=True)
    raw = {
        "latin1": '{"id": "q1", "query": "café"}\n'.encode("latin-1"),
        "surrogate": b'{"id": "q1", "query": "a\\ud800b"}\n',
        "nested": b"[" * 100_000 + b"\n",
        "null": b'{"id": "q1", "query": null}\n',
        "bom": b'\xef\xbb\xbf{"id": "q1", "query": "techniek"}\n',
        "bad_gold": b'{"id": "q1", "query": \n',
        "empty": b"",
    }
    files["queries"] = {}
    for name, data in raw.items():
        (q / f"{name}.jsonl").write_bytes(data)
        files["queries"][name] = q / f"{name}.jsonl"
    lists = w / "lijsten"
    lists.mkdir(exist_ok=True)
    saved = {
        "brackets": _list_file([], raw="[" * 5000 + "]" * 5000),
        "digits": _list_file([], raw='{"formaat": "beleidsbank-exportlijst", "versie": ' + "9" * 4301 + "}"),
        "surrogate": _list_file([dict(ITEM, text="a\ud800b")]),
        "year": _list_file([dict(ITEM, year=int("9" * 4300))]),
    }
    files["lists"] = {}
    for name, data in saved.items():
        (lists / f"{name}.json").write_bytes(data)
        files["lists"][name] = lists / f"{name}.json"
    return files


RENDER = """
import sys
from beleidsbank.ui import pageview
try:
    view = pageview.render(sys.argv[1], 1, "Een pagina van enorme afmetingen")
    print(f"OK: getoond als {view.image.size[0]}x{view.image.size[1]} pixels")
except pageview.PageViewError as exc:
    print(f"OK: {exc}")
"""

PARSE = """
import sys, time
from beleidsbank.ingest.document import parse_pdf
from beleidsbank.ingest.pdf_reader import PdfRejected
t = time.perf_counter()
try:
    doc = parse_pdf(sys.argv[1])
    print(f"OK: {len(doc.doc.passages)} passages in {time.perf_counter() - t:.1f} s")
except PdfRejected as exc:
    print(f"OK: geweigerd ({exc.code}): {exc.message}")
"""

JOIN = """
import time
from beleidsbank.ingest.clean import join_hyphenated
t = time.perf_counter()
joined = join_hyphenated("a" * 40000 + "-", "bcd efg")
assert joined == "a" * 40000 + "bcd efg", len(joined)
print(f"OK: {time.perf_counter() - t:.3f} s")
"""

LOAD_LIST = """
import sys
from pathlib import Path
from beleidsbank.ui import exportlist
try:
    exportlist.loads(Path(sys.argv[1]).read_bytes())
    print("geladen: niet geweigerd")
    sys.exit(1)
except exportlist.ExportListError as exc:
    print(f"OK: {exc}")
"""

TOKEN = """
import sys, tempfile
from beleidsbank.ui import exportlist
d = tempfile.mkdtemp()
assert not exportlist.minted(d, "0" * 32)
print("OK: een zelfgekozen token opent geen lijst")
"""


def pdf_cases(files: dict, python_case) -> list:
    return [
        python_case("page view: 14400-point page", RENDER, max_mb=500).with_args(files["page_14400"]),
        python_case("page view: 100000-point page", RENDER, max_mb=500).with_args(files["page_100000"]),
        python_case("parse: one 40k-letter word", PARSE, max_seconds=30).with_args(files["long_word"]),
        python_case("join_hyphenated: 40k letters", JOIN, max_seconds=5),
        python_case("parse: 200k-deep nesting", PARSE, max_seconds=60, max_lines=20).with_args(files["deep"]),
        python_case("parse: 20,000 pages", PARSE, max_seconds=60, message="te-groot").with_args(files["many_pages"]),
        python_case("parse: no font dictionaries on stderr", PARSE, max_lines=3, absent="fontTools").with_args(
            Path(__file__).resolve().parent.parent / "corpus" / "ptvt-2026-talent.pdf"
        ),
    ]


def export_list_cases(files: dict, python_case) -> list:
    out = [python_case(f"saved list: {name}", LOAD_LIST).with_args(path) for name, path in files["lists"].items()]
    return out + [python_case("saved list: token chosen by someone else", TOKEN)]
