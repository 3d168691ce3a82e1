"""Schemathesis over the API's OpenAPI schema, against a live `beleidsbank serve` on a copy of the
shipped corpus: generated requests (valid, boundary and invalid values of every parameter, for
every operation) get no 500 and no answer outside the schema (status, content type, body,
headers). A bounded number of examples per operation keeps it to a few minutes."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tests.test_api_server import Server

CHECKS = (
    "not_a_server_error,status_code_conformance,content_type_conformance,"
    "response_schema_conformance,response_headers_conformance"
)
# Fuzzing: generated requests per operation, fewer for the two that cost seconds a request (an
# advice answer, an upload that is ingested). Coverage: the boundary and invalid values of every
# parameter, many per operation, for all but those two.
SLOW = "^/api/(advise|documents)$"
RUNS = (
    ["--phases", "fuzzing", "-n", "20", "--exclude-path-regex", SLOW],
    ["--phases", "fuzzing", "-n", "5", "--include-path-regex", SLOW],
    ["--phases", "coverage", "--exclude-path-regex", SLOW],
)


def test_no_server_errors_and_no_schema_violations(corpus_data, tmp_path):
    shutil.copytree(corpus_data, tmp_path / "data")
    server = Server(tmp_path / "data", tmp_path / "serve.log")
    st = Path(sys.executable).parent / "st"
    reports = []
    try:
        for run in RUNS:
            out = subprocess.run(
                [str(st), "run", f"{server.url}/openapi.json", "--checks", CHECKS, *run]
                + ["--request-timeout", "600", "--generation-deterministic", "--no-color", "--output-truncate", "true"],
                capture_output=True,
                text=True,
                timeout=900,
                cwd=tmp_path,  # schemathesis keeps its state in ./.schemathesis
            )
            report = "\n".join(line[:300] for line in out.stdout.splitlines() if not line.lstrip().startswith("curl"))
            reports.append((out.returncode, report))
    finally:
        server.stop()
    for code, report in reports:
        assert code == 0 and "Server error" not in report, report[-6000:]
    log = (tmp_path / "serve.log").read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]
