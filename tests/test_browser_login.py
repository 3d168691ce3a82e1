"""The app's login in a real browser (issue 18): Debian's chromium driven by Playwright, the app as a
real server bound to every address, over a copy of the shipped corpus with two accounts.

One document (the corpus's smallest) is in a collection open to editors only. The test checks that
the page asks for a login, refuses a wrong password in Dutch, lets the right one in, keeps the
login across a reload (the session cookie), shows a reader no result and no Documenten entry of
the closed document while an editor sees it, and that a list the editor shares with the reader is
visible to the reader (read only, without the item of the closed document).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.test_app_login import PASSWORD, add_accounts
from tests.test_browser import SHOTS, TIMEOUT_MS, launched_chromium, running_app, settled

pytestmark = pytest.mark.slow


def closed_document(data: Path) -> tuple[str, str, str, str]:
    """(id, short title, title, a question made of its own words) of the corpus's smallest document:
    with fewer passages than a page of results, its own words also find other documents."""
    from beleidsbank.index.store import Store

    store = Store.open(data)
    try:
        counts = store.passage_counts()
        doc = min(store.documents(), key=lambda d: counts.get(d.id, 0))
        longest = max(store.document_passages(doc.id), key=lambda p: len(p.text))
    finally:
        store.close()
    assert counts[doc.id] < 10
    return doc.id, doc.short, doc.title, " ".join(longest.text.split()[:14])


@pytest.fixture(scope="module")
def team_app(corpus_data, tmp_path_factory):
    """The app on every address over a copy of the corpus data with a reader and an editor."""
    data = tmp_path_factory.mktemp("team") / "data"
    shutil.copytree(corpus_data, data, ignore=shutil.ignore_patterns("exportlijsten", "*.log"))
    closed = closed_document(data)
    add_accounts(data, hide=closed[0])
    with running_app(data, "--host", "0.0.0.0") as url:
        yield url, closed


@pytest.fixture(scope="module")
def chromium():
    with launched_chromium() as b:
        yield b


def log_in(chromium, url: str, name: str, password: str = PASSWORD, wrong_first: bool = False):
    from playwright.sync_api import expect

    context = chromium.new_context(viewport={"width": 1440, "height": 1000}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    expect(page.get_by_role("heading", name="Inloggen")).to_be_visible()
    expect(page.get_by_test_id("stSidebarNav")).to_have_count(0)  # no page before a login
    if wrong_first:
        page.get_by_label("Naam").fill(name)
        page.get_by_label("Wachtwoord").fill(password + "-fout")
        page.get_by_role("button", name="Inloggen").click()
        expect(page.get_by_text("Naam of wachtwoord onjuist.")).to_be_visible()
    page.get_by_label("Naam").fill(name)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("heading", name="Advies", exact=True)).to_be_visible()
    return context, page


def search(page, question: str) -> list[str]:
    """The citations of the results of a question on Zoeken."""
    from playwright.sync_api import expect

    page.get_by_test_id("stSidebar").get_by_text("Zoeken", exact=True).click()
    box = page.get_by_label("Zoekvraag")
    box.fill(question)
    box.press("Enter")
    count = page.get_by_text(re.compile(r"^\d+ resultaten \(\d+,\d\d s\)$"))
    expect(count).to_be_visible()
    citations = page.locator("[data-testid='stHtml'] p b")
    expect(citations).to_have_count(int(count.inner_text().split()[0]))  # every card drawn
    return citations.all_inner_texts()


def test_login_closed_collection_and_shared_list(team_app, chromium):
    from playwright.sync_api import expect

    expect.set_options(timeout=TIMEOUT_MS)
    url, (closed_id, closed_short, closed_title, question) = team_app

    # the editor sees the closed document, and shares a list with the reader
    context, page = log_in(chromium, url, "redacteur", wrong_first=True)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Ingelogd als redacteur (redacteur)")).to_be_visible()
    expect(sidebar.get_by_text("Documenten toevoegen")).to_be_visible()
    citations = search(page, question)
    closed = [i for i, c in enumerate(citations) if closed_short in c]
    shown = [i for i, c in enumerate(citations) if closed_short not in c]
    assert closed and shown, citations
    add = page.get_by_role("button", name="Aan exportlijst")
    add.nth(closed[0]).click()
    expect(sidebar.get_by_text("Exportlijst (1)")).to_be_visible()
    add.nth(shown[0]).click()
    expect(sidebar.get_by_text("Exportlijst (2)")).to_be_visible()
    sidebar.get_by_text("Exportlijst (2)").click()
    settled(page)  # a click while the page still runs can be lost
    page.get_by_text("Delen met", exact=True).click()
    expect(page.get_by_role("combobox", name="Gebruiker")).to_have_value("lezer")
    settled(page)
    page.get_by_role("button", name="Delen", exact=True).click()
    expect(page.get_by_text("lezer: alleen lezen")).to_be_visible()
    context.close()

    # the reader: no page to add, no trace of the closed document, the shared list
    context, page = log_in(chromium, url, "lezer")
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Ingelogd als lezer (lezer)")).to_be_visible()
    expect(sidebar.get_by_text("Documenten toevoegen")).to_have_count(0)
    citations = search(page, question)
    assert citations and not [c for c in citations if closed_short in c], citations

    page.reload()  # the session cookie keeps the login
    expect(page.get_by_label("Zoekvraag")).to_be_visible()
    expect(page.get_by_role("heading", name="Inloggen")).to_have_count(0)

    sidebar.get_by_text("Documenten", exact=True).click()
    expect(page.get_by_role("heading", name="Paginaweergave")).to_be_visible()
    page.get_by_test_id("stSelectbox").filter(has_text="Document").first.click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    names = options.all_inner_texts()
    assert len(names) >= 2 and not [n for n in names if closed_short in n or closed_id in n], names
    page.keyboard.press("Escape")

    sidebar.get_by_text("Exportlijst", exact=True).click()
    expect(page.get_by_role("combobox", name="Lijst")).to_have_value("Lijst van redacteur (1 item, alleen lezen)")
    expect(page.get_by_text(re.compile("gedeeld om te lezen"))).to_be_visible()
    items = page.locator("[data-testid='stHtml']").all_inner_texts()
    assert items and not [t for t in items if closed_title in t], items
    expect(page.get_by_role("button", name="Verwijderen")).to_have_count(0)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "gedeelde-lijst.png"))
    context.close()
