"""The app's review controls: a confirmed/rejected mark and "klopt" / "klopt niet" buttons next to
a linked problem and a statement's label, "relevant" / "niet relevant" under a search result
(index/store_reviews.py keeps the verdicts).

A verdict is written at once through its own write connection (the page's store is opened for
reading) with who = "app"; it acts at once (a rejected link leaves the list, a confirmed one comes
first) and every time links are rebuilt. A failure (read-only data dir, another writer) is shown
in Dutch on the next run and nothing is half-saved.
"""

from __future__ import annotations

import streamlit as st

from beleidsbank.index.evaluate import normalise
from beleidsbank.index.store import Store, StoreError
from beleidsbank.ui import state
from beleidsbank.ui.present import (
    RESULT_VERDICT_BUTTONS,
    REVIEW_LABELS,
    VERDICT_MARKS,
    hidden_rejected,
    not_allowed,
    plain,
    review_saved,
)

WHO = "app"  # who reviewed, without accounts; with accounts the user's name
CONTROL_BUTTONS = ("Klopt", "Klopt niet")
MESSAGE_KEY = "review_message"  # session key of the last save's outcome, shown on the next run


def _save(data_dir, kind: str, doc_id: str, text: str, verdict: str, **subject) -> None:
    """Button callback: record one verdict; the outcome goes to the session for `show_message`."""
    if not state.may("review"):
        st.session_state[MESSAGE_KEY] = ("error", not_allowed(state.viewer().role))
        return
    who = state.viewer().name or WHO
    try:
        store = Store.open(data_dir, write=True)
        try:
            with store.write():
                store.put_review(kind, doc_id, text, verdict, who, **subject)
        finally:
            store.close()
    except StoreError as exc:
        st.session_state[MESSAGE_KEY] = ("error", str(exc).replace(str(data_dir), "de datamap"))  # no server paths
        return
    state.audit("review", f"{kind} {doc_id}", f"{verdict}: {' '.join(text.split())[:120]}")
    st.session_state[MESSAGE_KEY] = ("success", review_saved(kind, verdict))


def show_message() -> None:
    """The outcome of the last verdict saved, once."""
    found = st.session_state.pop(MESSAGE_KEY, None)
    if found:
        level, text = found
        (st.error if level == "error" else st.success)(plain(text))


def _buttons(
    key: str, current: str | None, data_dir, kind: str, doc_id: str, text: str, labels=CONTROL_BUTTONS, **subject
) -> None:
    mark = VERDICT_MARKS.get(current or "", "")
    if not state.viewer().may("review"):  # a reader sees the verdict, not the buttons
        if mark:
            st.caption(mark)
        return
    c1, c2, c3 = st.columns([1, 1, 3])
    yes, no = labels
    c1.button(yes, key=f"{key}-ja", on_click=_save, args=(data_dir, kind, doc_id, text, "confirmed"), kwargs=subject)
    c2.button(no, key=f"{key}-nee", on_click=_save, args=(data_dir, kind, doc_id, text, "rejected"), kwargs=subject)
    if mark:
        c3.caption(mark)


def result_control(store: Store, query: str, hit, verdicts: dict) -> None:
    """Mark and buttons for a search result of `query` (`verdicts`: `store.result_verdicts(query)`):
    whether the passage answers the question, kept as training data for the reranker."""
    review = verdicts.get((hit.doc_id, normalise(hit.text)))
    _buttons(
        f"rvr-{hit.passage_id}",
        review.verdict if review else None,
        store.data_dir,
        "result",
        hit.doc_id,
        hit.text,
        labels=RESULT_VERDICT_BUTTONS,
        query=query,
    )


def link_control(store: Store, rec, problem) -> None:
    """Mark and buttons for the link rec -> problem."""
    review = store.link_verdicts(rec.id).get(problem.id)
    _buttons(
        f"rv-{rec.id}-{problem.id}",
        review.verdict if review else None,
        store.data_dir,
        "link",
        rec.doc_id,
        rec.text,
        other_doc=problem.doc_id,
        other_text=problem.text,
    )


def rejected_links(store: Store, rec) -> None:
    """A line saying how many links of `rec` a user rejected (the list no longer shows them)."""
    sees = state.viewer().sees  # a rejected link to a document the viewer may not see is not counted
    n = sum(r.verdict == "rejected" and sees(r.other_doc) for r in store.link_verdicts(rec.id).values())
    if n:
        st.caption(hidden_rejected(n))


def label_control(store: Store, statement) -> None:
    """Mark and buttons for a statement's label: "klopt niet" on a recommendation or problem
    makes it neither."""
    review = store.statement_verdicts([statement.id]).get(statement.id)
    current = statement.kind if statement.kind in ("recommendation", "problem") else "neither"
    st.caption(f"Label: {REVIEW_LABELS[current]}")
    key = f"rvl-{statement.id}"
    mark = VERDICT_MARKS.get(review.verdict, "") if review else ""
    if not state.viewer().may("review"):  # a reader sees the verdict, not the buttons
        if mark:
            st.caption(mark)
        return
    c1, c2, c3 = st.columns([1, 1, 3])
    args = (store.data_dir, "label", statement.doc_id, statement.text)
    c1.button("Label klopt", key=f"{key}-ja", on_click=_save, args=(*args, "confirmed"), kwargs={"label": current})
    if current != "neither":
        c2.button(
            "Label klopt niet", key=f"{key}-nee", on_click=_save, args=(*args, "rejected"), kwargs={"label": "neither"}
        )
    if mark:
        c3.caption(mark)
