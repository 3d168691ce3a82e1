"""Dated sections in the markdown files under docs/, written by the commands that measure.

A section runs from ``<!-- section: KEY -->`` to ``<!-- /section: KEY -->``. `write_section`
replaces the section with the same key and keeps everything else in the file (the hand-written
text and the other sections), so each command owns its own section and running it again updates
that section in place. Every section names the command that produced it, the date and the commit,
so no figure in docs/ is without its source. No project imports: the CLI and the benchmarks use it.
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import re
import subprocess
from pathlib import Path

_GIT_TIMEOUT_S = 10


def _markers(key: str) -> tuple[str, str]:
    return f"<!-- section: {key} -->", f"<!-- /section: {key} -->"


def revision(repo: Path | None = None) -> str:
    """The commit of the working tree ('abc1234', '+ local changes' when tracked files differ),
    or '' outside a git checkout."""
    cwd = str(repo or Path(__file__).resolve().parent.parent)
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=cwd, capture_output=True, text=True, timeout=_GIT_TIMEOUT_S
        )
        if head.returncode != 0:
            return ""
        dirty = (
            subprocess.run(
                ["git", "diff", "--quiet", "HEAD", "--"], cwd=cwd, capture_output=True, timeout=_GIT_TIMEOUT_S
            ).returncode
            != 0
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return head.stdout.strip() + (" + local changes" if dirty else "")


def machine() -> str:
    """Cores, CPU model and load average: timings mean little without them."""
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        load = "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        load = "load average unknown"
    return f"{os.cpu_count()} cores, {model}, {load}"


def table(headers: list[str], rows: list[list]) -> str:
    """A markdown table; floats with three decimals."""

    def cell(v) -> str:
        return f"{v:.3f}" if isinstance(v, float) else str(v).replace("|", "\\|")

    lines = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def render_section(
    key: str, title: str, command: str, body: str, *, date: str | None = None, rev: str | None = None, level: int = 3
) -> str:
    start, end = _markers(key)
    date = date or _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d")
    rev = revision() if rev is None else rev
    when = f"{date}, commit {rev}" if rev else date
    return f"{start}\n{'#' * level} {title}\n\n`{command}`  \nMeasured {when}.\n\n{body.strip()}\n{end}\n"


def write_section(path: str | Path, key: str, title: str, command: str, body: str, **kw) -> Path:
    """Write or replace the section `key` in the markdown file `path` (created when missing);
    a new section goes at the end of the file."""
    if not re.fullmatch(r"[\w.-]+", key):
        raise ValueError(f"section key must be a plain name: {key!r}")
    path = Path(path)
    section = render_section(key, title, command, body, **kw)
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    start, end = _markers(key)
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end) + r"\n?", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section, text, count=1)
    else:
        text = (text.rstrip("\n") + "\n\n" if text.strip() else "") + section
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


# -- eval results as markdown --------------------------------------------------------------


def eval_markdown(kind: str, result: dict) -> str:
    """The figures of one `beleidsbank eval` run (its JSON result) as a markdown table."""
    if kind == "queries":
        rows = []
        for mode, res in result.items():
            for group in ("all", "nl", "en"):
                m = res.get(group)
                if m:
                    rows.append([mode, group, res["n"][group], m["ndcg@10"], m["recall@10"], m["mrr@10"], m["hit@5"]])
        return table(["mode", "subset", "n", "nDCG@10", "Recall@10", "MRR@10", "Hit@5"], rows)
    if kind == "real_pdfs":
        return real_pdfs_markdown(result)
    if kind == "links":
        return table(
            ["Recall@5 in the gold link's scope", "pairs found", "Recall@5 over both scopes"],
            [[result["recall@5"], f"{result['found']}/{result['pairs']}", result["recall@5_combined"]]],
        )
    return table(
        [
            "label",
            "recall",
            "found",
            "labelled in the gold passages",
            "of which hold a gold quote (precision lower bound)",
            "missed",
        ],
        [
            [
                result["kind"],
                result["recall"],
                f"{result['found']}/{result['gold']}",
                result["labelled_in_gold_passages"],
                result["precision_lower_bound"],
                ", ".join(result["missed"]) or "-",
            ]
        ],
    )


def real_pdfs_markdown(result: dict) -> str:
    """Per file and overall figures of a real-PDF gold set."""

    def frac(pair: list[int]) -> str:
        return f"{pair[1]}/{pair[0]}"

    def yes(v: bool) -> str:
        return "yes" if v else "no"

    rows = [
        [
            f["file"],
            yes(f["ingested"]),
            frac(f["sentences"]),
            frac(f["furniture"]),
            yes(f["title_right"]),
            yes(f["year_right"]),
            yes(f["publisher_right"]),
            frac(f["questions"]),
            frac(f["statements"]),
        ]
        for f in result["files"]
    ]
    head = ["file", "ingested", "sentences intact", "furniture leaked", "title", "year", "publisher", "Hit@5"]
    o = result["overall"]
    totals = table(
        ["files ingested", "sentences intact", "furniture leaked", "title right", "year right", "publisher right"]
        + ["question Hit@5", "statement label accuracy", "ingest (s)"],
        [
            [
                f"{o['ingested']}/{o['files']}",
                o["sentences_intact"]["share"],
                o["furniture_leaked"]["share"],
                o["title_right"],
                o["year_right"],
                o["publisher_right"],
                o["question_hit@5"]["share"],
                o["statement_accuracy"]["share"],
                result.get("ingest_seconds", ""),
            ]
        ],
    )
    return table(head + ["statement labels"], rows) + "\n\n" + totals
