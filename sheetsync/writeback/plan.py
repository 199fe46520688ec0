"""A write plan: the minimal set of owned cells whose text must change.

Built by comparing what should be there with what was read, so a run that changes
nothing plans nothing, and the backend then makes no write call at all.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import math

import pandas as pd

from sheetsync.a1 import cell
from sheetsync.workbook import Tab, cell_text


def plain(value):
    """A value fit for a cell and for JSON: missing (None, NaN, NA) is '', numpy scalars
    become Python numbers."""
    if value is None or value is pd.NA:
        return ""
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return ""
    return value


class CellWrite(NamedTuple):
    """One cell to write. A named tuple, not a frozen dataclass: a first night plans a
    few hundred a student, and a frozen dataclass takes three times as long to make."""
    tab: str
    row: int          # 1-based
    col: int          # 1-based
    value: object     # str, int or float; written RAW
    old: str | None = None    # set only for a student's own cell (cleanup, undo): logged
    owned: bool = False       # ... or a note the student typed into an owned cell

    @property
    def a1(self) -> str:
        return cell(self.row, self.col)


@dataclass(frozen=True)
class FormatRule:
    """Colour for owned columns: a background when `formula` holds, on rows from
    `first_row` down, columns `first_col`..`last_col` (1-based). The formula is written
    for `first_row` with $-anchored columns, as both Sheets and Excel read it."""
    tab: str
    kind: str             # overdue / soon / processed
    formula: str
    first_row: int
    first_col: int
    last_col: int
    color: tuple[float, float, float]


@dataclass(frozen=True)
class Mark:
    """The service's mark on a place it owns: an owned column (`kind` flags/state/next,
    `col` 1-based) or, with `col` None, the summary tab itself."""
    tab: str
    kind: str
    col: int | None = None


MARK_KEY = "sheetsync"       # the key of every mark; its value is the kind


@dataclass(frozen=True)
class ColumnLook:
    """How an owned column reads: its width (characters), wrapped text, and its header
    cell (1-based row, None for a sheet without a header) bold; `freeze` the header row
    when the student has frozen nothing."""
    tab: str
    col: int
    width: int
    wrap: bool
    header_row: int | None
    freeze: bool = False


@dataclass
class WritePlan:
    student: str
    writes: list[CellWrite] = field(default_factory=list)
    new_tabs: list[str] = field(default_factory=list)      # owned tabs to create first
    formats: list[FormatRule] = field(default_factory=list)
    marks: list[Mark] = field(default_factory=list)        # owned places to mark
    looks: list[ColumnLook] = field(default_factory=list)  # widths, wrap, bold header
    # the sheetIds a backend gave `new_tabs` when it wrote them (Google), so the snapshot
    # of the sheet as we left it knows them: an export read the next night can use them
    tab_ids: dict[str, int] = field(default_factory=dict)
    # owned columns placed tonight (tab -> 1-based columns): a backend that can inserts
    # them, so a value a student types there after our read moves right, never under ours
    new_columns: dict[str, list[int]] = field(default_factory=dict)
    # a tab wholly ours whose headings moved: tab -> (rows bold in column A, rows in all)
    headings: dict[str, tuple[frozenset, int]] = field(default_factory=dict)
    # rows whose owned text wraps: tab -> row -> lines (a backend that keeps row heights)
    row_lines: dict[str, dict[int, int]] = field(default_factory=dict)
    # owned columns whose colours are laid again (tab -> 1-based columns): the backend
    # first takes away the conditional formats that colour only these columns
    relaid: dict[str, list[int]] = field(default_factory=dict)
    unmarks: list[Mark] = field(default_factory=list)      # our marks to take away (an older look)

    def __bool__(self) -> bool:
        return bool(self.writes or self.new_tabs or self.formats or self.marks or self.looks
                    or self.new_columns or self.unmarks)

    @property
    def student_cells(self) -> list[CellWrite]:
        """Writes to the student's own cells (cleanup in place): these are logged."""
        return [w for w in self.writes if w.old is not None]

    def by_tab(self) -> dict[str, list[CellWrite]]:
        out: dict[str, list[CellWrite]] = {}
        for w in self.writes:
            out.setdefault(w.tab, []).append(w)
        return out

    def describe(self) -> str:
        lines = [f"{self.student}: {len(self.writes)} cell(s)"
                 + (f", new tab(s) {', '.join(self.new_tabs)}" if self.new_tabs else "")]
        for w in self.writes[:200]:
            was = f" (was {w.old!r})" if w.old is not None else ""
            lines.append(f"  {w.tab}!{w.a1} = {cell_text(w.value)!r}{was}")
        if len(self.writes) > 200:
            lines.append(f"  ... {len(self.writes) - 200} more")
        return "\n".join(lines)


def diff_cells(tab_title: str, current: Tab | None, desired: dict[tuple[int, int], object]) -> list[CellWrite]:
    """Writes for every desired cell whose text differs from what the tab holds."""
    out = []
    rows = current.rows if current else []
    for (r, c), value in sorted(desired.items()):
        if type(value) is not str:          # nearly all are text: skip the conversions
            value = plain(value)
        row = rows[r - 1] if r <= len(rows) else ()
        have = row[c - 1] if c <= len(row) else ""
        if have != (value if type(value) is str else cell_text(value)):
            out.append(CellWrite(tab_title, r, c, value))
    return out


def grid_cells(rows: list[list], current: Tab | None) -> dict[tuple[int, int], object]:
    """A whole owned tab: the desired grid, plus blanks over anything left from before."""
    desired = {(r, c): v for r, row in enumerate(rows, 1) for c, v in enumerate(row, 1)}
    if current:
        for r, row in enumerate(current.rows, 1):
            for c, v in enumerate(row, 1):
                if v != "" and (r, c) not in desired:
                    desired[(r, c)] = ""
    return desired
