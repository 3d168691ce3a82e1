"""The Streamlit app's logic with Streamlit's AppTest (no browser)."""
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "ui" / "app.py")


@pytest.fixture
def app_env(monkeypatch, corpus_data):
    monkeypatch.setenv("BELEIDSBANK_DATA", str(corpus_data))


def test_search_page_shows_cited_results(app_env):
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not at.exception
    at.text_input[0].input("bedrijfsbezoeken veiligheidsprocedures leeftijdsgrenzen").run()
    assert not at.exception
    html = " ".join(str(h.proto.body) for h in at.get("html"))
    assert "Masterplan Rotterdam" in html and "<mark>" in html


def test_empty_index_message(monkeypatch, tmp_path):
    monkeypatch.setenv("BELEIDSBANK_DATA", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    assert any("nog geen index" in w.value for w in at.warning)
