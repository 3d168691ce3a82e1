"""`beleidsbank passages` and `documents`: every passage with its citation fields, OCR flag and
quality; the notes on poor pages; and one run from PDF to CLI through the real pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from reportlab.lib.utils import ImageReader

from beleidsbank.cli import main
from beleidsbank.index.store import Store
from beleidsbank.ingest import ocr
from beleidsbank.ingest.pipeline import ingest
from tests import pdf_factory as f
from tests.page_quality_fixtures import TEXTS, FakeEmbedder, poor_pages, store_with

FIELDS = {"id", "doc_id", "seq", "page", "page_end", "page_label", "section", "section_path", "kind", "ocr", "quality"}


def _run(*args):
    return CliRunner().invoke(main, [*map(str, args)])


def test_passages_json_is_one_list_with_citation_fields_ocr_and_quality(tmp_path):
    store_with(tmp_path, [("a", poor_pages()), ("b", [])]).close()
    result = _run("passages", "--json", "--data-dir", tmp_path)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert [(r["doc_id"], r["page"]) for r in rows] == [("a", 1), ("a", 2), ("a", 3), ("b", 1), ("b", 2), ("b", 3)]
    assert set(rows[0]) == FIELDS | {"text"}
    assert rows[1] | {"text": ""} == rows[1] | {
        "id": "a:0001",
        "page": 2,
        "page_end": 2,
        "page_label": "4",
        "section": "2.1 Kiezen",
        "section_path": "2 Dynamiek > 2.1 Kiezen",
        "kind": "paragraph",
        "ocr": True,
        "quality": "matig",
        "text": "",
    }
    assert rows[1]["text"] == TEXTS[1]
    assert [(r["ocr"], r["quality"]) for r in rows[3:]] == [(False, "goed")] * 3
    only_b = json.loads(_run("passages", "--json", "--doc", "b", "--data-dir", tmp_path).output)
    assert [r["id"] for r in only_b] == ["b:0000", "b:0001", "b:0002"]


def test_passages_text_names_ocr_pages_and_poor_quality(tmp_path):
    store_with(tmp_path, [("a", poor_pages())]).close()
    result = _run("passages", "--data-dir", tmp_path)
    assert result.exit_code == 0, result.output
    out = result.output
    assert "a:0000: p. 1 (paginanummer 3), § 2.1 Kiezen [paragraph]" in out
    assert "a:0001: p. 2 (OCR) (paginanummer 4), § 2.1 Kiezen [paragraph, tekstkwaliteit matig]" in out
    assert "tekstkwaliteit slecht" in out and TEXTS[2] in out


def test_passages_of_an_unknown_document_or_an_empty_index(tmp_path):
    store_with(tmp_path / "a", [("a", [])]).close()
    result = _run("passages", "--doc", "zz", "--data-dir", tmp_path / "a")
    assert result.exit_code == 1 and "staat niet in de index" in result.output
    assert isinstance(result.exception, SystemExit)
    Store.create(tmp_path / "leeg").close()
    assert _run("passages", "--data-dir", tmp_path / "leeg").output.strip() == "De index is leeg."
    assert json.loads(_run("passages", "--json", "--data-dir", tmp_path / "leeg").output) == []


def test_documents_name_poor_pages(tmp_path):
    store_with(tmp_path, [("a", poor_pages()), ("b", [])]).close()
    rows = {r["id"]: r for r in json.loads(_run("documents", "--json", "--data-dir", tmp_path).output)}
    assert rows["a"]["warnings"] == [
        "pagina 2 (OCR): tekstkwaliteit matig: weinig herkende woorden",
        "pagina 3 (OCR): tekstkwaliteit slecht: veel onleesbare tekens",
    ]
    assert rows["b"]["warnings"] == []
    text = _run("documents", "--data-dir", tmp_path).output
    assert "    let op: pagina 3 (OCR): tekstkwaliteit slecht: veel onleesbare tekens" in text


def _text_pdf(path: Path, paragraphs: list[str]) -> Path:
    path.parent.mkdir(exist_ok=True)
    return f.write_text_pdf(path, f.flow([("h1", "1 Inleiding")] + [("body", p) for p in paragraphs]))


def test_from_pdf_to_cli_a_correction_survives_a_reingest(tmp_path):
    pdf = _text_pdf(tmp_path / "pdfs" / "rapport.pdf", f.PARAGRAPHS[:3])
    data = tmp_path / "data"
    report = ingest([pdf.parent], data, embedder=FakeEmbedder())
    assert report.added == ["rapport"] and not report.skipped
    rows = json.loads(_run("passages", "--json", "--data-dir", data).output)
    assert rows and {(r["ocr"], r["quality"]) for r in rows} == {(False, "goed")}
    assert set(rows[0]) == FIELDS | {"text"}
    result = _run("meta", "rapport", "--title", "Het juiste rapport", "--publisher", "Ministerie", "--data-dir", data)
    assert result.exit_code == 0, result.output
    _text_pdf(pdf, f.PARAGRAPHS[:4])  # the file changes: the document is parsed and written anew
    report = ingest([pdf.parent], data, embedder=FakeEmbedder())
    assert report.replaced == ["rapport"]
    [doc] = json.loads(_run("documents", "--json", "--data-dir", data).output)
    assert (doc["title"], doc["publisher"], doc["warnings"]) == ("Het juiste rapport", "Ministerie", [])
    hits = _run("search", "techniek", "--mode", "lexical", "--data-dir", data)
    # the short title was cut from the parsed title, so it follows the corrected one
    assert hits.exit_code == 0 and "Ministerie (z.j.), Het juiste rapport, p. 1" in hits.output


@pytest.mark.skipif(not ocr.languages(), reason="Tesseract is not installed (make tesseract)")
def test_a_scanned_page_is_cited_as_ocr_from_pdf_to_cli(tmp_path):
    from PIL import Image, ImageDraw, ImageFont

    pdf = tmp_path / "pdfs" / "scan.pdf"
    pdf.parent.mkdir()
    c = f._canvas(pdf)
    c.setFont(f.FONT, 11)
    for line_no, line in enumerate(f.flow([("body", p) for p in f.PARAGRAPHS[:3]])[0]):  # page 1: a text layer
        c.drawString(72, 770 - 15 * line_no, line[0] if isinstance(line, tuple) else line)
    c.showPage()
    img = Image.new("L", (1240, 1754), 255)  # page 2: only an image of text, at 150 dpi
    font = ImageFont.truetype(str(f._DEJAVU / "DejaVuSans.ttf"), 28)
    for i, line in enumerate(f.wrap(f.PARAGRAPHS[1])):
        ImageDraw.Draw(img).text((150, 150 + 42 * i), line, fill=0, font=font)
    c.drawImage(ImageReader(img), 0, 0, f.PAGE_W, f.PAGE_H)
    c.showPage()
    c.save()
    data = tmp_path / "data"
    report = ingest([pdf.parent], data, embedder=FakeEmbedder())
    assert report.added == ["scan"], report.skipped
    rows = json.loads(_run("passages", "--json", "--data-dir", data).output)
    # a passage is OCR when one of its pages is: those of page 1 alone are not
    assert {r["ocr"] for r in rows if r["page_end"] == 1} <= {False}
    assert rows and all(r["ocr"] for r in rows if r["page_end"] >= 2)
    store = Store.open(data)
    assert store.page_words("scan", 2) and store.page_words("scan", 1) == []
    store.close()
    text = _run("passages", "--doc", "scan", "--data-dir", data).output
    assert "p. 2 (OCR)" in text
