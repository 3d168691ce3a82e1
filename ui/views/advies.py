"""Advies, the app's first page: what the sources advise on a question, per source, each
recommendation cited with the problems it addresses; recommendations that several sources share
marked as a group; the sources without advice named. A problem question shows the problems with
the recommendations that address each; a fact question the passages. The view follows the
question's intent and the user can switch it."""

from __future__ import annotations

import logging

import streamlit as st

from beleidsbank.index.addressees import labels
from beleidsbank.index.search import QueryError
from beleidsbank.index.store import NoIndexError, StoreError
from beleidsbank.ui import answer as ans
from beleidsbank.ui import present_compare as pc
from beleidsbank.ui import state, widgets
from beleidsbank.ui.present import (
    ANSWER_VIEW_LABELS,
    INTENT_LABELS,
    LANGUAGE_LABELS,
    answer_failed,
    hit_citation,
    model_error,
    no_index_app,
    nothing_found_in,
    plain,
    result_count,
)

log = logging.getLogger(__name__)
PAGE = "advies"
SEARCH_PAGE = "zoeken"
VIEW_OF_INTENT = {"advice": "advice", "problem": "problem", "fact": "passages"}
TOP_K = 10


def ask(docs) -> tuple[str, dict]:
    """The question and its filters (kept across page switches)."""
    short = {d.id: d.short for d in docs}
    query = st.text_input(
        "Vraag",
        key="advies_q",
        persist_state=state.KEEP,
        placeholder="Bijvoorbeeld: wat adviseren de bronnen over zij-instroom van leraren?",
    )
    with st.expander("Filters"):
        doc_ids = st.multiselect(
            "Document",
            [d.id for d in docs],
            format_func=lambda i: short.get(i, i),
            key="advies_doc",
            persist_state=state.KEEP,
            placeholder="Alle documenten",
        )
        publishers = st.multiselect(
            "Uitgever",
            sorted({d.publisher for d in docs if d.publisher}),
            key="advies_pub",
            persist_state=state.KEEP,
            placeholder="Alle uitgevers",
        )
        years = st.multiselect(
            "Jaar",
            sorted({d.year for d in docs if d.year}),
            key="advies_year",
            persist_state=state.KEEP,
            placeholder="Alle jaren",
        )
        who = st.selectbox(
            pc.ADDRESSEE_PICKER, [pc.ALL_ADDRESSEES, *labels()], key="advies_addressee", persist_state=state.KEEP
        )
    filters = dict(doc=doc_ids or None, publisher=publishers or None, year=years or None)
    if who and who != pc.ALL_ADDRESSEES:
        filters["addressee"] = who  # recommendations only: the passages view leaves it out
    return query.strip(), filters


def compute_answer(searcher, query: str, filters: dict, view: str) -> ans.Answer:
    from beleidsbank.index.advise import advise

    intent = view if view in ("advice", "problem") else None
    found = advise(searcher, query, top_k=TOP_K, intent=intent, visible=state.visible(), **filters)
    return ans.from_advise(found, query)


def choose_view(query: str, filters: dict) -> str:
    """The view switch; a new question sets it to the view its recognised intent asks for."""
    from beleidsbank.index.intent import recognise

    asked = (query, repr(filters))
    if st.session_state.get("advies_asked") != asked or "advies_view" not in st.session_state:
        st.session_state["advies_asked"] = asked
        st.session_state["advies_intent"] = recognise(query).intent
        st.session_state["advies_view"] = VIEW_OF_INTENT.get(st.session_state["advies_intent"], "advice")
    view = st.segmented_control(
        "Weergave",
        list(ANSWER_VIEW_LABELS),
        format_func=ANSWER_VIEW_LABELS.get,
        key="advies_view",
        persist_state=state.KEEP,
    )
    return view or VIEW_OF_INTENT.get(st.session_state["advies_intent"], "advice")


def per_source(answer: ans.Answer, docs: dict) -> None:
    """The answer per source: its statements with what they are linked to, one click to export."""
    short = {d: docs[d].short for d in docs}
    if not answer.entries:
        st.info(
            plain(nothing_found_in([short.get(d, d) for d in answer.sources_without] or ["alle bronnen"], answer.kind))
        )
        return
    if answer.sources_without:
        st.info(plain(nothing_found_in([short.get(d, d) for d in answer.sources_without], answer.kind)))
    for doc_id, entries in answer.per_source().items():
        doc = docs.get(doc_id)
        name = short.get(doc_id, doc_id)
        st.subheader(name + (f" — {doc.title}" if doc and doc.title != name else ""))
        for n, e in enumerate(entries, start=1):
            entry_card(e, n, short, answer.linked_kind, docs)


def entry_card(e: ans.Entry, n: int, short: dict, linked_kind: str, docs: dict) -> None:
    item = e.item
    mark = ""
    if e.group:
        others = [short.get(d, d) for d in e.group["sources"] if d != item.get("doc_id")]
        mark = widgets.group_mark(len(e.group["sources"]), item.get("kind") or "", others)
    linked = [dict(s, short=short.get(s.get("doc_id"), s.get("doc_id"))) for s in e.linked]
    key = item.get("id") or item.get("passage_id")
    with st.container(border=True):
        st.html(
            widgets.answer_entry_html(n, item, short.get(item["doc_id"], item["doc_id"]), linked, linked_kind, mark)
        )
        c1, c2 = st.columns([1, 1])
        what = "Met aanbevelingen" if linked_kind == "recommendation" else "Met knelpunten"
        c1.button(
            f"{what} aan exportlijst" if e.linked else "Aan exportlijst",
            key=f"adv-add-{key}",
            on_click=state.add_all_to_export,
            args=(ans.export_items(e, docs),),
        )
        if item.get("passage_id"):
            c2.button(
                "Toon pagina",
                key=f"adv-page-{key}",
                on_click=state.show_on_page,
                args=(item["doc_id"], item["passage_id"]),
            )


def _passage_filters(filters: dict) -> dict:
    return {k: v for k, v in filters.items() if k != "addressee"}


def passages(searcher, query: str, filters: dict) -> None:
    """The passages for a fact question (today's search, in short), and the way to the full search."""
    hits, took, _ = state.kept_result(
        "advies-passages",
        (state.index_version(searcher), query, repr(filters), state.visible()),
        lambda: searcher.search(query, k=TOP_K, visible=state.visible(), **_passage_filters(filters)),
    )
    st.caption(result_count(len(hits), took))
    for n, hit in enumerate(hits, start=1):
        with st.container(border=True):
            st.html(widgets.result_heading(n, hit_citation(hit), []) + f"<p>{widgets.passage_html(hit)}</p>")
            c1, c2 = st.columns(2)
            c1.button(
                "Toon pagina",
                key=f"advp-page-{hit.passage_id}",
                on_click=state.show_on_page,
                args=(hit.doc_id, hit.passage_id),
            )
            c2.button(
                "Aan exportlijst",
                key=f"advp-add-{hit.passage_id}",
                on_click=state.add_to_export,
                args=(state.hit_item(hit),),
            )
    st.button("Verder zoeken in Zoeken", on_click=to_search, args=(query,))


def to_search(query: str) -> None:
    """Button callback: the question in the Zoeken page's box, and that page opened."""
    st.session_state["zoek_q"] = query
    state.go_to(SEARCH_PAGE)


def asked_line(intent: str, language: str, n: int, took: float, kind: str, n_sources: int) -> str:
    what = "knelpunten" if kind == "problem" else "aanbevelingen"
    lang = f", {LANGUAGE_LABELS[language]}" if language in LANGUAGE_LABELS else ""
    return (
        f"Herkend als {INTENT_LABELS.get(intent, intent)}{lang} · {result_count(n, took, what)} uit {n_sources} bronnen"
    )


def main() -> None:
    st.header("Advies")
    try:
        searcher = state.get_searcher()
    except (NoIndexError, StoreError) as exc:
        st.warning(plain(no_index_app() if isinstance(exc, NoIndexError) else exc))
        return
    except state.MODEL_ERRORS as exc:
        st.error(model_error(exc))
        return
    docs = {d.id: d for d in searcher.store.documents(visible=state.visible())}
    query, filters = ask(list(docs.values()))
    if not query:
        st.caption(f"{len(docs)} documenten in de index. Stel een vraag; het antwoord geeft per bron het advies.")
        return
    view = choose_view(query, filters)
    try:
        if view == "passages":
            passages(searcher, query, filters)
            return
        with st.spinner("Antwoord zoeken…"):
            answer, took, _ = state.kept_result(
                f"{PAGE}-{view}",
                (state.index_version(searcher), query, repr(filters), state.visible()),
                lambda: compute_answer(searcher, query, filters, view),
            )
    except QueryError as exc:
        st.info(plain(exc))
        return
    except Exception as exc:  # an answer that fails must not show a traceback: say so, and where else to look
        log.exception("advice answer failed")
        st.error(plain(answer_failed(exc)))
        st.button("Zoek de passages in Zoeken", on_click=to_search, args=(query,))
        return
    intent = st.session_state.get("advies_intent", answer.intent)
    st.caption(asked_line(intent, answer.language, len(answer.entries), took, answer.kind, len(answer.sources)))
    per_source(answer, docs)


main()
