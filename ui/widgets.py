"""HTML fragments the app's pages show with st.html.

st.html renders no Markdown, and every string that comes from a document is escaped here,
so a document can never add markup, links or scripts to the page.
"""

from __future__ import annotations

import html

from beleidsbank.ui.present import KIND_LABELS, kind_label, same_statement_label, scope_label, statement_citation

KIND_COLOURS = {"recommendation": "#1b5e20", "problem": "#8a1c1c"}


def passage_html(hit) -> str:
    """A result's passage with its best sentence marked."""
    s, e = hit.best_sentence
    text = hit.text
    parts = [html.escape(text[:s]), "<mark>", html.escape(text[s:e]), "</mark>", html.escape(text[e:])]
    return "".join(parts).replace("\n", "<br>")


def badge(kind: str) -> str:
    return (
        f"<span style='background:{KIND_COLOURS[kind]};color:white;border-radius:4px;padding:1px 6px;"
        f"font-size:0.8em'>{html.escape(KIND_LABELS[kind])}</span>"
    )


def result_heading(n: int, citation: str, kinds: list[str]) -> str:
    """A result card's first block: number, citation and a badge per statement kind in the passage."""
    badges = " ".join(badge(k) for k in kinds)
    return f"<p><b>{n}. {html.escape(citation)}</b> {badges}</p>"


def statement_html(kind: str, source: str, page_label: str, section: str, text: str) -> str:
    """A statement with its kind and short citation (source: short title or document id)."""
    cite = statement_citation(source, page_label, section)
    return f"<p><b>{html.escape(kind_label(kind))}</b> · {html.escape(cite)}<br>{html.escape(text)}</p>"


def statement_block(s, note: str = "") -> str:
    """statement_html for a store Statement, with an optional small note under it."""
    block = statement_html(s.kind, s.short or s.doc_id, s.page_label, s.section, s.text)
    return block + (f"<p><small>{html.escape(note)}</small></p>" if note else "")


def linked_problems_html(rec_text: str, problems) -> str:
    """A recommendation's linked problems (LinkedProblem, best first) as escaped HTML; empty when none."""
    if not problems:
        return ""
    rows = []
    for p in problems:
        s = p.problem
        cite = statement_citation(s.short or s.doc_id, s.page_label)
        rows.append(
            f"<li>{html.escape(s.text[:300])} <small>({html.escape(cite)} · {scope_label(p.scope)} · "
            f"score {p.score:.2f})</small></li>"
        )
    return (
        f"<div style='border-left:3px solid {KIND_COLOURS['problem']};padding-left:8px;margin:4px 0'>"
        f"<small><b>Aanbeveling</b> “{html.escape(rec_text[:160])}” "
        f"<b>pakt deze problemen aan:</b></small><ul style='margin:0'>{''.join(rows)}</ul></div>"
    )


def text_html(section: str, text: str) -> str:
    """A passage's section and text beside the page view."""
    return f"<p><small>{html.escape(section)}</small></p><p>{html.escape(text).replace(chr(10), '<br>')}</p>"


def export_item_html(n: int, item: dict, citation: str) -> str:
    """One entry of the export list: number, kind, the quote (shortened) and its citation."""
    kind = kind_label(item.get("kind", ""))
    label = f"<b>{html.escape(kind)}</b> · " if kind else ""
    return f"<p>{n}. {label}{html.escape(item['text'][:400])}</p><p><small>{html.escape(citation)}</small></p>"


def column_heading(text: str) -> str:
    return f"<p><b>{html.escape(text)}</b></p>"


def group_mark(n_sources: int, kind: str, others: list[str]) -> str:
    """The mark of a statement that other sources make too, naming them."""
    names = f" (ook: {', '.join(others)})" if others else ""
    return (
        "<span style='background:#0d47a1;color:white;border-radius:4px;padding:1px 6px;font-size:0.8em'>"
        f"{html.escape(same_statement_label(n_sources, kind))}</span><small>{html.escape(names)}</small>"
    )


def answer_entry_html(n: int, item: dict, source: str, linked: list[dict], linked_kind: str, mark: str = "") -> str:
    """One statement of an advice answer: number, kind badge, text, citation, the statements on the
    other side of its links (problems it addresses, or recommendations that address it) and an
    optional group mark (HTML made here)."""
    kind = item.get("kind") or ("problem" if linked_kind == "recommendation" else "recommendation")
    cite = statement_citation(source, str(item.get("page_label") or item.get("page") or ""), item.get("section") or "")
    head = f"<p><b>{n}.</b> {badge(kind) if kind in KIND_COLOURS else ''} {mark}</p>"
    body = f"<p>{html.escape(item.get('text') or '')}<br><small>{html.escape(cite)}</small></p>"
    if not linked:
        return head + body
    title = "Aanbevelingen die dit aanpakken:" if linked_kind == "recommendation" else "Pakt deze knelpunten aan:"
    rows = "".join(
        f"<li>{html.escape((s.get('text') or '')[:300])} <small>({html.escape(linked_cite(s))})</small></li>"
        for s in linked
    )
    colour = KIND_COLOURS.get(linked_kind, "#555")
    return (
        head + body + f"<div style='border-left:3px solid {colour};padding-left:8px;margin:4px 0'>"
        f"<small><b>{title}</b></small><ul style='margin:0'>{rows}</ul></div>"
    )


def linked_cite(s: dict) -> str:
    source = s.get("short") or s.get("doc_id") or ""
    return statement_citation(source, str(s.get("page_label") or s.get("page") or ""))
