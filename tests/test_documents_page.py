"""The Documenten page with a store whose pages carry verdicts set by hand (no model): the notes
on poor pages, the OCR mark of a passage, and the metadata-correction form."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from beleidsbank.index.store import Store
from beleidsbank.ui.present import plain
from tests.page_quality_fixtures import poor_pages, store_with

PAGE = str(Path(__file__).resolve().parent.parent / "ui" / "views" / "documenten.py")


def _page(monkeypatch, data) -> AppTest:
    monkeypatch.setenv("BELEIDSBANK_DATA", str(data))
    return AppTest.from_file(PAGE, default_timeout=60).run()


def _form_input(at, label):
    return next(t for t in at.text_input if t.label == label)


def test_poor_pages_are_named_and_ocr_passages_marked(monkeypatch, tmp_path):
    store_with(tmp_path, [("a", poor_pages())]).close()
    at = _page(monkeypatch, tmp_path)
    assert not at.exception, at.exception
    table = at.get("dataframe")[0].value
    assert list(table["matig/slecht leesbaar"]) == [2]
    notes = " ".join(w.value for w in at.warning)
    assert plain("pagina 2 (OCR): tekstkwaliteit matig") in notes
    assert plain("pagina 3 (OCR): tekstkwaliteit slecht") in notes
    options = at.selectbox(key="passage_sel").options
    assert any("p. 4 (OCR)" in o for o in options) and any(o.startswith("p. 3 —") for o in options)


def test_the_form_corrects_metadata(monkeypatch, tmp_path):
    store_with(tmp_path, [("a", [])]).close()
    at = _page(monkeypatch, tmp_path)
    _form_input(at, "Titel").input("Juiste titel")
    _form_input(at, "Jaar").input("2019")
    next(b for b in at.button if b.label == "Correctie opslaan").click().run()
    assert not at.exception, at.exception
    assert any("Gecorrigeerd" in s.value and "2019" in s.value for s in at.success)
    store = Store.open(tmp_path)
    doc = store.document("a")
    assert (doc.title, doc.year, doc.publisher) == ("Juiste titel", 2019, "Uitgever")
    over = store.meta_override("a")
    assert (over.title, over.year, over.publisher, over.kind) == ("Juiste titel", 2019, None, None)  # only what changed
    store.close()


def test_the_form_refuses_a_bad_year_in_dutch(monkeypatch, tmp_path):
    store_with(tmp_path, [("a", [])]).close()
    at = _page(monkeypatch, tmp_path)
    _form_input(at, "Jaar").input("ooit")
    next(b for b in at.button if b.label == "Correctie opslaan").click().run()
    assert any("geen jaartal" in e.value for e in at.error)
    store = Store.open(tmp_path)
    assert store.meta_override("a") is None and store.document("a").year == 2020
    store.close()
