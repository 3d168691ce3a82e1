"""End to end in a real browser: Debian's chromium driven by Playwright, the app as a real server.

Starts `beleidsbank app` on a free port over the shipped corpus, searches,
adds two results to the export list, downloads the CSV and the Word file and
checks what is in them, reloads the page (the list must survive), opens the
page view of a result, and saves screenshots of the results page, the
comparison heatmap and the page view to
$BELEIDSBANK_SCREENSHOTS (default tests/artifacts/, ignored by git).

`make setup` installs chromium; outside CI the test skips when it is missing.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
REPO = Path(__file__).resolve().parent.parent
SHOTS = Path(os.environ.get("BELEIDSBANK_SCREENSHOTS") or REPO / "tests" / "artifacts")
TIMEOUT_MS = 180_000  # the first search loads the model on the server

pytestmark = pytest.mark.slow

if not os.environ.get("CI"):
    if not CHROMIUM.exists():
        pytest.skip("chromium is not installed (make setup installs it)", allow_module_level=True)
    pytest.importorskip("playwright.sync_api")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_app(data: Path, *args: str) -> Iterator[str]:
    """`beleidsbank app` (with `args`) on a free port over the data dir `data`, as a real server,
    until the block ends; yields its URL."""
    port = free_port()
    exe = Path(sys.executable).parent / "beleidsbank"
    env = dict(os.environ, BELEIDSBANK_DATA=str(data))
    log = open(data / "app-server.log", "wb")
    proc = subprocess.Popen(
        [str(exe), "app", *args, "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 120
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.time() > deadline:
                log.flush()
                pytest.fail("the app did not start:\n" + (data / "app-server.log").read_text()[-3000:])
            time.sleep(0.5)
        yield url
    finally:
        os.killpg(proc.pid, signal.SIGTERM)  # the server and its children, all started here
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        log.close()


@contextlib.contextmanager
def launched_chromium():
    """Debian's chromium, headless, driven by Playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        )
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="module")
def app_url(corpus_data):
    with running_app(corpus_data) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with launched_chromium() as b:
        yield b


def test_search_export_download_and_screenshots(app_url, browser, tmp_path):
    from docx import Document
    from playwright.sync_api import expect

    SHOTS.mkdir(parents=True, exist_ok=True)
    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(accept_downloads=True, viewport={"width": 1440, "height": 1100}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(app_url)
    sidebar = page.get_by_test_id("stSidebar")

    # search (the first page is Advies; Zoeken is the passages)
    sidebar.get_by_text("Zoeken", exact=True).click()
    box = page.get_by_label("Zoekvraag")
    box.fill("tekort aan technici en zij-instroom van leraren")
    box.press("Enter")
    add = page.get_by_role("button", name="Aan exportlijst")
    expect(add.first).to_be_visible()
    expect(page.get_by_text(re.compile(r"^\d+ resultaten \(\d+,\d\d s\)$"))).to_be_visible()
    captions = page.get_by_text(re.compile(r"^score \d\.\d{3} · passage "))
    expect(captions.first).to_be_visible()
    ids = [re.search(r"passage (\S+)$", captions.nth(i).inner_text().strip()).group(1) for i in range(2)]
    citations = [page.locator("[data-testid='stHtml'] p b").nth(i).inner_text() for i in range(2)]
    assert all(re.match(r"\d\. .+ \((\d{4}|z\.j\.)\), .+, p\. ", c) for c in citations), citations
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "zoekresultaten.png"))

    # two results onto the export list
    add.nth(0).click()
    expect(sidebar.get_by_text("Exportlijst (1)")).to_be_visible()
    add.nth(1).click()
    expect(sidebar.get_by_text("Exportlijst (2)")).to_be_visible()
    assert "lijst=" in page.url

    # a reload keeps the list (same URL, new session)
    page.reload()
    expect(page.get_by_label("Zoekvraag")).to_be_visible()
    expect(sidebar.get_by_text("Exportlijst (2)")).to_be_visible()

    sidebar.get_by_text("Exportlijst (2)").click()
    expect(page.get_by_role("heading", name="Exportlijst")).to_be_visible()

    with page.expect_download() as dl:
        page.get_by_role("button", name="CSV (Excel)").click()
    csv_path = tmp_path / "export.csv"
    dl.value.save_as(csv_path)
    data = csv_path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: a Dutch Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Uitgever", "Jaar", "Titel", "Pagina", "Sectie", "Soort", "Citaat", "Document", "Id"]
    assert [r[8] for r in rows[1:]] == ids
    for r, cite in zip(rows[1:], citations):
        assert r[0] and r[0] in cite and r[2] and r[3] and len(r[6]) > 40

    with page.expect_download() as dl:
        page.get_by_role("button", name="Word (.docx)").click()
    docx_path = tmp_path / "export.docx"
    dl.value.save_as(docx_path)
    paras = [p.text for p in Document(str(docx_path)).paragraphs]
    assert paras[0] == "Exportlijst beleidsbank" and paras[1].startswith("2 citaten")
    quotes = [p for p in paras if p.startswith("\u201c")]
    assert len(quotes) == 2
    for q, r in zip(quotes, rows[1:]):
        assert q.strip("\u201c\u201d") == " ".join(r[6].split())
    cites = paras[4::3]
    assert len(cites) == 2 and all(r[0] in c and f"p. {r[3]}" in c for c, r in zip(cites, rows[1:]))

    # the comparison heatmap
    sidebar.get_by_text("Bronnen vergelijken").click()
    chart = page.locator("[data-testid='stVegaLiteChart'], .vega-embed").first
    expect(chart).to_be_visible()
    page.wait_for_timeout(1500)  # let vega finish drawing
    page.screenshot(path=str(SHOTS / "bronnen-vergelijken.png"))
    chart.screenshot(path=str(SHOTS / "heatmap.png"))
    # the page view of the first result, reached from its card
    sidebar.get_by_text("Zoeken", exact=True).click()
    box = page.get_by_label("Zoekvraag")
    box.fill("tekort aan technici en zij-instroom van leraren")
    box.press("Enter")
    page.get_by_role("button", name="Toon pagina").first.click()
    expect(page.get_by_role("heading", name="Paginaweergave")).to_be_visible()
    image = page.locator("[data-testid='stImage'] img").first
    expect(image).to_be_visible()
    expect(page.get_by_text(re.compile(r", pagina \d+ van \d+ \(paginanummer "))).to_be_visible()
    image.scroll_into_view_if_needed()
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "paginaweergave.png"))
    for name in ("zoekresultaten.png", "bronnen-vergelijken.png", "heatmap.png", "paginaweergave.png"):
        assert (SHOTS / name).stat().st_size > 10_000
    context.close()


# a question about one region: the national sources give no advice on it
ADVICE_QUESTION = "Wat adviseren de bronnen over de regionale samenwerking?"


def settled(page) -> None:
    """Wait until the app's run is over (its running indicator gone)."""
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidgetRunningIcon\"]')")
    page.wait_for_timeout(300)


def main_scroll(page) -> float:
    return page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return Math.max(m ? m.scrollTop : 0, document.scrollingElement.scrollTop); }"
    )


def test_advice_answer_export_page_view_and_back(app_url, browser):
    """The first page answers per source; a grouped recommendation goes onto the export list; the
    page view and back show the same answer at the same place; Streamlit's own texts are Dutch."""
    from playwright.sync_api import expect

    SHOTS.mkdir(parents=True, exist_ok=True)
    expect.set_options(timeout=TIMEOUT_MS)
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(app_url)
    sidebar = page.get_by_test_id("stSidebar")
    expect(page.get_by_role("heading", name="Advies", exact=True)).to_be_visible()

    box = page.get_by_label("Vraag")
    box.fill(ADVICE_QUESTION)
    box.press("Enter")
    expect(page.get_by_text(re.compile(r"^Herkend als adviesvraag"))).to_be_visible()
    sources = page.locator("[data-testid='stHeading'] h3")
    expect(sources.first).to_be_visible()
    settled(page)
    headings = sources.all_inner_texts()
    assert len(headings) >= 2, headings  # the answer per source
    expect(page.get_by_text(re.compile(r"^Geen advies hierover gevonden in: .+\.$"))).to_be_visible()
    page.wait_for_timeout(500)
    page.screenshot(path=str(SHOTS / "advies.png"), full_page=True)

    # a recommendation that several sources give, onto the export list with its problems
    cards = page.get_by_test_id("stVerticalBlock").filter(has_text=re.compile(r"zelfde advies in \d bronnen"))
    card = cards.last
    card.get_by_role("button", name=re.compile(r"aan exportlijst$")).first.click()
    expect(sidebar.get_by_text(re.compile(r"^Exportlijst \(\d+\)$"))).to_be_visible()

    # scroll to the last card, open its page view, and come back
    last = page.get_by_role("button", name="Toon pagina").last
    last.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    scrolled = main_scroll(page)
    assert scrolled > 100
    last.click()
    expect(page.get_by_role("heading", name="Paginaweergave")).to_be_visible()
    page.get_by_role("button", name="← Terug naar Advies").click()
    expect(page.get_by_role("heading", name="Advies", exact=True)).to_be_visible()
    expect(page.get_by_label("Vraag")).to_have_value(ADVICE_QUESTION)
    expect(sources.first).to_be_visible()
    settled(page)
    assert sources.all_inner_texts() == headings
    page.wait_for_timeout(1500)
    assert abs(main_scroll(page) - scrolled) < 50  # the same place on the page

    # Streamlit's own labels in Dutch
    sidebar.get_by_text("Documenten toevoegen").click()
    uploader = page.get_by_test_id("stFileUploader").first
    expect(uploader.get_by_text(re.compile(r"^\S+ per bestand"))).to_be_visible()
    expect(uploader.get_by_role("button", name="Kies bestand")).to_be_visible()
    assert uploader.get_by_text(re.compile(r"Upload|Drag and drop|per file")).count() == 0
    context.close()
