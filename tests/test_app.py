"""The Streamlit app's logic with Streamlit's AppTest (no browser): real corpus, real model."""

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from beleidsbank.ui import exportlist
from tests import pdf_factory as pf

APP = str(Path(__file__).resolve().parent.parent / "ui" / "app.py")
# the sidebar's page titles and their scripts, relative to the app's entry script
PAGES = {
    "Advies": "views/advies.py",
    "Zoeken": "views/zoeken.py",
    "Aanbevelingen": "views/aanbevelingen.py",
    "Bronnen vergelijken": "views/vergelijken.py",
    "Documenten": "views/documenten.py",
    "Documenten toevoegen": "views/toevoegen.py",
    "Exportlijst": "views/exportlijst.py",
}


@pytest.fixture
def app_env(monkeypatch, corpus_data):
    monkeypatch.setenv("BELEIDSBANK_DATA", str(corpus_data))
    # export lists the tests store must not pile up in the shared corpus data
    yield corpus_data
    shutil.rmtree(corpus_data / "exportlijsten", ignore_errors=True)


def new_app(timeout=120) -> AppTest:
    return AppTest.from_file(APP, default_timeout=timeout)


def htmls(at) -> str:
    """The HTML the pages show (not the app's own script, the one st.html allowed to run)."""
    return " ".join(str(h.proto.body) for h in at.get("html") if not h.proto.unsafe_allow_javascript)


def cards(at) -> list[str]:
    """The HTML of the result cards' first block (citation, badges, passage)."""
    return [str(h.proto.body) for h in at.get("html") if str(h.proto.body).startswith("<p><b>")]


def goto(at, title) -> AppTest:
    """Open a page as its link in the sidebar does."""
    return at.switch_page(PAGES[title]).run()


def widget(items, label):
    return next(w for w in items if w.label == label)


def search_page() -> AppTest:
    at = new_app().run()
    return goto(at, "Zoeken")


def test_search_page_shows_cited_results(app_env):
    at = search_page()
    assert not at.exception
    at.text_input[0].input("bedrijfsbezoeken veiligheidsprocedures leeftijdsgrenzen").run()
    assert not at.exception
    html = htmls(at)
    assert "Masterplan Rotterdam" in html and "<mark>" in html


def test_empty_index_message(monkeypatch, tmp_path):
    monkeypatch.setenv("BELEIDSBANK_DATA", str(tmp_path))
    at = new_app(60).run()
    assert not at.exception
    assert any("nog geen index" in w.value for w in at.warning)


@pytest.mark.parametrize(
    "page", ["Zoeken", "Aanbevelingen", "Bronnen vergelijken", "Documenten", "Documenten toevoegen", "Exportlijst"]
)
def test_other_pages_render(app_env, page):
    at = new_app().run()
    goto(at, page)
    assert not at.exception, at.exception
    assert at.header[0].value == page


def test_statement_kind_filter_and_linked_problems_inline(app_env):
    at = search_page()
    at.text_input[0].input("lerarentekort zij-instroom leraren").run()
    unfiltered = cards(at)
    assert any("aanbeveling</span>" not in c for c in unfiltered)  # the filter has something to remove
    widget(at.multiselect, "Soort uitspraak").set_value(["recommendation"]).run()
    assert not at.exception
    filtered = cards(at)
    assert filtered and all("aanbeveling</span>" in c for c in filtered)
    # a recommendation in the results shows the problems it is linked to, inline
    assert "pakt deze problemen aan" in htmls(at)
    widget(at.multiselect, "Soort uitspraak").set_value(["problem"]).run()
    assert all("probleem</span>" in c for c in cards(at))


def test_theme_names_are_unique_for_the_heatmap():
    from beleidsbank.ui.present import theme_names

    themes = [(0, "techniekpact"), (1, "docenten"), (2, "techniekpact")]
    assert theme_names(themes) == {0: "techniekpact", 1: "docenten", 2: "techniekpact (2)"}


def test_compare_page_heatmap_has_one_row_per_theme(app_env, embedder):
    import pyarrow as pa

    from beleidsbank.index import compare as comparing
    from beleidsbank.index.store import Store

    store = Store.open(app_env)  # the recommendations' own embeddings, as a first comparison keeps them
    comparing.comparison(store, encode=embedder.encode_statements)
    store.close()
    at = new_app().run()
    goto(at, "Bronnen vergelijken")
    assert not at.exception
    chart = at.get("vega_lite_chart")[0].proto
    data = pa.ipc.open_stream(chart.datasets[0].data.data).read_all()
    themes = widget(at.selectbox, "Thema bekijken").options
    n_docs = len(set(data.column("bron").to_pylist()))
    assert len(themes) > 3 and n_docs == 5
    assert data.num_rows == len(themes) * n_docs
    assert sorted(set(data.column("thema").to_pylist())) == sorted(themes)  # distinct rows, as in the picker
    assert 0 < max(data.column("aandeel").to_pylist()) <= 1  # shares of each source's statements


def test_recommendation_page_shows_linked_problems(app_env):
    at = new_app().run()
    goto(at, "Aanbevelingen")
    html = htmls(at)
    assert "aanbeveling" in html
    assert [s.value for s in at.subheader] == [
        "Problemen in hetzelfde document",
        "Problemen in andere documenten",
        "Vergelijkbare aanbevelingen in andere bronnen",
    ]
    assert "gelijkenis" in html
    widget(at.button, "Aanbeveling aan exportlijst").click().run()
    assert at.session_state["export"][0]["kind"] == "recommendation"


def test_add_to_export_list_and_reload(app_env):
    at = search_page()
    at.text_input[0].input("lerarentekort").run()
    add = [b for b in at.button if b.label == "Aan exportlijst"]
    add[0].click().run()
    add = [b for b in at.button if b.label == "Aan exportlijst"]
    add[1].click().run()
    add[1].click().run()  # twice: still one entry
    ids = [i["id"] for i in at.session_state["export"]]
    assert len(ids) == 2
    token = at.query_params["lijst"]
    assert exportlist.valid_token(token)
    assert [i["id"] for i in exportlist.load(app_env, token)] == ids
    # a page reload is a new session with the same URL: the list comes back
    again = new_app()
    again.query_params["lijst"] = token
    again.run()
    assert [i["id"] for i in again.session_state["export"]] == ids
    goto(again, "Exportlijst")
    assert not again.exception
    assert [b.label for b in again.get("download_button")] == [
        "Word (.docx)",
        "Excel (.xlsx)",
        "CSV (Excel)",
        "Markdown",
        "RIS",
        "Lijst opslaan als bestand",
    ]
    # reorder and remove, each mirrored to the stored list
    widget(again.button, "Omlaag").click().run()
    assert [i["id"] for i in exportlist.load(app_env, token)] == ids[::-1]
    [b for b in again.button if b.label == "Verwijderen"][0].click().run()
    assert [i["id"] for i in exportlist.load(app_env, token)] == ids[:1]
    # a URL without a token, or with a forged one, starts empty
    for bad in (None, "../../etc/passwd", "0" * 32):
        other = new_app()
        if bad:
            other.query_params["lijst"] = bad
        other.run()
        assert other.session_state["export"] == []


ITEMS = [
    dict(
        id="x:0001",
        doc_id="x",
        title="Titel één",
        publisher="Uitgever",
        year=2024,
        page_label="3",
        page=3,
        section="1 Inleiding",
        kind="passage",
        text="Een citaat met é en ë.",
    ),
    dict(
        id="x:s0002",
        doc_id="x",
        title="Titel één",
        publisher="Uitgever",
        year=2024,
        page_label="4",
        page=4,
        section="",
        kind="recommendation",
        text="Versterk de samenwerking.",
    ),
]


def test_export_list_load_from_file(app_env):
    at = new_app()
    at.session_state["export"] = [dict(ITEMS[0])]
    at.run()
    goto(at, "Exportlijst")
    uploader = at.file_uploader(key="lijst_bestand")
    uploader.set_value(("lijst.json", b"{ dit is geen json", "application/json")).run()
    widget(at.button, "Lijst laden").click().run()
    assert any("kan niet worden geladen" in e.value and "geen geldige JSON" in e.value for e in at.error)
    assert [i["id"] for i in at.session_state["export"]] == ["x:0001"]
    at.file_uploader(key="lijst_bestand").set_value(("lijst.json", exportlist.dumps(ITEMS), "application/json")).run()
    widget(at.button, "Lijst laden").click().run()
    assert not at.exception
    assert [i["id"] for i in at.session_state["export"]] == ["x:0001", "x:s0002"]  # merged, no duplicate
    widget(at.radio, "Bij laden").set_value("de huidige lijst vervangen").run()
    saved = ("lijst.json", exportlist.dumps(ITEMS[1:]), "application/json")
    at.file_uploader(key="lijst_bestand").set_value(saved).run()
    widget(at.button, "Lijst laden").click().run()
    assert [i["id"] for i in at.session_state["export"]] == ["x:s0002"]
    assert [i["id"] for i in exportlist.load(app_env, at.query_params["lijst"])] == ["x:s0002"]


def test_show_page_from_a_search_result(app_env):
    at = search_page()
    at.text_input[0].input("lerarentekort").run()
    hit_doc = [b for b in at.button if b.label == "Toon pagina"][0]
    passage_id = hit_doc.key.removeprefix("page-")
    hit_doc.click().run()
    assert not at.exception
    assert at.header[0].value == "Documenten"  # the page the sidebar now shows
    assert at.selectbox(key="passage_sel").value == passage_id
    assert at.selectbox(key="doc_sel").value == passage_id.split(":")[0]
    images = at.get("image")
    assert len(images) == 1 and "pagina" in images[0].proto.imgs[0].caption
    assert not any("niet op deze pagina teruggevonden" in c.value for c in at.caption)
    assert any(d.proto for d in at.get("dataframe"))  # metadata and statements tables


def test_ingest_from_app_then_search_page_view_and_moved_file(monkeypatch, tmp_path, embedder):
    data = tmp_path / "data"
    monkeypatch.setenv("BELEIDSBANK_DATA", str(data))
    src = tmp_path / "src"
    src.mkdir()
    good = pf.running_header_pdf(src / "evaluatie.pdf").read_bytes()
    inject = pf.html_injection_pdf(src / "consultatie.pdf").read_bytes()
    at = new_app(300).run()
    goto(at, "Documenten toevoegen")
    at.file_uploader(key="upload_pdfs").set_value(
        [
            ("evaluatie.pdf", good, "application/pdf"),
            ("leeg.pdf", b"", "application/pdf"),
            ("../../stiekem.pdf", b"PK\x03\x04 geen pdf", "application/pdf"),
        ]
    ).run()
    widget(at.button, "Toevoegen aan de index").click().run()
    assert not at.exception, at.exception
    assert any("1 document(en) verwerkt (1 nieuw" in s.value and "2 overgeslagen" in s.value for s in at.success)
    skipped = at.get("dataframe")[0].value
    assert list(skipped["bestand"]) == ["leeg.pdf", "stiekem.pdf"]
    assert "leeg" in skipped["reden"][0] and "geen PDF" in skipped["reden"][1]
    uploads = data / "uploads"
    assert sorted(p.name for p in uploads.iterdir()) == ["evaluatie.pdf"]  # skipped files are not kept
    assert not (tmp_path / "stiekem.pdf").exists()
    # messages render Markdown: the user's file name is escaped in them
    assert any(r"'\.\./\.\./stiekem\.pdf' → 'stiekem\.pdf'" in c.value for c in at.caption)
    # a broken new version of a file that is in the index is skipped, and the good one put back
    at.file_uploader(key="upload_pdfs").set_value([("evaluatie.pdf", good[:300], "application/pdf")]).run()
    widget(at.button, "Toevoegen aan de index").click().run()
    # the name of a stored document: the page asks before the file may update it
    (question,) = [c.label for c in at.checkbox]
    assert question.startswith("Bestaand document") and r"\(evaluatie\) bijwerken" in question
    at.checkbox(key="bijwerken-0").check().run()
    widget(at.button, "Doorgaan").click().run()
    assert any("1 overgeslagen" in w.value for w in at.warning)
    assert (uploads / "evaluatie.pdf").read_bytes() == good

    # search (the searcher is now cached), then add a second document: search must see it
    goto(at, "Zoeken")
    at.text_input[0].input("internetconsultatie reacties").run()
    assert "consultatie" not in " ".join(cards(at)).lower()
    goto(at, "Documenten toevoegen")
    at.file_uploader(key="upload_pdfs").set_value([("consultatie.pdf", inject, "application/pdf")]).run()
    widget(at.button, "Toevoegen aan de index").click().run()
    assert any("1 nieuw" in s.value for s in at.success)
    goto(at, "Zoeken")
    at.text_input[0].input("internetconsultatie reacties").run()
    found = cards(at)
    assert found and "consultatie" in found[0].lower()
    html = htmls(at)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html  # shown as text

    # the page view finds the uploaded file; moved away, it says so plainly
    goto(at, "Documenten")
    at.selectbox(key="doc_sel").set_value("evaluatie").run()
    assert len(at.get("image")) == 1 and not at.error
    (uploads / "evaluatie.pdf").rename(tmp_path / "elders.pdf")
    at.run()
    assert any("verplaatst, hernoemd of verwijderd" in e.value for e in at.error)
    assert not at.get("image")
