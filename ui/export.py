"""Export a list of cited passages/statements: CSV for a Dutch Excel, XLSX, Word, Markdown, RIS.

Plain data in (item dicts with text and citation fields), bytes or text out.
Every CSV cell that a spreadsheet would read as a formula (=, +, -, @ at the start)
is neutralised with a leading apostrophe; in XLSX every cell is written as a
string cell (never a formula) with Excel's quote prefix, so nothing is evaluated.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re

from beleidsbank.ui.present import export_citation, export_kind_label

FIELDS = ("publisher", "year", "title", "page_label", "section", "kind", "text", "doc_id", "id")
HEADERS = ("Uitgever", "Jaar", "Titel", "Pagina", "Sectie", "Soort", "Citaat", "Document", "Id")


def neutralise(value) -> str:
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def to_csv(items: list[dict]) -> bytes:
    """UTF-8 with BOM and semicolons: opens with columns and accents intact in a Dutch Excel."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow(HEADERS)
    for it in items:
        row = dict(it, kind=export_kind_label(it.get("kind", "")))
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
        lines.append(f"   — {_md_escape(export_citation(it))}")
        lines.append("")
    return "\n".join(lines)


def to_ris(items: list[dict]) -> str:
    out = []
    for it in items:
        out += [
            "TY  - RPRT",
            f"TI  - {it.get('title', '')}",
            f"AU  - {it.get('publisher', '')}",
            f"PY  - {it.get('year') or ''}",
            f"SP  - {it.get('page_label') or it.get('page') or ''}",
            f"N1  - {' '.join(str(it.get('text', '')).split())}",
            f"ID  - {it.get('id', '')}",
            "ER  - ",
            "",
        ]
    return "\n".join(out)


# XML 1.0 forbids most control characters; python-docx and openpyxl refuse them.
_XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value) -> str:
    return _XML_ILLEGAL.sub(" ", "" if value is None else str(value))


def _quote(item: dict) -> str:
    return " ".join(_xml_text(item.get("text", "")).split())


def to_xlsx(items: list[dict]) -> bytes:
    """An Excel workbook: one row per item with the citation fields, the full citation and the quote."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Exportlijst"
    headers = HEADERS[:6] + ("Citaat", "Bronvermelding") + HEADERS[7:]
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for r, it in enumerate(items, start=2):
        row = dict(it, kind=export_kind_label(it.get("kind", "")))
        values = (
            [row.get(f, "") for f in FIELDS[:6]]
            + [_quote(it), export_citation(it)]
            + [row.get(f, "") for f in FIELDS[7:]]
        )
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=c)
            if c == 2 and isinstance(value, int):
                cell.value = value  # the year stays a number
                continue
            cell.value = _xml_text(value)
            cell.data_type = "s"  # never a formula, whatever the text starts with
            if cell.value[:1] in ("=", "+", "-", "@"):
                cell.quotePrefix = True  # Excel keeps it text when the cell is edited
            if c in (7, 8):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCDEFGHIJ", (28, 7, 40, 8, 28, 13, 80, 50, 22, 26)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_docx(items: list[dict], today: _dt.date | None = None) -> bytes:
    """A Word document: per item the quote, then its full citation (publisher, year, title, page, section)."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.title = "Exportlijst beleidsbank"
    doc.add_heading("Exportlijst beleidsbank", level=1)
    today = today or _dt.date.today()
    doc.add_paragraph(f"{len(items)} citaten, samengesteld op {today.strftime('%d-%m-%Y')}.")
    for n, it in enumerate(items, start=1):
        kind = export_kind_label(it.get("kind", ""), default="")
        head = doc.add_paragraph()
        head.add_run(f"{n}. ").bold = True
        if kind and kind != "passage":
            head.add_run(kind).italic = True
        quote = doc.add_paragraph(style="Quote")
        quote.add_run(f"“{_quote(it)}”")
        cite = doc.add_paragraph()
        run = cite.add_run(_xml_text(export_citation(it)))
        run.font.size = Pt(9)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
