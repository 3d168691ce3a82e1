"""Scanned pages: OCR with Tesseract, its noise rules, the time limit and the page view's highlight."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from beleidsbank.ingest import ocr
from beleidsbank.ingest.document import parse_pdf
from beleidsbank.ingest.limits import ParsePool, parse_pdf_limited
from beleidsbank.ingest.ocr_text import OcrWord, clean_line, quality
from beleidsbank.ingest.pdf_reader import PdfRejected, read_pdf
from beleidsbank.ui import pageview
from tests import pdf_factory as f

needs_tesseract = pytest.mark.skipif(not ocr.languages(), reason="Tesseract is not installed (make tesseract)")

SCAN_DPI = 150
SCAN_TEXT = [  # drawn on the image-only page of the mixed PDF
    "Het kabinet onderzoekt of de regionale samenwerking",
    "tussen scholen en bedrijven kan worden versterkt.",
    "De resultaten worden in het voorjaar verwacht.",
]


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def _share_found(expected: str, got: str) -> float:
    """Share of the words of `expected` that OCR read exactly (OCR may miss a letter here and there)."""
    want, have = _words(expected), set(_words(got))
    return sum(w in have for w in want) / len(want)


def _text_image(lines: list[str], dpi: int = SCAN_DPI):
    """An A4 page image at `dpi` with `lines` in DejaVu Sans (11 pt) from 72 pt down, 72 pt from the left."""
    from PIL import Image, ImageDraw, ImageFont

    px = dpi / 72
    img = Image.new("L", (round(f.PAGE_W * px), round(f.PAGE_H * px)), 255)
    font = ImageFont.truetype(str(f._DEJAVU / "DejaVuSans.ttf"), round(11 * px))
    for i, line in enumerate(lines):
        ImageDraw.Draw(img).text((72 * px, (72 + 16 * i) * px), line, fill=0, font=font)
    return img


def mixed_pdf(path: Path) -> Path:
    """Page 1 a text page (a text layer), page 2 one full-page image of text (a scanned page)."""
    c = canvas.Canvas(str(path), pagesize=(f.PAGE_W, f.PAGE_H), invariant=1)
    c.setFont(f.FONT, 11)
    for i, line in enumerate(f.wrap(f.PARAGRAPHS[0])):
        c.drawString(72, f.PAGE_H - 72 - 15 * i, line)
    c.showPage()
    c.drawImage(ImageReader(_text_image(SCAN_TEXT)), 0, 0, f.PAGE_W, f.PAGE_H)
    c.showPage()
    c.save()
    return path


@pytest.fixture(scope="module")
def mixed(tmp_path_factory) -> Path:
    return mixed_pdf(tmp_path_factory.mktemp("ocr") / "gemengd.pdf")


# -- noise rules (no Tesseract needed) ------------------------------------------------------


def _line(*words: str, conf: float = 95.0) -> list[OcrWord]:
    return [OcrWord(w, 10.0 * i, 0.0, 10.0 * i + 8, 10.0, conf, (1, 1)) for i, w in enumerate(words)]


def _text(words: list[OcrWord]) -> str:
    return " ".join(w.text for w in words)


def test_stray_symbols_are_dropped_but_signs_of_text_kept():
    assert _text(clean_line(_line("|", "De", "~", "scholen", "—", "bedrijven", "»", "&", "overheid"))) == (
        "De scholen — bedrijven & overheid"
    )


def test_garbage_lines_are_dropped():
    assert clean_line(_line("Mtrn", "nnrk", "vwwl", conf=20.0)) == []  # unsure of every word
    assert clean_line(_line("\\\\%", "=/=", "1/", "{(")) == []  # mostly not letters or digits
    assert _text(clean_line(_line("Het", "rapport", "verschijnt", "morgen."))) == "Het rapport verschijnt morgen."


def test_words_broken_by_a_hyphen_are_joined_unless_a_conjunction_follows():
    assert _text(clean_line(_line("het", "be-", "stand", "is", "op"))) == "het bestand is op"
    assert _text(clean_line(_line("metaal-", "en", "elektrotechniek"))) == "metaal- en elektrotechniek"
    joined = clean_line(_line("het", "be-", "stand"))[1]
    assert (joined.x0, joined.x1) == (10.0, 28.0)  # one box over both parts


def test_digits_between_lower_case_letters_are_read_as_letters():
    assert _text(clean_line(_line("vo0r", "a1s", "ge5loten"))) == "voor als gesloten"
    # numbers, codes and words with digits at an edge keep them
    assert _text(clean_line(_line("5.1.2e", "covid19", "b2b", "2021"))) == "5.1.2e covid19 b2b 2021"


def test_quality_follows_the_confidence():
    assert quality(_line("goed", "gelezen", conf=93.0)) == ("goed", [])
    verdict, reasons = quality(_line("matig", "gelezen", conf=75.0))
    assert verdict == "matig" and "OCR" in reasons[0]
    assert quality(_line("slecht", conf=40.0))[0] == "slecht"


# -- Tesseract ------------------------------------------------------------------------------


@needs_tesseract
def test_scanned_pdf_is_read_by_ocr(tmp_path):
    path = f.scanned_pdf(tmp_path / "scan.pdf", pages=1)
    with pytest.raises(PdfRejected) as err:  # without OCR: no text layer, refused as before
        read_pdf(path)
    assert err.value.code == "geen-tekst"
    content = read_pdf(path, ocr=ocr.ocr_pages)
    page = content.pages[0]
    assert page.ocr and page.words and page.lines
    text = " ".join(ln.text for ln in page.lines)
    assert _share_found(f.PARAGRAPHS[0], text) > 0.9
    # lines like the text reader's: top to bottom, baselines in PDF coordinates, one body size
    ys = [ln.y for ln in page.lines]
    assert ys == sorted(ys, reverse=True) and 700 < ys[0] < 780
    assert len({ln.size for ln in page.lines}) == 1 and 8 <= page.lines[0].size <= 13
    # word boxes in points from the top-left corner, inside the drawn text area
    assert all(60 < w[1] < w[3] < 540 and 60 < w[2] < w[4] < 460 for w in page.words)


@needs_tesseract
@pytest.mark.parametrize("turned", [90, 180, 270])
def test_a_page_scanned_sideways_or_upside_down_is_read_upright(tmp_path, turned):
    if "osd" not in ocr.installed_data():
        pytest.skip("Tesseract has no orientation data (osd)")
    path = f.scanned_pdf(tmp_path / "scan.pdf", pages=1, turned=turned)
    page = read_pdf(path, ocr=ocr.ocr_pages).pages[0]
    text = " ".join(ln.text for ln in page.lines)
    assert _share_found(f.PARAGRAPHS[0], text) > 0.9, text[:300]
    assert page.quality != "slecht"


@needs_tesseract
def test_image_only_page_inside_a_text_pdf(mixed):
    doc = parse_pdf(mixed)
    assert [(p.number, p.ocr) for p in doc.pages] == [(1, False), (2, True)]
    assert not doc.pages[0].words and doc.pages[1].words
    on_page_2 = " ".join(p.text for p in doc.doc.passages if p.page <= 2 <= p.page_end)
    assert _share_found(" ".join(SCAN_TEXT), on_page_2) > 0.9
    assert any(p.page == 1 and "Techniekpact" in p.text for p in doc.doc.passages)


@needs_tesseract
def test_scan_of_a_picture_is_still_refused(tmp_path):
    path = f.picture_scan_pdf(tmp_path / "foto.pdf")
    with pytest.raises(PdfRejected) as err:
        parse_pdf(path)
    assert err.value.code == "geen-tekst"


def test_without_tesseract_a_scan_is_refused_with_a_reason(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr, "languages", lambda: ())
    path = f.scanned_pdf(tmp_path / "scan.pdf", pages=1)
    with pytest.raises(PdfRejected) as err:
        parse_pdf(path)
    assert err.value.code == "geen-tekst" and "Tesseract" in err.value.message


@needs_tesseract
def test_ocr_runs_in_the_time_limited_child_with_its_own_budget_and_progress(mixed, monkeypatch):
    real = ocr._tesseract

    def slow(*args):  # a page that takes longer than the whole base deadline (the child inherits this)
        time.sleep(4.0)
        return real(*args)

    monkeypatch.setattr(ocr, "_tesseract", slow)
    seen = []
    doc = parse_pdf_limited(mixed, timeout=2.0, per_page=0.0, ocr_progress=lambda d, t: seen.append((d, t)))
    assert doc.pages[1].ocr
    assert seen == [(0, 1), (1, 1)]


@needs_tesseract
def test_parse_pool_relays_ocr_progress_from_its_workers(mixed):
    seen = []
    with ParsePool([(mixed, None, None)], progress=lambda *a: seen.append(a)) as pool:
        (doc,) = list(pool.results())
    assert doc.pages[1].ocr
    assert seen == [("ocr", 0, 1, "gemengd.pdf"), ("ocr", 1, 1, "gemengd.pdf")]


# -- page view ------------------------------------------------------------------------------


def test_word_rects_cover_the_passage_one_rectangle_per_line():
    words = [
        ("Eerst", 72, 100, 100, 110),
        ("iets", 103, 100, 120, 110),
        ("anders.", 123, 100, 160, 110),
        ("De", 72, 116, 85, 126),
        ("regio", 88, 116, 115, 126),
        ("werkt", 118, 116, 145, 126),
        ("samen", 72, 132, 105, 142),
        ("met", 108, 132, 125, 142),
        ("scholen.", 128, 132, 170, 142),
    ]
    spans, matched, rects = pageview.word_rects(words, "De regio werkt samen met scholen.")
    assert matched == len("deregiowerktsamenmetscholen")
    assert rects == [(72, 116, 145, 126), (72, 132, 170, 142)]
    # a passage that goes on elsewhere lights up only what is here
    spans, matched, rects = pageview.word_rects(
        words, "De regio werkt samen met scholen. Dit staat op een andere pagina."
    )
    assert rects == [(72, 116, 145, 126), (72, 132, 170, 142)]
    assert pageview.word_rects(words, "Dit staat op een andere pagina.")[2] == []


@needs_tesseract
def test_page_view_highlights_a_passage_on_an_ocr_page(mixed):
    doc = parse_pdf(mixed)
    passage = next(p for p in doc.doc.passages if p.page <= 2 <= p.page_end)
    view = pageview.render(mixed, 2, passage.text, scale=1.0, words=doc.pages[1].words)
    assert view.rects and view.matched_chars > 0.9 * len(re.sub(r"\W", "", "".join(SCAN_TEXT)))
    top, bottom = min(r[1] for r in view.rects), max(r[3] for r in view.rects)
    assert 65 < top < 80 and 100 < bottom < 125  # where the three lines were drawn (72 pt down, 16 pt apart)
    # without the words the page has no text layer to find the passage in
    assert not pageview.render(mixed, 2, passage.text, scale=1.0).rects
