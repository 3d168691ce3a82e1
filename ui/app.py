"""beleidsbank web app (Streamlit). Start with `beleidsbank app` or `make run`.

This is the entry script: page settings, the navigation in the sidebar, and the jump that a
button on one page asks for. Each page is a script of its own under views/. (Not pages/:
Streamlit takes a pages/ folder beside the entry script for its older multipage layout, which
runs a page without this script.) The first page is Advies: what the sources advise on a
question. What the pages share lives in state.py (settings, cached resources, the export list,
the results kept per page), the HTML they show in widgets.py, every Dutch label and citation in
present.py, and chrome.py adds Dutch for Streamlit's own few English labels and keeps the scroll
position per page. Widgets keep their value across page switches (persist_state). All labels
are Dutch. Text from documents is always shown as text (escaped), never as Markdown or HTML.
Before any page runs, login.py decides who is reading (asking for a login when accounts exist and
the app is reachable from other computers); a page a viewer's role may not use is not offered.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from beleidsbank.ui import chrome, login, state

VIEWS = Path(__file__).resolve().parent / "views"
# (file under views/, title in the sidebar); the first is the start page
PAGE_FILES = (
    ("advies.py", "Advies"),
    ("zoeken.py", "Zoeken"),
    ("aanbevelingen.py", "Aanbevelingen"),
    ("vergelijken.py", "Bronnen vergelijken"),
    ("documenten.py", "Documenten"),
    ("toevoegen.py", "Documenten toevoegen"),
    ("exportlijst.py", "Exportlijst"),
)
NEEDS = {"toevoegen.py": "add"}  # a page only offered to a viewer whose role may do this


def pages(viewer) -> list:
    """The pages this viewer may use, the export list's title with its length once it holds anything."""
    n = len(state.export_items())
    out = []
    for i, (name, title) in enumerate(PAGE_FILES):
        if name in NEEDS and not viewer.may(NEEDS[name]):
            continue
        if name == "exportlijst.py" and n:
            title = f"{title} ({n})"
        out.append(st.Page(VIEWS / name, title=title, default=i == 0))
    return out


def path_of(page) -> str:
    """A page's url path; the start page (whose url path is the root, "") by its file's name."""
    return page.url_path or Path(PAGE_FILES[0][0]).stem


def main() -> None:
    st.set_page_config(page_title="beleidsbank", layout="wide")
    viewer = login.gate()
    all_pages = pages(viewer)
    current = st.navigation(all_pages)
    login.account_box(viewer)
    state.keep_list_in_url()
    jump = state.pending_jump()
    if jump:
        st.switch_page(next(p for p in all_pages if path_of(p) == jump))
    chrome.inject()
    back = state.visiting(path_of(current))
    st.title("beleidsbank")
    if back:
        title = next((p.title for p in all_pages if path_of(p) == back), back)
        st.button(f"← Terug naar {title}", key="back", on_click=state.go_to, args=(back,))
    current.run()


main()
