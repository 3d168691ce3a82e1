"""The passage filters of the search pages (document, publisher, year, kind of statement).

Zoeken and Alle vermeldingen filter alike; each page keeps its own choices (its own widget keys,
kept across page switches).
"""

from __future__ import annotations

import streamlit as st

from beleidsbank.ui import state
from beleidsbank.ui.present import KIND_LABELS


def passage_filters(docs, prefix: str) -> dict:
    """The four filter widgets (call inside the page's expander): the chosen values as search
    filters, None where nothing is chosen."""
    short = {d.id: d.short for d in docs}
    doc_ids = st.multiselect(
        "Document",
        [d.id for d in docs],
        format_func=lambda i: short.get(i, i),
        key=f"{prefix}_doc",
        persist_state=state.KEEP,
        placeholder="Alle documenten",
    )
    publishers = st.multiselect(
        "Uitgever",
        sorted({d.publisher for d in docs if d.publisher}),
        key=f"{prefix}_pub",
        persist_state=state.KEEP,
        placeholder="Alle uitgevers",
    )
    years = st.multiselect(
        "Jaar",
        sorted({d.year for d in docs if d.year}),
        key=f"{prefix}_year",
        persist_state=state.KEEP,
        placeholder="Alle jaren",
    )
    kinds = st.multiselect(
        "Soort uitspraak",
        list(KIND_LABELS),
        format_func=KIND_LABELS.get,
        help="Alleen passages met een aanbeveling of een probleem.",
        key=f"{prefix}_kind",
        persist_state=state.KEEP,
        placeholder="Alle passages",
    )
    return dict(doc=doc_ids or None, publisher=publishers or None, year=years or None, kind=kinds or None)
