"""Export the source comparison (`compare --json`'s object) to Word and Excel, in the style of
ui/export.py: the matrix of shares and counts, and per theme the cited statements side by side
(the sources' strongest statements, the agreement groups, the gaps and the differences).

Plain data in (the comparison's JSON object), bytes out. As in ui/export.py, control characters
XML forbids are replaced, and no spreadsheet cell is ever a formula.
"""

from __future__ import annotations

import datetime as _dt
import io

from beleidsbank.ui import present_compare as pc
from beleidsbank.ui.export import _xml_text
from beleidsbank.ui.present import export_kind_label

TITLE = "Vergelijking van bronnen"


def _short(result: dict) -> dict[str, str]:
    return {s["id"]: s.get("short") or s["id"] for s in result.get("sources", [])}


def statement_rows(result: dict) -> list[list[str]]:
    """One row per cited statement: theme, part, group, source, page, section, kind, quote, whom
    it addresses, document, id (`present_compare.STATEMENT_COLUMNS`)."""
    short = _short(result)
    rows = []

    def add(theme: str, part: str, group: str, item: dict) -> None:
        rows.append(
            [
                theme,
                part,
                group,
                short.get(item["doc_id"], item["doc_id"]),
                item.get("page_label", ""),
                item.get("section", ""),
                export_kind_label(item.get("kind", ""), default=""),
                " ".join(str(item.get("text", "")).split()),
                ", ".join(item.get("addressees") or []),
                item["doc_id"],
                item.get("id", ""),
            ]
        )

    for th in result["themes"]:
        label = pc.theme_label(th["label"], th.get("parent"))
        for items in th.get("statements", {}).values():
            for item in items:
                add(label, pc.PARTS["statements"], "", item)
        for a in th["agreements"]:
            for item in a["statements"]:
                add(label, pc.PARTS["agreements"], pc.agreement_heading(a["id"], len(a["sources"])), item)
        for n, g in enumerate(th["gaps"], start=1):
            for item in g["statements"]:
                add(label, pc.PARTS["gaps"], f"{pc.GAP_LABELS.get(g['kind'], g['kind'])} {n}", item)
        for n, x in enumerate(th["differences"], start=1):
            group = f"{pc.DIFFERENCE_LABELS.get(x['kind'], x['kind'])} {n}"
            for item in [x["problem"], *x["statements"]]:
                add(label, pc.PARTS["differences"], group, item)
    return rows


def _text_cell(cell, value) -> None:
    cell.value = _xml_text(value)
    cell.data_type = "s"  # never a formula, whatever the text starts with
    if cell.value[:1] in ("=", "+", "-", "@"):
        cell.quotePrefix = True


def to_xlsx(result: dict) -> bytes:
    """Two sheets: "Matrix" (per theme and source the share, then the counts) and "Uitspraken"
    (every cited statement with its theme, part and group)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    short = _short(result)
    docs = result["documents"]
    wb = Workbook()
    ws = wb.active
    ws.title = "Matrix"
    header = ["Thema"] + [f"{short.get(d, d)}: aandeel" for d in docs]
    header += [f"{short.get(d, d)}: {what}" for d in docs for what in ("aanbevelingen", "problemen")]
    for c, value in enumerate(header, start=1):
        _text_cell(ws.cell(row=1, column=c), value)
        ws.cell(row=1, column=c).font = Font(bold=True)
    for r, th in enumerate(result["themes"], start=2):
        _text_cell(ws.cell(row=r, column=1), pc.theme_label(th["label"], th.get("parent")))
        for c, d in enumerate(docs, start=2):
            cell = ws.cell(row=r, column=c, value=float(th["per_source"][d]["share"]))
            cell.number_format = "0.0%"
        for c, (d, what) in enumerate(((d, w) for d in docs for w in ("recommendations", "problems")), len(docs) + 2):
            ws.cell(row=r, column=c, value=int(th["per_source"][d][what]))
    ws.column_dimensions["A"].width = 40
    ws.freeze_panes = "B2"
    sheet = wb.create_sheet("Uitspraken")
    sheet.append(list(pc.STATEMENT_COLUMNS))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r, row in enumerate(statement_rows(result), start=2):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            _text_cell(cell, value)
            if c == 8:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for col, width in zip("ABCDEFGHIJK", (30, 16, 30, 24, 8, 28, 13, 90, 20, 24, 30)):
        sheet.column_dimensions[col].width = width
    sheet.freeze_panes = "A2"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _quote_cell(cell, items: list[dict], short: dict) -> None:
    """A table cell holding quotes, each followed by its citation."""
    from docx.shared import Pt

    cell.text = ""
    for n, item in enumerate(items):
        para = cell.paragraphs[0] if n == 0 else cell.add_paragraph()
        para.add_run(f"“{_xml_text(' '.join(str(item['text']).split()))}”")
        note = pc.cite(item, short) + (f" ({pc.addressed(item)})" if item.get("addressees") else "")
        run = cell.add_paragraph().add_run(_xml_text(note))
        run.font.size = Pt(8)


def _side_by_side(doc, items: list[dict], short: dict) -> None:
    """A table with a column per source, its statements below its name."""
    by_source: dict[str, list[dict]] = {}
    for item in items:
        by_source.setdefault(item["doc_id"], []).append(item)
    if not by_source:
        return
    table = doc.add_table(rows=2, cols=len(by_source))
    table.style = "Table Grid"
    for c, (d, mine) in enumerate(by_source.items()):
        table.cell(0, c).text = _xml_text(short.get(d, d))
        table.cell(0, c).paragraphs[0].runs[0].bold = True
        _quote_cell(table.cell(1, c), mine, short)


def _matrix(doc, result: dict, short: dict) -> None:
    docs = result["documents"]
    table = doc.add_table(rows=1 + len(result["themes"]), cols=1 + len(docs))
    table.style = "Table Grid"
    table.cell(0, 0).text = "Thema"
    for c, d in enumerate(docs, start=1):
        table.cell(0, c).text = _xml_text(short.get(d, d))
    for r, th in enumerate(result["themes"], start=1):
        table.cell(r, 0).text = _xml_text(pc.theme_label(th["label"], th.get("parent")))
        for c, d in enumerate(docs, start=1):
            table.cell(r, c).text = pc.cell(th["per_source"][d])


def _theme(doc, th: dict, short: dict) -> None:
    doc.add_heading(_xml_text(pc.theme_label(th["label"], th.get("parent"))), level=2)
    if th.get("description"):
        doc.add_paragraph(_xml_text(th["description"]))
    doc.add_heading(pc.PARTS["statements"], level=3)
    _side_by_side(doc, [i for items in th.get("statements", {}).values() for i in items], short)
    doc.add_heading(f"{pc.PARTS['agreements']} ({len(th['agreements'])})", level=3)
    for a in th["agreements"]:
        doc.add_paragraph(pc.agreement_heading(a["id"], len(a["sources"])))
        _side_by_side(doc, a["statements"], short)
    doc.add_heading(f"{pc.PARTS['gaps']} ({len(th['gaps'])})", level=3)
    for g in th["gaps"]:
        if g["kind"] == "silent_source":
            doc.add_paragraph(
                _xml_text(pc.silent(short.get(g["doc_id"], g["doc_id"]), [short.get(o, o) for o in g["others"]]))
            )
        else:
            doc.add_paragraph(_xml_text(pc.unaddressed(short.get(g["doc_id"], g["doc_id"]))))
            _side_by_side(doc, g["statements"], short)
    doc.add_heading(f"{pc.PARTS['differences']} ({len(th['differences'])})", level=3)
    for x in th["differences"]:
        doc.add_paragraph(pc.difference_heading(x["kind"], len(x["sources"]), x["cues"]))
        _side_by_side(doc, [x["problem"]], short)
        _side_by_side(doc, x["statements"], short)


def to_docx(result: dict, today: _dt.date | None = None) -> bytes:
    """A Word document: the matrix of shares, then per theme its statements, agreement groups,
    gaps and differences, the sources side by side in table columns."""
    from docx import Document

    short = _short(result)
    doc = Document()
    doc.core_properties.title = TITLE
    doc.add_heading(TITLE, level=1)
    today = today or _dt.date.today()
    doc.add_paragraph(
        f"{pc.matrix_heading(len(result['themes']), len(result['documents']), result.get('addressee'))} "
        f"Samengesteld op {today.strftime('%d-%m-%Y')}."
    )
    _matrix(doc, result, short)
    for th in result["themes"]:
        _theme(doc, th, short)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
