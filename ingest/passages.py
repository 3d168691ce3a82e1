"""Cut a document's blocks into passages: whole sentences within one section.

Plain data in (`clean.Block` list, page labels), plain data out (`Doc` with
its cleaned text and `Passage` list). Every passage's text is exactly
`doc.text[passage.start:passage.end]`, so offsets always point at its text.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from .clean import Block
from .nlp import sentence_spans

MAX_WORDS = 150  # a passage is sized for the embedding model (~250 tokens)
MIN_WORDS = 30  # a shorter tail is merged into its neighbour when it fits
SEPARATOR = "\n"  # between blocks in the document text


@dataclass
class Passage:
    seq: int
    start: int
    end: int
    text: str
    page: int
    page_end: int
    page_label: str
    section: str  # the innermost heading ("2.1.1 Knelpunten")
    section_path: str  # all headings, outermost first, " > " joined
    kind: str  # paragraph | list_item | footnote | table (rows of one table) | mixed
    sentences: list[tuple[int, int]] = field(default_factory=list)  # relative spans


@dataclass
class Doc:
    text: str
    passages: list[Passage]
    blocks: list[tuple[int, int, Block]]  # (start, end, block) in `text`
    page_marks: list[tuple[int, int]] = field(default_factory=list)  # (offset, page), sorted
    labels: dict[int, str] = field(default_factory=dict)  # page -> printed label

    def page_at(self, offset: int) -> int:
        i = bisect.bisect_right(self.page_marks, offset, key=lambda m: m[0]) - 1
        return self.page_marks[max(i, 0)][1] if self.page_marks else 1


@dataclass
class _Unit:
    start: int
    end: int
    words: int
    kind: str
    section: tuple[str, ...]


def _layout(blocks: list[Block]) -> tuple[str, list[tuple[int, int, Block]], list[tuple[int, int]]]:
    parts, spans, marks = [], [], []
    pos = 0
    for b in blocks:
        text = b.text.strip()
        if not text:
            continue
        spans.append((pos, pos + len(text), b))
        for off, page in b.page_marks or [(0, b.page)]:
            marks.append((pos + min(off, len(text)), page))
        parts.append(text)
        pos += len(text) + len(SEPARATOR)
    marks.sort()
    return SEPARATOR.join(parts), spans, marks


def _units(text: str, spans: list[tuple[int, int, Block]]) -> list[_Unit]:
    prose = [i for i, (_, _, b) in enumerate(spans) if b.kind not in ("heading", "table_row")]
    sents = sentence_spans([text[spans[i][0] : spans[i][1]] for i in prose])
    by_block = dict(zip(prose, sents))
    units: list[_Unit] = []
    for i, (start, end, b) in enumerate(spans):
        pieces = [(0, end - start)]
        if b.kind in ("paragraph", "footnote") or (b.kind == "list_item" and len(text[start:end].split()) > MAX_WORDS):
            pieces = by_block.get(i) or pieces
        for s, e in pieces:
            chunk = text[start + s : start + e]
            units.append(_Unit(start + s, start + e, len(chunk.split()), b.kind, b.section))
    return units


def _is_row(u: _Unit) -> bool:
    return u.kind == "table_row"


def _group(units: list[_Unit]) -> list[list[_Unit]]:
    groups: list[list[_Unit]] = []
    cur: list[_Unit] = []
    words = 0

    def body(us):
        return [u for u in us if u.kind != "heading"]

    for u in units:
        if cur:
            only_headings = not body(cur)
            if u.kind == "heading" and not only_headings:
                groups.append(cur)
                cur, words = [], 0
            elif u.kind != "heading" and (
                u.section != cur[-1].section
                or (not only_headings and words + u.words > MAX_WORDS)
                or (not only_headings and _is_row(u) != _is_row(body(cur)[-1]))
            ):
                # a heading keeps its own first paragraph, never text of another
                # section (the footnotes after a document's last heading); table rows
                # and running text never share a passage
                groups.append(cur)
                cur, words = [], 0
        cur.append(u)
        words += u.words
    if cur:
        groups.append(cur)
    # merge short tails into the previous passage of the same section
    merged: list[list[_Unit]] = []
    for g in groups:
        w = sum(u.words for u in g)
        if (
            merged
            and w < MIN_WORDS
            and g[0].kind != "heading"
            and merged[-1][-1].section == g[0].section
            and _is_row(merged[-1][-1]) == _is_row(g[0])
            and sum(u.words for u in merged[-1]) + w <= MAX_WORDS * 1.3
        ):
            merged[-1].extend(g)
        else:
            merged.append(g)
    return merged


def _passage_kind(kinds: set[str]) -> str:
    if kinds == {"table_row"}:
        return "table"  # whole rows of one table
    return kinds.pop() if len(kinds) == 1 else "mixed"


def make_passages(blocks: list[Block], labels: dict[int, str]) -> Doc:
    """Cut blocks into passages. `labels` maps physical page numbers to printed labels."""
    text, spans, marks = _layout(blocks)
    if not spans:
        return Doc(text="", passages=[], blocks=[])
    mark_pos = [m[0] for m in marks]

    def page_at(offset: int) -> int:
        i = bisect.bisect_right(mark_pos, offset) - 1
        return marks[max(i, 0)][1]

    passages = []
    for group in _group(_units(text, spans)):
        start, end = group[0].start, group[-1].end
        content = [u for u in group if u.kind != "heading"] or group
        section = content[-1].section
        kinds = {u.kind for u in content}
        page = page_at(start)
        passages.append(
            Passage(
                seq=len(passages),
                start=start,
                end=end,
                text=text[start:end],
                page=page,
                page_end=page_at(max(start, end - 1)),
                page_label=labels.get(page, str(page)),
                section=section[-1] if section else "",
                section_path=" > ".join(section),
                kind=_passage_kind(kinds),
                sentences=[(u.start - start, u.end - start) for u in group],
            )
        )
    return Doc(text=text, passages=passages, blocks=spans, page_marks=marks, labels=dict(labels))
