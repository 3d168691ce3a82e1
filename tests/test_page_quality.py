"""Page verdicts in the store and in search: what a passage inherits from its pages, the notes on
poor pages, and the modest penalty search gives passages of poor pages."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from beleidsbank.index.search import Searcher
from beleidsbank.index.store_relations import passage_verdicts
from beleidsbank.ingest.document import PageInfo
from beleidsbank.ingest.page_notes import page_warnings
from beleidsbank.settings import SearchParams
from beleidsbank.ui.present import export_citation, hit_citation
from tests.page_quality_fixtures import WORDS, FakeEmbedder, poor_pages, store_with


def _span(page, page_end):
    return SimpleNamespace(page=page, page_end=page_end)


def test_a_passage_takes_ocr_from_any_page_and_the_worst_quality_of_its_pages():
    pages = poor_pages()
    spans = [_span(1, 1), _span(1, 2), _span(2, 3), _span(4, 4)]
    assert passage_verdicts(pages, spans) == [(False, "goed"), (True, "matig"), (True, "slecht"), (False, "goed")]
    assert passage_verdicts([], spans) == [(False, "goed")] * 4


def test_the_store_keeps_page_verdicts_word_boxes_and_passage_quality(tmp_path):
    store = store_with(tmp_path, [("a", poor_pages())])
    passages = store.document_passages("a")
    assert [(p.page, p.ocr, p.quality) for p in passages] == [
        (1, False, "goed"),
        (2, True, "matig"),
        (3, True, "slecht"),
    ]
    poor = store.page_verdicts("a", poor_only=True)
    assert [(v.page, v.ocr, v.quality, v.reasons) for v in poor] == [
        (2, True, "matig", ("weinig herkende woorden",)),
        (3, True, "slecht", ("veel onleesbare tekens",)),
    ]
    assert len(store.page_verdicts("a")) == 3
    assert store.page_words("a", 2) == WORDS
    assert store.page_words("a", 1) == [] and store.page_words("a", 9) == [] and store.page_words("b", 2) == []
    assert sorted(store.poor_passages().values()) == ["matig", "slecht"]
    assert store.passages([passages[1].rowid])[passages[1].rowid].ocr is True
    with store.write():
        store.delete_document("a")
    assert store.page_verdicts() == [] and store.poor_passages() == {}
    store.close()


def test_notes_name_runs_of_poor_pages_with_their_reasons():
    pages = [
        (1, False, "goed", []),
        (2, True, "slecht", ["geen tekst herkend"]),
        (3, True, "slecht", ["geen tekst herkend"]),
        (4, True, "slecht", ["geen tekst herkend"]),
        (5, False, "matig", ["veel losse letters", "korte regels"]),
        (7, False, "matig", ["veel losse letters", "korte regels"]),
    ]
    assert page_warnings(pages) == [
        "pagina's 2-4 (OCR): tekstkwaliteit slecht: geen tekst herkend",
        "pagina 5: tekstkwaliteit matig: veel losse letters; korte regels",
        "pagina 7: tekstkwaliteit matig: veel losse letters; korte regels",
    ]
    assert page_warnings([(1, False, "goed", []), (2, True, "goed", [])]) == []
    assert page_warnings([(1, False, "matig", [])]) == ["pagina 1: tekstkwaliteit matig"]


@pytest.mark.parametrize("mode", ["hybrid", "dense", "lexical"])
def test_passages_of_poor_pages_count_for_less_in_search(tmp_path, mode):
    # two documents with the same passages and vectors: "a" (written first, so it wins ties) has
    # poor pages, "b" only good ones
    store_with(tmp_path, [("a", poor_pages()), ("b", [PageInfo(n) for n in (1, 2, 3)])]).close()
    query = "tekort technici scholen bedrijven leraren"
    neutral = Searcher(tmp_path, embedder=FakeEmbedder(), params=SearchParams(poor_page_factor=1.0))
    weighed = Searcher(tmp_path, embedder=FakeEmbedder())
    plain = [(h.doc_id, h.page) for h in neutral.search(query, k=6, mode=mode)]
    hits = weighed.search(query, k=6, mode=mode)
    got = [(h.doc_id, h.page) for h in hits]
    assert sorted(plain) == sorted(got)
    for page in (2, 3):  # a poor page's passage falls behind its good twin; a good page's does not move
        assert plain.index(("a", page)) < plain.index(("b", page))
        assert got.index(("a", page)) > got.index(("b", page))
    assert got.index(("a", 1)) < got.index(("b", 1))
    by_place = {(h.doc_id, h.page): h for h in hits}
    assert (by_place["a", 2].ocr, by_place["a", 2].quality) == (True, "matig")
    assert (by_place["b", 2].ocr, by_place["b", 2].quality) == (False, "goed")
    assert by_place["a", 2].to_json()["ocr"] is True
    assert "p. 4 (OCR)" in hit_citation(by_place["a", 2]) and "OCR" not in hit_citation(by_place["b", 2])
    neutral.close()
    weighed.close()


def test_with_every_page_good_the_ranking_is_the_ranking_without_page_verdicts(tmp_path):
    store_with(tmp_path / "met", [("a", [PageInfo(n) for n in (1, 2, 3)]), ("b", [])]).close()
    store_with(tmp_path / "zonder", [("a", []), ("b", [])]).close()
    for mode in ("hybrid", "dense", "lexical"):
        a, b = (
            Searcher(tmp_path / "met", embedder=FakeEmbedder()),
            Searcher(tmp_path / "zonder", embedder=FakeEmbedder()),
        )
        for query in ("tekort aan technici", "samenwerking scholen bedrijven", "leraren"):
            assert [h.to_json() for h in a.search(query, k=5, mode=mode)] == [
                h.to_json() for h in b.search(query, k=5, mode=mode)
            ]
        a.close()
        b.close()


def test_export_citations_name_ocr():
    item = {"title": "T", "publisher": "U", "year": 2020, "page_label": "4", "ocr": True}
    assert export_citation(item) == "U (2020). T, p. 4 (OCR)."
    assert export_citation(dict(item, ocr=False)) == "U (2020). T, p. 4."


def test_the_ingest_report_names_poor_pages(tmp_path):
    from beleidsbank.ingest.pipeline import IngestReport, _collect
    from tests.test_store import parsed

    doc = parsed("a", ["Een zin.", "Nog een zin.", "Laatste zin."])
    doc.pages = poor_pages()
    report = IngestReport()
    got = _collect([(tmp_path / "scan.pdf", "a", False, True)], iter([doc]), report, lambda *a: None, 1)
    assert got == [doc]
    assert report.warnings == [
        "scan.pdf: pagina 2 (OCR): tekstkwaliteit matig: weinig herkende woorden",
        "scan.pdf: pagina 3 (OCR): tekstkwaliteit slecht: veel onleesbare tekens",
    ]
