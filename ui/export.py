"""Export a list of cited passages/statements: CSV for a Dutch Excel, Markdown, RIS.

Plain data in (item dicts with text and citation fields), bytes or text out.
Every cell that a spreadsheet would read as a formula (=, +, -, @ at the start)
is neutralised with a leading apostrophe.
"""
from __future__ import annotations

import csv
import io

FIELDS = ("publisher", "year", "title", "page_label", "section", "kind", "text", "doc_id", "id")
HEADERS = ("Uitgever", "Jaar", "Titel", "Pagina", "Sectie", "Soort", "Citaat", "Document", "Id")
KIND_NL = {"recommendation": "aanbeveling", "problem": "probleem", "other": "", "passage": "passage"}


def neutralise(value) -> str:
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def citation(item: dict) -> str:
    year = item.get("year") or "z.j."
    page = item.get("page_label") or item.get("page") or ""
    section = f", {item['section']}" if item.get("section") else ""
    return f"{item.get('publisher') or item.get('title', '')} ({year}). {item.get('title', '')}, p. {page}{section}."


def to_csv(items: list[dict]) -> bytes:
    """UTF-8 with BOM and semicolons: opens with columns and accents intact in a Dutch Excel."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for it in items:
        row = dict(it, kind=KIND_NL.get(it.get("kind", ""), it.get("kind", "")))
        writer.writerow([neutralise(row.get(f, "")) for f in FIELDS])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _md_escape(text: str) -> str:
    out = []
    for ch in text:
        out.append("\\" + ch if ch in "\\`*_{}[]#+!<>|" else ch)
    return "".join(out)


def to_markdown(items: list[dict]) -> str:
    lines = ["# Exportlijst beleidsbank", ""]
    for n, it in enumerate(items, start=1):
        quote = " ".join(str(it.get("text", "")).split())
        lines.append(f"{n}. > {_md_escape(quote)}")
        lines.append(f"   — {_md_escape(citation(it))}")
        lines.append("")
    return "\n".join(lines)


def to_ris(items: list[dict]) -> str:
    out = []
    for it in items:
        out += ["TY  - RPRT", f"TI  - {it.get('title', '')}", f"AU  - {it.get('publisher', '')}",
                f"PY  - {it.get('year') or ''}", f"SP  - {it.get('page_label') or it.get('page') or ''}",
                f"N1  - {' '.join(str(it.get('text', '')).split())}", f"ID  - {it.get('id', '')}", "ER  - ", ""]
    return "\n".join(out)
