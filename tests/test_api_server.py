"""The REST API over real HTTP: `beleidsbank serve` in a child process on a free port, asked with
httpx. Its answers are the CLI's --json answers (both built by beleidsbank/answers.py); errors
are JSON with a Dutch message; tokens, roles, the rate limit and the size limit hold.

Most tests run on a store of generated PDFs ingested with the hash embedder (no model: the
lexical search, lists, find, export and reviews need none); the few marked `model` run on a copy
of the shipped corpus (hybrid search, advice, an upload that is ingested).
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from beleidsbank.cli_common import MAX_QUERY_CHARS
from tests import pdf_factory as f
from tests.page_quality_fixtures import FakeEmbedder

CLI = [sys.executable, "-m", "beleidsbank.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`beleidsbank serve` on `data` in a child process; `url`, `get`, `post`; `stop()`."""

    def __init__(self, data: Path, log: Path, **env: str):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        environ = {**os.environ, "BELEIDSBANK_API_RATE": "0", **env}
        cmd = CLI + ["serve", "--data-dir", str(data), "--port", str(self.port)]
        with open(log, "wb") as out:
            self.proc = subprocess.Popen(cmd, env=environ, stdout=out, stderr=subprocess.STDOUT)
        self.client = httpx.Client(base_url=self.url, timeout=900)  # an upload is ingested before the answer
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert self.proc.poll() is None, log.read_text()
            try:
                if self.client.get("/openapi.json").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.3)
        raise AssertionError("de server startte niet: " + log.read_text())

    def get(self, path: str, **kw) -> httpx.Response:
        return self.client.get(path, **kw)

    def post(self, path: str, **kw) -> httpx.Response:
        return self.client.post(path, **kw)

    def stop(self) -> None:
        self.client.close()
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def cli_json(data: Path, *args: str):
    out = subprocess.run(CLI + [*args, "--json", "--data-dir", str(data)], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def assert_error(r: httpx.Response, status: int) -> dict:
    """A JSON error of `status` with a Dutch message and no trace of the server's code."""
    assert r.status_code == status, (r.status_code, r.text[:300])
    body = r.json()
    assert set(body) == {"fout", "code"} and body["code"] == status and body["fout"], body
    assert "Traceback" not in r.text and ".py" not in r.text, r.text
    return body


def all_items(server: Server, path: str, limit: int = 1000, **params) -> list:
    """Every item of a list answer, page by page; the pages' totals agree."""
    items, offset = [], 0
    while True:
        page = server.get(path, params=dict(params, offset=offset, limit=limit)).json()
        items += page["items"]
        offset += limit
        if offset >= page["total"]:
            assert len(items) == page["total"]
            return items


@pytest.fixture(scope="module")
def small_data(tmp_path_factory) -> Path:
    """Three generated reports ingested with the hash embedder (no model)."""
    from beleidsbank.ingest.pipeline import ingest

    root = tmp_path_factory.mktemp("api-klein")
    pdfs = root / "pdfs"
    pdfs.mkdir()
    for i in range(3):
        f.running_header_pdf(pdfs / f"rapport-{i}.pdf", pages=3 + i)
    report = ingest([pdfs], root / "data", embedder=FakeEmbedder())
    assert len(report.added) == 3, report
    return root / "data"


@pytest.fixture(scope="module")
def server(small_data, tmp_path_factory):
    s = Server(small_data, tmp_path_factory.mktemp("api-log") / "serve.log")
    yield s
    s.stop()


def test_the_lists_and_find_are_the_clis_json(server, small_data):
    docs = cli_json(small_data, "documents")
    assert server.get("/api/documents").json() == {"total": 3, "offset": 0, "limit": 100, "items": docs}
    assert all_items(server, "/api/passages", limit=7) == cli_json(small_data, "passages")
    one = docs[1]["id"]
    assert all_items(server, "/api/passages", doc=one) == cli_json(small_data, "passages", "--doc", one)
    statements = cli_json(small_data, "statements")
    assert statements and all_items(server, "/api/statements", limit=5) == statements
    assert all_items(server, "/api/statements", kind="problem") == cli_json(
        small_data, "statements", "--kind", "problem"
    )
    assert all_items(server, "/api/links") == cli_json(small_data, "links")
    found = server.get("/api/find", params={"q": "techniek* OR tekort", "limit": 1000}).json()
    assert found.pop("offset") == 0 and found.pop("limit") == 1000
    assert found == cli_json(small_data, "find", "techniek* OR tekort") and found["total"] > 0
    page = server.get("/api/find", params={"q": "techniek* OR tekort", "offset": 1, "limit": 2}).json()
    assert page["hits"] == found["hits"][1:3] and page["total"] == found["total"]


def test_lexical_search_is_the_clis_json(server, small_data):
    params = {"q": "tekort aan technici", "mode": "lexical", "top_k": 5, "doc": ["rapport-0", "rapport-2"]}
    hits = server.get("/api/search", params=params).json()
    cli = cli_json(small_data, "search", "tekort aan technici", "--mode", "lexical", "-k", "5", "--doc", "rapport-0")
    cli_both = cli_json(
        small_data,
        "search",
        "tekort aan technici",
        "--mode",
        "lexical",
        "-k",
        "5",
        "--doc",
        "rapport-0",
        "--doc",
        "rapport-2",
    )
    assert hits == cli_both and hits and {h["doc_id"] for h in cli} == {"rapport-0"}


def test_paging_and_limits(server):
    page = server.get("/api/documents", params={"offset": 2, "limit": 1}).json()
    assert page["total"] == 3 and len(page["items"]) == 1 and page["offset"] == 2
    assert server.get("/api/documents", params={"offset": 5}).json()["items"] == []
    assert "1000" in assert_error(server.get("/api/statements", params={"limit": 1001}), 422)["fout"]
    assert_error(server.get("/api/search", params={"q": "x", "top_k": 0}), 422)
    # httpx refuses so long a URL itself; http.client sends it
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    conn.request("GET", "/api/search?q=" + "a" * (MAX_QUERY_CHARS + 1))
    reply = conn.getresponse()
    long = json.loads(reply.read())
    conn.close()
    assert reply.status == 422 and str(MAX_QUERY_CHARS) in long["fout"], long
    assert_error(server.get("/api/search", params={"q": "   "}), 422)
    assert_error(server.get("/api/search", params={"q": "x", "year": 99}), 422)
    assert_error(server.get("/api/search", params={"q": "x", "doc": ["d"] * 51}), 422)


def test_errors_are_dutch_json(server):
    assert "ontbreekt" in assert_error(server.get("/api/search"), 422)["fout"]
    assert_error(server.get("/api/bestaat-niet"), 404)
    assert "niet in de index" in assert_error(server.get("/api/passages", params={"doc": "geen-document"}), 404)["fout"]
    assert_error(server.get("/api/find", params={"q": "(((("}), 422)
    assert_error(server.post("/api/search"), 405)
    assert_error(server.post("/api/reviews", content=b"{niet json", headers={"content-type": "application/json"}), 422)
    big = json.dumps({"kind": "label", "verdict": "bevestig", "note": "x" * 1_100_000})
    assert (
        "MB"
        in assert_error(server.post("/api/reviews", content=big, headers={"content-type": "application/json"}), 413)[
            "fout"
        ]
    )


def test_a_declared_oversize_upload_is_refused_before_it_is_read(server):
    """Content-Length over the limit: 413 at once, though the body never comes."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=60)
    conn.putrequest("POST", "/api/documents")
    conn.putheader("Content-Type", "multipart/form-data; boundary=b")
    conn.putheader("Content-Length", "900000000")
    conn.endheaders()
    reply = conn.getresponse()
    body = json.loads(reply.read())
    conn.close()
    assert reply.status == 413 and body["code"] == 413 and "200 MB" in body["fout"], body


def test_export_and_review(server, small_data):
    passage = server.get("/api/passages", params={"limit": 1}).json()["items"][0]
    statement = server.get("/api/statements", params={"kind": "problem", "limit": 1}).json()["items"][0]
    ids = [passage["id"], statement["id"]]
    items = server.get("/api/export", params={"ids": ids, "format": "json"}).json()
    assert [i["id"] for i in items] == ids and items[0]["text"] == passage["text"] and items[1]["kind"] == "problem"
    for fmt in ("docx", "xlsx"):
        r = server.get("/api/export", params={"ids": ids, "format": fmt})
        assert r.status_code == 200 and r.content[:2] == b"PK" and fmt in r.headers["content-disposition"]
    assert_error(server.get("/api/export", params={"ids": ["geen-id"]}), 404)
    r = server.post("/api/reviews", json={"kind": "label", "statement_id": statement["id"], "verdict": "bevestig"})
    assert r.status_code == 200, r.text
    assert r.json()["review"]["verdict"] == "confirmed"
    assert any(r.text == statement["text"] and r.verdict == "confirmed" for r in _reviews(small_data))
    assert_error(server.post("/api/reviews", json={"kind": "label", "statement_id": "x", "verdict": "misschien"}), 422)
    assert_error(server.post("/api/reviews", json={"kind": "label", "statement_id": "x", "verdict": "bevestig"}), 404)


def _reviews(data: Path) -> list:
    from beleidsbank.index.store import Store

    store = Store.open(data)
    try:
        return store.reviews("label")
    finally:
        store.close()


def _account(data: Path, name: str, role: str) -> str:
    """A user with `role` (`beleidsbank user add`) and a new API token (`beleidsbank user token`)."""
    where = ["--data-dir", str(data)]
    add = subprocess.run(
        CLI + ["user", "add", name, "--role", role, "--password-stdin", *where],
        input="wachtwoord-123\n",
        capture_output=True,
        text=True,
    )
    assert add.returncode == 0, add.stderr
    token = subprocess.run(CLI + ["user", "token", name, *where], capture_output=True, text=True)
    assert token.returncode == 0, token.stderr
    return token.stdout.strip()


def _cli(data: Path, *args: str) -> None:
    out = subprocess.run(CLI + [*args, "--data-dir", str(data)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_tokens_roles_collections_and_the_rate_limit(small_data, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(small_data, data)
    reader, editor = _account(data, "lezer", "reader"), _account(data, "redacteur", "editor")
    _cli(data, "collection", "add", "dossier")  # rapport-1 for editors only
    _cli(data, "collection", "docs", "dossier", "rapport-1")
    _cli(data, "collection", "grant", "dossier", "--roles", "editor")
    s = Server(data, tmp_path / "serve.log", BELEIDSBANK_API_RATE="0.5", BELEIDSBANK_API_BURST="10")
    try:
        r = assert_error(s.get("/api/documents"), 401)
        assert_error(s.get("/api/documents", headers={"Authorization": "Bearer bb_onzin"}), 401)
        as_reader, as_editor = ({"Authorization": f"Bearer {t}"} for t in (reader, editor))
        hidden = s.get("/api/passages", params={"doc": "rapport-1", "limit": 1}, headers=as_editor).json()["items"][0]
        assert [d["id"] for d in s.get("/api/documents", headers=as_reader).json()["items"]] == [
            "rapport-0",
            "rapport-2",
        ]
        assert_error(s.get("/api/passages", params={"doc": "rapport-1"}, headers=as_reader), 404)
        found = s.get("/api/find", params={"q": "techniek*"}, headers=as_reader).json()
        assert "rapport-1" not in found["per_document"] and "rapport-1" not in found["documents_without"]
        lexical = {"q": "tekort aan technici", "mode": "lexical", "doc": "rapport-1"}
        assert s.get("/api/search", params=lexical, headers=as_reader).json() == []
        assert_error(s.get("/api/export", params={"ids": [hidden["id"]]}, headers=as_reader), 404)
        review = {"kind": "label", "statement_id": "x", "verdict": "bevestig"}
        assert_error(s.post("/api/reviews", json=review, headers=as_reader), 403)
        statuses = [s.get("/api/documents", headers=as_reader).status_code for _ in range(15)]
        assert 429 in statuses, statuses
        limited = s.get("/api/documents", headers=as_reader)
        assert_error(limited, 429) and int(limited.headers["retry-after"]) >= 1
        assert s.get("/api/documents", headers=as_editor).json()["total"] == 3  # a bucket per token
    finally:
        s.stop()
    assert r["code"] == 401


def test_serve_refuses_an_open_public_address(small_data):
    out = subprocess.run(
        CLI + ["serve", "--data-dir", str(small_data), "--host", "0.0.0.0"], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 1 and "--insecure-open" in out.stderr and "Traceback" not in out.stderr


# -- with the model: the shipped corpus ------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_server(corpus_data, tmp_path_factory):
    root = tmp_path_factory.mktemp("api-corpus")
    shutil.copytree(corpus_data, root / "data")
    s = Server(root / "data", root / "serve.log")
    yield s, root / "data"
    s.stop()


def test_search_and_advise_are_the_clis_json(corpus_server):
    s, data = corpus_server
    q = "Hoe krijgen we meer meisjes in technische opleidingen?"
    assert s.get("/api/search", params={"q": q, "top_k": 5}).json() == cli_json(data, "search", q, "-k", "5")
    api = s.get("/api/advise", params={"q": q, "top_k": 3}).json()
    cli = cli_json(data, "advise", q, "-k", "3")
    assert api.pop("elapsed_ms") >= 0 and cli.pop("elapsed_ms") >= 0
    assert api == cli and api["recommendations"]
    assert s.get("/api/compare", params={"top": 1}).json() == cli_json(data, "compare", "--top", "1")


def test_an_upload_is_ingested_and_found(corpus_server, tmp_path):
    s, data = corpus_server
    pdf = f.english_pdf(tmp_path / "upload.pdf")
    r = s.post("/api/documents", files=[("files", ("Nieuw rapport.pdf", pdf.read_bytes(), "application/pdf"))])
    assert r.status_code == 200, r.text
    report = r.json()
    assert len(report["added"]) == 1 and report["passages"] > 0 and not report["skipped"]
    doc_id = report["added"][0]
    assert doc_id in {d["id"] for d in cli_json(data, "documents")}
    assert (data / "uploads" / "Nieuw rapport.pdf").is_file()
    hits = s.get("/api/search", params={"q": "technology", "doc": doc_id, "top_k": 3}).json()
    assert hits and {h["doc_id"] for h in hits} == {doc_id}
    again = s.post("/api/documents", files=[("files", ("Nieuw rapport.pdf", pdf.read_bytes(), "application/pdf"))])
    assert again.json()["unchanged"] == [doc_id]
    bad = s.post("/api/documents", files=[("files", ("kapot.pdf", b"%PDF-1.4 kapot", "application/pdf"))])
    assert bad.status_code == 200 and bad.json()["skipped"] and not bad.json()["added"]
