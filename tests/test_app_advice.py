"""The advice page (the app's first page) and the user's place: the answer laid out per source
(plain data first), then the page with Streamlit's AppTest on the shipped corpus and the real model."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from streamlit.testing.v1 import AppTest

from beleidsbank.index.advise import AdviceAnswer, AdviceItem, Group, LinkedItem
from beleidsbank.ui import answer as ans
from beleidsbank.ui import chrome, exportlist

APP = str(Path(__file__).resolve().parent.parent / "ui" / "app.py")


def stmt(cls, sid: str, doc: str, kind: str, **kw):
    base = dict(
        id=sid,
        kind=kind,
        doc_id=doc,
        page=3,
        page_label="iii",
        section="2 Aanpak",
        text=f"Tekst van {sid}.",
        passage_id=f"{doc}:0001",
        passage_text="",
        score=0.5,
        short=doc.upper(),
        publisher="Uitgever",
        year=2021,
    )
    if cls is AdviceItem:
        base.update(section_path="2 Aanpak", group=None, signals={})
    else:
        base.update(scope="cross-doc", evidence={})
    base.update(kw)
    return cls(**base)


def sample() -> AdviceAnswer:
    p1 = stmt(LinkedItem, "b:s9", "b", "problem")
    items = [
        stmt(AdviceItem, "a:s1", "a", "recommendation", linked=[p1]),
        stmt(AdviceItem, "b:s2", "b", "recommendation"),
        stmt(AdviceItem, "a:s3", "a", "recommendation"),
        stmt(AdviceItem, "c:s4", "c", "recommendation"),
    ]
    groups = [Group(1, "Tekst", ["a:s1", "b:s2"], ["a", "b"]), Group(2, "Eén bron", ["a:s3"], ["a"])]
    return AdviceAnswer("vraag", "advice", "nl", "vraag", "recommendation", items, groups, ["d", "e"], list("abcde"))


def test_answer_per_source_in_rank_order_with_groups_of_two_sources():
    a = ans.from_advise(sample())
    assert a.sources == ["a", "b", "c"]
    assert {d: [e.item["id"] for e in es] for d, es in a.per_source().items()} == {
        "a": ["a:s1", "a:s3"],
        "b": ["b:s2"],
        "c": ["c:s4"],
    }
    groups = {e.item["id"]: e.group for e in a.entries}
    assert groups["a:s1"]["sources"] == ["a", "b"] and groups["b:s2"] is groups["a:s1"]
    assert groups["a:s3"] is None  # a "group" within one source is no shared advice
    assert a.sources_without == ["d", "e"] and a.linked_kind == "problem"


def test_answer_from_the_json_shape_of_a_problem_question():
    raw = {
        "query": "knelpunten",
        "intent": "problem",
        "recommendations": [],
        "problems": [{"id": "a:s5", "doc_id": "a", "text": "Te weinig leraren.", "recommendations": [{"id": "b:s1"}]}],
        "groups": [],
        "sources_without": ["b"],
    }
    a = ans.from_advise(raw)
    assert a.kind == "problem" and a.linked_kind == "recommendation"
    assert [e.linked[0]["id"] for e in a.entries] == ["b:s1"]


def test_export_items_are_valid_list_items_recommendation_first():
    a = ans.from_advise(sample())
    docs = {"a": SimpleNamespace(title="Titel A", publisher="Uitg. A", year=2020)}
    items = ans.export_items(a.entries[0], docs)
    assert [(i["id"], i["kind"]) for i in items] == [("a:s1", "recommendation"), ("b:s9", "problem")]
    assert items[0]["title"] == "Titel A" and items[1]["title"] == "B"  # no document: its short title
    assert [exportlist.clean_item(i)["id"] for i in items] == ["a:s1", "b:s9"]


def test_dutch_labels_script_names_only_streamlits_own_strings():
    text = chrome.script()
    assert "Sleep een bestand hierheen" in text and "Geen resultaten" in text and "per bestand" in text
    assert "sessionStorage" in text  # the scroll position per page


# -- the page, on the shipped corpus -------------------------------------------------------------


@pytest.fixture
def app_env(monkeypatch, corpus_data):
    monkeypatch.setenv("BELEIDSBANK_DATA", str(corpus_data))
    yield corpus_data
    import shutil

    shutil.rmtree(corpus_data / "exportlijsten", ignore_errors=True)


def htmls(at) -> str:
    return " ".join(str(h.proto.body) for h in at.get("html") if not h.proto.unsafe_allow_javascript)


def button(at, label: str):
    return next(b for b in at.button if b.label == label)


def test_advice_page_answers_per_source_and_keeps_its_place(app_env):
    at = AppTest.from_file(APP, default_timeout=180).run()
    assert at.header[0].value == "Advies"  # the first page
    assert all(m.placeholder for m in at.multiselect)  # no English "Choose options"
    # a question about one region: the national sources give no advice on it
    at.text_input(key="advies_q").input("Wat adviseren de bronnen over de regionale arbeidsmarkt in Rotterdam?").run()
    assert not at.exception, at.exception
    assert at.segmented_control(key="advies_view").value == "advice"
    line = next(c.value for c in at.caption if c.value.startswith("Herkend als adviesvraag"))
    assert "aanbevelingen (" in line and " s)" in line
    sources = [s.value for s in at.subheader]
    assert len(sources) >= 2  # one heading per source that advises
    # st.info renders Markdown: the line is escaped
    assert any(i.value.replace("\\", "").startswith("Geen advies hierover gevonden in: ") for i in at.info)
    assert "aanbeveling</span>" in htmls(at)

    # one click: the recommendation with the problems it addresses
    add = [b for b in at.button if b.label.endswith("aan exportlijst")]
    add[0].click().run()
    items = at.session_state["export"]
    assert items[0]["kind"] == "recommendation"
    assert all(i["kind"] == "problem" for i in items[1:])

    # the page view and back: the same question and answer, not asked again
    kept = at.session_state["result:advies-advice"]
    [b for b in at.button if b.label == "Toon pagina"][0].click().run()
    assert at.header[0].value == "Documenten"
    button(at, "← Terug naar Advies").click().run()
    assert at.header[0].value == "Advies"
    assert at.text_input(key="advies_q").value.endswith("arbeidsmarkt in Rotterdam?")
    assert at.session_state["result:advies-advice"] is kept
    assert [s.value for s in at.subheader] == sources

    # the user switches to the problems
    at.segmented_control(key="advies_view").set_value("problem").run()
    assert not at.exception
    assert "probleem</span>" in htmls(at)

    # only the advice addressed to one party: every recommendation shown asks it to act
    from beleidsbank.index.addressees import addresses

    at.segmented_control(key="advies_view").set_value("advice").run()
    at.selectbox(key="advies_addressee").set_value("gemeenten").run()
    assert not at.exception
    _, answer, _ = at.session_state["result:advies-advice"]
    assert answer.entries and all(addresses(e.item["text"], "gemeenten") for e in answer.entries)


def test_fact_question_shows_passages_and_search_keeps_its_place(app_env):
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.text_input(key="advies_q").input("Hoeveel leraren werken er in het mbo?").run()
    assert at.segmented_control(key="advies_view").value == "passages"
    assert any(c.value.endswith(" s)") and "resultaten" in c.value for c in at.caption)
    button(at, "Verder zoeken in Zoeken").click().run()
    assert at.header[0].value == "Zoeken"
    assert at.text_input(key="zoek_q").value == "Hoeveel leraren werken er in het mbo?"
    at.radio(key="zoek_mode").set_value("lexical").run()
    first = at.session_state["result:zoeken"]
    at.switch_page("views/exportlijst.py").run()
    at.switch_page("views/zoeken.py").run()
    assert at.radio(key="zoek_mode").value == "lexical"
    assert at.session_state["result:zoeken"] is first  # the results were kept, not asked again


def test_a_search_result_is_marked_relevant_and_kept_as_training_data(corpus_data, tmp_path, monkeypatch):
    """Zoeken: "Relevant" under a result stores a result review for the question and shows its mark;
    the review exports as a training query line."""
    import shutil

    from beleidsbank.index.reviews import reviews_as_training
    from beleidsbank.index.store import Store

    data = tmp_path / "data"
    shutil.copytree(corpus_data, data)
    monkeypatch.setenv("BELEIDSBANK_DATA", str(data))
    at = AppTest.from_file(APP, default_timeout=180).run()
    at.switch_page("views/zoeken.py").run()
    at.text_input(key="zoek_q").input("tekort aan technici").run()
    button(at, "Relevant").click().run()
    assert not at.exception, at.exception
    assert "bevestigd" in " ".join(m.value for m in at.success)
    assert "✓ bevestigd" in [c.value for c in at.caption]
    store = Store.open(data)
    try:
        [review] = store.reviews("result")
        assert review.verdict == "confirmed" and review.query == "tekort aan technici"
        [line] = reviews_as_training(store)["queries"]
        assert line["query"] == "tekort aan technici" and line["relevant"][0]["grade"] == 2
    finally:
        store.close()
