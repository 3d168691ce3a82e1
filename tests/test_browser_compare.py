"""The comparison page in a real browser (Debian's chromium via Playwright, the app as a real
server over the shipped corpus): open Bronnen vergelijken, pick a theme, and find the sources'
statements side by side and an agreement group with its cited statements. Screenshot to
$BELEIDSBANK_SCREENSHOTS (default tests/artifacts/)."""

from __future__ import annotations

import pytest

from tests.test_browser import SHOTS, TIMEOUT_MS, app_url, browser  # noqa: F401  (fixtures)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def comparison(corpus_data, embedder) -> dict:
    """The comparison of the shipped corpus, its recommendations' own embeddings kept beside the
    index as a first comparison keeps them (the page then answers at once)."""
    from beleidsbank.index import compare as comparing
    from beleidsbank.index.store import Store

    store = Store.open(corpus_data)
    try:
        return comparing.comparison(store, top=3, encode=embedder.encode_statements).to_json()
    finally:
        store.close()


def test_compare_page_theme_side_by_side_and_agreement(comparison, app_url, browser):  # noqa: F811
    from playwright.sync_api import expect

    from beleidsbank.ui import present_compare as pc
    from beleidsbank.ui.present import theme_names

    theme = next(th for th in comparison["themes"] if th["agreements"] and th["id"] is not None)
    group = theme["agreements"][0]
    short = {s["id"]: s["short"] for s in comparison["sources"]}
    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(viewport={"width": 1440, "height": 1100}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(app_url)
    page.get_by_test_id("stSidebar").get_by_text("Bronnen vergelijken").click()
    chart = page.locator("[data-testid='stVegaLiteChart'], .vega-embed").first
    expect(chart).to_be_visible()
    page.wait_for_timeout(1500)  # let vega finish drawing
    SHOTS.mkdir(parents=True, exist_ok=True)
    chart.screenshot(path=str(SHOTS / "vergelijken-heatmap.png"))

    picker = page.get_by_label("Thema bekijken")
    picker.click()
    names = theme_names((th["id"], pc.theme_label(th["label"], th.get("parent"))) for th in comparison["themes"])
    page.get_by_role("option", name=names[theme["id"]], exact=True).click()
    expect(page.get_by_role("heading", name=pc.PARTS["statements"])).to_be_visible()

    # the sources side by side: a column heading per source, each source's strongest statement under it
    columns = page.locator("[data-testid='stHorizontalBlock']").filter(has_text=short[comparison["documents"][0]])
    for d in comparison["documents"]:
        expect(columns.first.get_by_text(short[d], exact=True).first).to_be_visible()
    for items in theme["statements"].values():
        if items:
            expect(page.get_by_text(items[0]["text"], exact=False).first).to_be_attached()

    # an agreement group: its heading and each of its cited statements
    heading = pc.agreement_heading(group["id"], len(group["sources"]))
    box = page.locator("[data-testid='stVerticalBlock']").filter(has_text=heading)
    for item in group["statements"]:
        box = box.filter(has_text=item["text"][:60])
    box = box.last  # the innermost block holding the heading and every statement: the group's own box
    expect(box).to_be_visible()
    for item in group["statements"]:
        expect(box.get_by_text(item["text"][:60], exact=False).first).to_be_visible()
        expect(box.get_by_text(pc.cite(item, short), exact=False).first).to_be_visible()
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "vergelijken-thema.png"), full_page=True)
    context.close()
