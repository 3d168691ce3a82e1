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


@pytest.mark.parametrize("page", ["Aanbevelingen", "Bronnen vergelijken", "Documenten", "Exportlijst"])
def test_other_pages_render(app_env, page):
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.sidebar.radio[0].set_value(page).run()
    assert not at.exception, at.exception
    assert at.header[0].value == page


def test_recommendation_page_shows_linked_problems(app_env):
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.sidebar.radio[0].set_value("Aanbevelingen").run()
    html = " ".join(str(h.proto.body) for h in at.get("html"))
    assert "aanbeveling" in html
    assert [s.value for s in at.subheader] == ["Problemen in hetzelfde document", "Problemen in andere documenten"]


def test_add_to_export_list(app_env):
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.text_input[0].input("lerarentekort").run()
    at.button[0].click().run()
    assert len(at.session_state["export"]) == 1
    at.sidebar.radio[0].set_value("Exportlijst").run()
    assert not at.exception
