"""Load on the REST API: concurrent clients searching over HTTP for a fixed time.

    .venv/bin/python -m benchmarks.bench_api [--data-dir DIR] [--clients 20] [--seconds 60]
    .venv/bin/python -m benchmarks.bench_api --url http://127.0.0.1:8000   # a server already running

Without --url it starts `beleidsbank serve` on a free port over the data dir (an ingested one:
`make ingest`), with the per-client rate limit off: all clients come from one address here, and
the limit is per client, while this measures the server. One warm-up question loads the model
first. Each client asks GET /api/search (top_k 10) with its own round of the questions below
(Dutch and English, written for this benchmark), one after the other, for --seconds. Prints the
requests, the errors (any answer but 200, or no answer), requests per second and the p50, p95
and p99 latency, with the machine and its load before and after.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import threading
import time

import httpx
import numpy as np

QUESTIONS = [
    "Hoe kunnen scholen meer leerlingen voor techniek interesseren?",
    "Welke maatregelen helpen tegen het tekort aan technisch personeel?",
    "Wat is de rol van bedrijven in het beroepsonderwijs?",
    "Hoe houden we technici vast in de sector?",
    "Waarom kiezen weinig meisjes voor een technische opleiding?",
    "Wat zijn de knelpunten bij omscholing van werkenden?",
    "Hoe wordt de samenwerking tussen regio's georganiseerd?",
    "Welke financiering is er voor praktijkgericht onderwijs?",
    "Hoe verbeteren we het imago van technische beroepen?",
    "Wat adviseert men over een leven lang ontwikkelen?",
    "Welke doelen zijn gesteld voor het aantal afgestudeerden?",
    "Hoe kunnen leraren techniek beter worden opgeleid?",
    "How can schools raise interest in technical careers?",
    "What measures address the shortage of skilled technicians?",
    "What role do employers play in vocational training?",
    "How can more women be attracted to engineering?",
    "Which problems do regions face in retaining talent?",
    "What is recommended about lifelong learning for workers?",
    "How is public-private cooperation in education funded?",
    "What are the results of the national technology pact?",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(data_dir: str | None) -> tuple[subprocess.Popen, str]:
    """`beleidsbank serve` on a free port, rate limit off; returns when it answers."""
    port = free_port()
    cmd = [sys.executable, "-m", "beleidsbank.cli", "serve", "--port", str(port)]
    cmd += ["--data-dir", data_dir] if data_dir else []
    proc = subprocess.Popen(cmd, env={**os.environ, "BELEIDSBANK_API_RATE": "0"})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit("de server stopte bij het starten")
        try:
            if httpx.get(url + "/openapi.json", timeout=5).status_code == 200:
                return proc, url
        except httpx.TransportError:
            time.sleep(0.3)
    proc.kill()
    sys.exit("de server startte niet binnen 120 s")


def client(url: str, n: int, until: float, times: list[float], errors: list[str]) -> None:
    """Questions in turn, starting at the n-th, until `until`; latencies of 200 answers in ms."""
    with httpx.Client(base_url=url, timeout=120) as http:
        i = n
        while time.monotonic() < until:
            q = QUESTIONS[i % len(QUESTIONS)]
            i += 1
            t0 = time.perf_counter()
            try:
                r = http.get("/api/search", params={"q": q, "top_k": 10})
                ok = r.status_code == 200 and isinstance(r.json(), list)
                err = "" if ok else f"{r.status_code}: {r.text[:120]}"
            except (httpx.HTTPError, ValueError) as exc:
                err = f"{type(exc).__name__}: {exc}"
            if err:
                errors.append(err)
            else:
                times.append((time.perf_counter() - t0) * 1000)


def run(url: str, clients: int, seconds: float) -> dict:
    times: list[float] = []
    errors: list[str] = []
    until = time.monotonic() + seconds
    threads = [threading.Thread(target=client, args=(url, n, until, times, errors)) for n in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - started
    p50, p95, p99 = (float(x) for x in np.percentile(times, [50, 95, 99])) if times else (0.0, 0.0, 0.0)
    return dict(
        requests=len(times) + len(errors),
        errors=len(errors),
        seconds=took,
        p50=p50,
        p95=p95,
        p99=p99,
        first_errors=errors[:5],
    )


def main() -> None:
    from beleidsbank.report import machine

    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", default=None)
    ap.add_argument("--url", default=None, help="a running server (else one is started)")
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=60.0)
    args = ap.parse_args()
    before = machine()
    proc, url = (None, args.url.rstrip("/")) if args.url else start_server(args.data_dir)
    try:
        warm = httpx.get(url + "/api/search", params={"q": "techniek", "top_k": 1}, timeout=300)
        if warm.status_code != 200:
            sys.exit(f"de eerste zoekvraag mislukte: {warm.status_code} {warm.text[:200]}")
        r = run(url, args.clients, args.seconds)
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(30)
    print(f"machine before: {before}")
    print(f"machine after:  {machine()}")
    print(
        f"{args.clients} clients, {r['seconds']:.1f} s: {r['requests']} requests, {r['errors']} errors, "
        f"{r['requests'] / r['seconds']:.1f} requests/s"
    )
    print(f"latency ms: p50 {r['p50']:.0f}, p95 {r['p95']:.0f}, p99 {r['p99']:.0f}")
    for e in r["first_errors"]:
        print("error:", e)
    sys.exit(1 if r["errors"] else 0)


if __name__ == "__main__":
    main()
