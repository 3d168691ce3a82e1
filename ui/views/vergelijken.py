"""Bronnen vergelijken: a heatmap of each source's share of statements per theme (the counts on
hover), a theme picker, and for the picked theme the sources' statements side by side, the
agreement groups, the gaps and the differences; an addressee filter and Word/Excel downloads."""

from __future__ import annotations

import html

import streamlit as st

from beleidsbank.index import compare as comparing
from beleidsbank.index.addressees import labels
from beleidsbank.ui import export_compare, state, widgets
from beleidsbank.ui import present_compare as pc
from beleidsbank.ui.present import plain, theme_names

SHOWN = 5  # gaps and differences shown before "meer tonen"


def heatmap(result: dict, names: dict, short: dict[str, str]):
    """The theme x source chart: colour and label by share, the counts on hover."""
    import altair as alt
    import pandas as pd

    rows = []
    for th in result["themes"]:
        for d in result["documents"]:
            c = th["per_source"][d]
            label = names[th["id"]]
            rows.append(
                {
                    "thema": label,
                    "bron": short.get(d, d),
                    "aandeel": c["share"],
                    "tekst": pc.share(c["share"]),
                    "uitleg": pc.hover(label, short.get(d, d), c),
                }
            )
    frame = pd.DataFrame(rows)
    top = max(float(frame["aandeel"].max()), 1e-9)
    base = alt.Chart(frame, height=max(160, 30 * len(result["themes"]))).encode(
        x=alt.X(
            "bron:N",
            title=None,
            sort=None,
            axis=alt.Axis(labelAngle=-20, labelLimit=220, labelOverlap=False, orient="top", labelFontSize=12),
        ),
        y=alt.Y("thema:N", title=None, sort=None, axis=alt.Axis(labelLimit=360, labelFontSize=12)),
        tooltip=[alt.Tooltip("uitleg:N", title="Aantallen")],
    )
    return base.mark_rect().encode(
        color=alt.Color("aandeel:Q", title="Aandeel", scale=alt.Scale(scheme="blues"), legend=alt.Legend(format="%"))
    ) + base.mark_text(fontSize=12).encode(
        text="tekst:N", color=alt.condition(alt.datum.aandeel > top / 2, alt.value("white"), alt.value("black"))
    )


def _statement(item: dict, short: dict[str, str]) -> str:
    block = widgets.statement_html(
        item["kind"], short.get(item["doc_id"], item["doc_id"]), item["page_label"], item["section"], item["text"]
    )
    who = pc.addressed(item)
    return block + (f"<p><small>{html.escape(who)}</small></p>" if who else "")


def side_by_side(items: list[dict], short: dict[str, str], docs: list[str] | None = None) -> None:
    """Statements in a column per source (every source of `docs`, else those that have one)."""
    docs = docs or list(dict.fromkeys(i["doc_id"] for i in items))
    for col, d in zip(st.columns(len(docs)), docs):
        col.html(widgets.column_heading(short.get(d, d)))
        mine = [i for i in items if i["doc_id"] == d]
        if not mine:
            col.caption(pc.NOTHING_ON_THEME)
        for item in mine:
            col.html(_statement(item, short))


def _in_batches(entries: list, show) -> None:
    for entry in entries[:SHOWN]:
        show(entry)
    if len(entries) > SHOWN:
        with st.expander(pc.more(len(entries) - SHOWN)):
            for entry in entries[SHOWN:]:
                show(entry)


def theme_detail(th: dict, result: dict, short: dict[str, str]) -> None:
    """The picked theme: statements per source, agreement groups, gaps, differences."""
    if th.get("description"):
        st.caption(plain(th["description"]))
    st.subheader(pc.PARTS["statements"])
    side_by_side([i for items in th["statements"].values() for i in items], short, result["documents"])
    st.subheader(f"{pc.PARTS['agreements']} ({len(th['agreements'])})")
    if not th["agreements"]:
        st.caption(pc.NO_AGREEMENT)
    for a in th["agreements"]:
        with st.container(border=True):
            st.markdown(f"**{plain(pc.agreement_heading(a['id'], len(a['sources'])))}**")
            side_by_side(a["statements"], short)
    st.subheader(f"{pc.PARTS['gaps']} ({len(th['gaps'])})")

    def gap(g: dict) -> None:
        if g["kind"] == "silent_source":
            st.markdown(plain(pc.silent(short.get(g["doc_id"], g["doc_id"]), [short.get(o, o) for o in g["others"]])))
        else:
            st.markdown(plain(pc.unaddressed(short.get(g["doc_id"], g["doc_id"]))))
            st.html(_statement(g["statements"][0], short))

    _in_batches(th["gaps"], gap)
    st.subheader(f"{pc.PARTS['differences']} ({len(th['differences'])})")

    def difference(x: dict) -> None:
        with st.container(border=True):
            st.markdown(f"**{plain(pc.difference_heading(x['kind'], len(x['sources']), x['cues']))}**")
            st.html(_statement(x["problem"], short))
            side_by_side(x["statements"], short)

    _in_batches(th["differences"], difference)


def _comparison(store, addressee: str | None) -> dict:
    """The comparison for this viewer and addressee, kept for the page until the index changes;
    the recommendations not yet embedded on their own are embedded first (once)."""
    visible = state.visible()
    with store.read():
        generation = store.generation()

    def compute() -> dict:
        encode = None
        n = comparing.to_embed(store, visible)
        if n:
            try:
                encode = state.get_searcher().embedder.encode_statements
            except Exception as exc:  # no model: the comparison without agreement groups
                st.warning(plain(f"{pc.ungrouped_note(n)} ({type(exc).__name__})"))
        with st.spinner(pc.embedding_note(n) if n and encode else pc.COMPARING):
            found = comparing.comparison(
                store, top=3, visible=visible, addressee=addressee, params=state.settings().advise, encode=encode
            )
            return found.to_json()

    result, _, _ = state.kept_result("vergelijken", (generation, visible, addressee), compute)
    return result


def downloads(result: dict) -> None:
    key = ("export", result.get("addressee"), len(result["themes"]))
    word, excel = st.columns(2)
    data = st.session_state.get("vergelijken:export")
    if data is None or data[0] != key:
        data = (key, export_compare.to_docx(result), export_compare.to_xlsx(result))
        st.session_state["vergelijken:export"] = data
    word.download_button(pc.DOWNLOAD_WORD, data[1], file_name="vergelijking.docx")
    excel.download_button(pc.DOWNLOAD_EXCEL, data[2], file_name="vergelijking.xlsx")


def main() -> None:
    st.header("Bronnen vergelijken")
    store = state.open_store()
    if store is None:
        return
    try:
        who = st.selectbox(pc.ADDRESSEE_PICKER, [pc.ALL_ADDRESSEES, *labels()])
        result = _comparison(store, None if who == pc.ALL_ADDRESSEES else who)
        if not result["themes"]:
            st.info(pc.NO_THEMES)
            return
        short = {s["id"]: s.get("short") or s["id"] for s in result["sources"]}
        names = theme_names((th["id"], pc.theme_label(th["label"], th.get("parent"))) for th in result["themes"])
        st.caption(plain(pc.heatmap_caption(result.get("addressee"))))
        st.altair_chart(heatmap(result, names, short), width="stretch")
        if result.get("ungrouped"):
            st.caption(plain(pc.ungrouped_note(result["ungrouped"])))
        downloads(result)
        picked = st.selectbox(pc.THEME_PICKER, [th["id"] for th in result["themes"]], format_func=names.get)
        theme_detail(next(th for th in result["themes"] if th["id"] == picked), result, short)
    finally:
        store.close()


main()
