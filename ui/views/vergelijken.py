"""Bronnen vergelijken: a heatmap of statements per theme and source, and one theme's strongest
statements per source side by side."""

from __future__ import annotations

import streamlit as st

from beleidsbank.index import relations
from beleidsbank.ui import state, widgets
from beleidsbank.ui.present import theme_names

COUNTS = ["aanbevelingen", "problemen", "beide"]


def count(cell, kind: str) -> int:
    return {"aanbevelingen": cell.recommendations, "problemen": cell.problems}.get(
        kind, cell.recommendations + cell.problems
    )


def heatmap(result, names: dict[int, str], short: dict[str, str], kind: str):
    """The theme x source chart: a coloured cell with its count per theme and source."""
    import altair as alt
    import pandas as pd

    rows = [
        {"thema": names[row.theme.id], "bron": short.get(d, d), "aantal": count(row.cells[d], kind)}
        for row in result.themes
        for d in result.documents
    ]
    frame = pd.DataFrame(rows)
    top = max(frame["aantal"].max(), 1)
    base = alt.Chart(frame, height=max(160, 30 * len(result.themes))).encode(
        x=alt.X(
            "bron:N",
            title=None,
            sort=None,
            axis=alt.Axis(labelAngle=-20, labelLimit=220, labelOverlap=False, orient="top", labelFontSize=12),
        ),
        y=alt.Y("thema:N", title=None, sort=None, axis=alt.Axis(labelLimit=360, labelFontSize=12)),
    )
    return base.mark_rect().encode(
        color=alt.Color("aantal:Q", title="Aantal", scale=alt.Scale(scheme="blues")),
        tooltip=["thema", "bron", "aantal"],
    ) + base.mark_text(fontSize=13).encode(
        text="aantal:Q", color=alt.condition(alt.datum.aantal > top / 2, alt.value("white"), alt.value("black"))
    )


def side_by_side(result, names: dict[int, str], short: dict[str, str]) -> None:
    """One theme's strongest statements, a column per source."""
    theme = st.selectbox("Thema bekijken", [row.theme.id for row in result.themes], format_func=names.get)
    row = next(r for r in result.themes if r.theme.id == theme)
    cols = st.columns(len(result.documents))
    for col, d in zip(cols, result.documents):
        col.html(widgets.column_heading(short.get(d, d)))
        if not row.cells[d].top:
            col.caption("Niets over dit thema.")
        for s in row.cells[d].top:
            col.html(widgets.statement_html(s.kind, short.get(d, d), s.page_label, s.section, s.text))


def main() -> None:
    st.header("Bronnen vergelijken")
    store = state.open_store()
    if store is None:
        return
    try:
        result = relations.compare(store, top=3)
        if not result.themes:
            st.info("Nog geen thema's: de index bevat geen aanbevelingen of problemen.")
            return
        short = {d.id: d.short for d in store.documents()}
        names = theme_names((row.theme.id, row.theme.label) for row in result.themes)
        kind = st.radio("Tel", COUNTS, horizontal=True)
        chart = heatmap(result, names, short, kind)
        st.caption(
            f"Aantal {'aanbevelingen en problemen' if kind == 'beide' else kind} per thema (rijen) en "
            "bron (kolommen); hoe donkerder het vak, hoe meer. Kies hieronder een thema om de uitspraken "
            "per bron naast elkaar te zien."
        )
        st.altair_chart(chart, width="stretch")
        side_by_side(result, names, short)
    finally:
        store.close()


main()
