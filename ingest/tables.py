"""Tables: runs of lines whose cells stand in aligned columns, kept as rows.

Plain data in (the `pdf_reader.Line` list of one page), plain data out (`TableRow`
list). A row is one unit: its cells in reading order (left to right), each cell's
wrapped lines joined into it with end-of-line hyphenation undone ("be-" / "stand" ->
"bestand"). Two kinds of evidence:
- cell positions: where the reader gives a line's segments (text split at wide gaps),
  three or more lines whose segments start at the same x positions form a table; a
  line holding only some columns is a wrapped cell and joins the row it continues;
- record lines: where a line comes whole, three or more lines in a row that each start
  with a record number ("1", "2.a", "10") followed by more cells, set over most of
  the text width and not wrapped like running text (an inventory list).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .pdf_reader import Line

Cell = tuple[str, float, float]  # text, x0, x1
RECORD_KEY_RE = re.compile(r"^(\d{1,4})(?:\.[a-z0-9]{1,2})?\s+(?=\S)")
MIN_ROWS = 3
ALIGN = 4.0  # points: cells of one column start this close


@dataclass
class TableRow:
    lines: list[int]  # indices of the page's lines that make the row (first = where it starts)
    cells: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(c for c in self.cells if c)


def cells_of(line: Line) -> list[Cell]:
    """The line's cells: its segments where the reader gives them, else the whole line."""
    segs = getattr(line, "segments", None)
    if segs:
        return [(t, float(a), float(b)) for t, a, b in segs]
    return [(line.text, line.x0, line.x1)]


def _aligned(a: list[Cell], b: list[Cell]) -> int:
    return sum(any(abs(x[1] - y[1]) <= ALIGN for y in b) for x in a)


def _column_runs(lines: list[Line]) -> list[list[int]]:
    """Runs of multi-cell lines that share two or more column starts with a neighbour."""
    cells = [cells_of(ln) for ln in lines]
    table = [False] * len(lines)
    for i in range(len(lines) - 1):
        j = i + 1
        # a line of one wrapped cell between two rows: compare the rows around it
        if j + 1 < len(lines) and len(cells[j]) == 1 and _aligned(cells[j], cells[i]) == 1:
            j += 1
        a, b = cells[i], cells[j]
        close = 0 < lines[i].y - lines[j].y < 3.5 * (j - i) * max(lines[i].size, 1.0)
        if close and len(a) >= 2 and len(b) >= 2 and _aligned(a, b) >= 2:
            for k in range(i, j + 1):
                table[k] = True
    runs: list[list[int]] = []
    for i, t in enumerate(table):
        if t and runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        elif t:
            runs.append([i])
    return [r for r in runs if len(r) >= MIN_ROWS]


def _columns(cells: list[list[Cell]]) -> list[float]:
    starts = sorted(c[1] for row in cells for c in row)
    cols: list[float] = []
    for x in starts:
        if not cols or x - cols[-1] > ALIGN:
            cols.append(x)
    return cols


def _rows_from_run(lines: list[Line], run: list[int], join: Callable[[str, str], str]) -> list[TableRow]:
    """Rows of one run: a line holding most columns starts a row; a line holding fewer
    is a wrapped cell, joined to the row below when it reads as its start (the cell
    below goes on in lower case) and otherwise to the row above."""
    cells = {i: cells_of(lines[i]) for i in run}
    full = max(len(c) for c in cells.values())
    cols = _columns(list(cells.values()))
    rows: list[TableRow] = []
    grid: list[dict[int, str]] = []
    pending: list[tuple[int, list[Cell]]] = []

    def col(x: float) -> int:
        return min(range(len(cols)), key=lambda k: abs(cols[k] - x))

    for i in run:
        if len(cells[i]) >= max(2, full - 1) or not rows and not pending:
            row = {col(c[1]): c[0] for c in cells[i]}
            for _, frag in pending:  # fragments above a row start its cells
                for c in frag:
                    k = col(c[1])
                    row[k] = join(c[0], row[k]) if k in row else c[0]
            rows.append(TableRow([i] + [j for j, _ in pending]))
            grid.append(row)
            pending = []
            continue
        nxt = next((cells_of(lines[j]) for j in run if j > i and len(cells_of(lines[j])) >= full - 1), None)
        starts_below = nxt and all(any(abs(n[1] - c[1]) <= ALIGN and n[0][:1].islower() for n in nxt) for c in cells[i])
        if starts_below or not rows:
            pending.append((i, cells[i]))
        else:
            for c in cells[i]:
                k = col(c[1])
                grid[-1][k] = join(grid[-1][k], c[0]) if k in grid[-1] else c[0]
            rows[-1].lines.append(i)
    for row, g in zip(rows, grid):
        row.cells = [g[k] for k in sorted(g)]
    return rows


def _record_runs(lines: list[Line], width: float) -> list[list[int]]:
    """Runs of whole record lines: each starts with a record number and holds more cells,
    the numbers do not go down, and most of the run spans most of the text width (a short
    row has empty or short cells)."""
    runs: list[list[int]] = []
    prev_key = -1.0
    for i, ln in enumerate(lines):
        m = RECORD_KEY_RE.match(ln.text)
        key = float(m.group(1)) if m else -1.0
        record = bool(m) and len(ln.text.split()) >= 3
        follows = bool(runs) and runs[-1][-1] == i - 1 and key >= prev_key
        if record and follows and lines[i - 1].y - ln.y < 2.5 * max(ln.size, 1.0):
            runs[-1].append(i)
        elif record:
            runs.append([i])
        prev_key = key
    wide = [width > 0 and ln.x1 - ln.x0 >= 0.6 * width for ln in lines]
    return [r for r in runs if len(r) >= MIN_ROWS and 2 * sum(wide[i] for i in r) >= len(r)]


def find_rows(lines: list[Line], width: float, join: Callable[[str, str], str]) -> list[TableRow]:
    """The table rows of one page's lines (reading order), by cell positions where the
    lines carry them, else by record lines. `join` joins two pieces of one cell."""
    rows: list[TableRow] = []
    for run in _column_runs(lines):
        rows.extend(_rows_from_run(lines, run, join))
    taken = {i for r in rows for i in r.lines}
    for run in _record_runs(lines, width):
        rows.extend(TableRow([i], [lines[i].text]) for i in run if i not in taken)
    return sorted(rows, key=lambda r: min(r.lines))
