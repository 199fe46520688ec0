"""The fake's data: spreadsheets, their sheets and cells, stored as Google stores them.

A cell keeps its kind: text, a number, a boolean, a date (a serial number shown as a
date) or a formula. Formulas are never evaluated; they are kept, marked, and shown as
their text, which is enough to prove that nothing became a formula by accident.
"""
from __future__ import annotations

import datetime as dt
import itertools
import re
from dataclasses import dataclass, field

EPOCH = dt.date(1899, 12, 30)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass
class Cell:
    kind: str            # "text", "number", "bool", "date", "formula"
    value: object
    shown: str | None = None     # a formula's displayed result, when a test sets one

    def formatted(self) -> str:
        if self.kind == "formula" and self.shown is not None:
            return self.shown
        if self.kind == "number":
            v = float(self.value)
            return str(int(v)) if v.is_integer() else repr(v)
        if self.kind == "bool":
            return "TRUE" if self.value else "FALSE"
        if self.kind == "date":
            return (EPOCH + dt.timedelta(days=int(self.value))).isoformat()
        return str(self.value)

    def unformatted(self):
        if self.kind in ("number", "date"):
            v = float(self.value)
            return int(v) if v.is_integer() else v
        return self.value

    def effective(self) -> dict:
        if self.kind in ("number", "date"):
            return {"numberValue": self.unformatted()}
        if self.kind == "bool":
            return {"boolValue": self.value}
        return {"stringValue": str(self.value)}


def raw_cell(value) -> Cell | None:
    """valueInputOption=RAW: stored exactly as sent; '=…' stays text."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return Cell("bool", value)
    if isinstance(value, (int, float)):
        return Cell("number", value)
    return Cell("text", str(value))


def user_entered_cell(value) -> Cell | None:
    """valueInputOption=USER_ENTERED: parsed as if typed into the UI."""
    if not isinstance(value, str):
        return raw_cell(value)
    if value == "":
        return None
    if value.startswith("'"):
        return Cell("text", value[1:])
    if value.startswith("="):
        return Cell("formula", value)
    if value.upper() in ("TRUE", "FALSE"):
        return Cell("bool", value.upper() == "TRUE")
    text = value.strip().replace(" ", "")
    if _NUMBER.match(text):
        f = float(text)
        return Cell("number", int(f) if f.is_integer() and "." not in text else f)
    try:
        day = dt.date.fromisoformat(value.strip())
        return Cell("date", (day - EPOCH).days)
    except ValueError:
        return Cell("text", value)


@dataclass
class Sheet:
    sheet_id: int
    title: str
    index: int
    rows: int = 1000
    cols: int = 26
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)   # (row, col) 0-based
    frozen_rows: int = 0
    charts: list[dict] = field(default_factory=list)

    def move(self, dimension: str, start: int, end: int, inserted: bool) -> None:
        """Rows or columns [start, end) inserted (cells at or after `start` move on) or
        deleted (their cells go, the rest move back), as the Sheets UI does."""
        n = end - start
        axis = 0 if dimension == "ROWS" else 1
        moved = {}
        for key, cell in self.cells.items():
            at = key[axis]
            if inserted:
                at = at + n if at >= start else at
            elif start <= at < end:
                continue
            elif at >= end:
                at -= n
            moved[(at, key[1]) if axis == 0 else (key[0], at)] = cell
        self.cells = moved
        if dimension == "ROWS":
            self.rows += n if inserted else -n
        else:
            self.cols += n if inserted else -n

    def extent(self) -> tuple[int, int]:
        """(rows, cols) holding anything: trailing empties trimmed."""
        if not self.cells:
            return 0, 0
        return (max(r for r, _ in self.cells) + 1, max(c for _, c in self.cells) + 1)

    def properties(self) -> dict:
        grid = {"rowCount": self.rows, "columnCount": self.cols}
        if self.frozen_rows:
            grid["frozenRowCount"] = self.frozen_rows
        return {"sheetId": self.sheet_id, "title": self.title, "index": self.index,
                "sheetType": "GRID", "gridProperties": grid}


CHANGES = itertools.count(1)     # one feed for every fake: page tokens are opaque anyway


@dataclass
class Spreadsheet:
    id: str
    title: str
    sheets: list[Sheet]
    owner: str = "student@school.example"
    version: int = 1
    modified: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.timezone.utc))
    permissions: list[dict] = field(default_factory=list)
    shared_with_service: bool = True
    requests: list[dict] = field(default_factory=list)     # structural requests, stored
    next_sheet_id: int = 1
    modified_by: str = ""            # who made the last change ('' = the owner)
    metadata: list[dict] = field(default_factory=list)    # developer metadata, as stored
    change: int = field(default_factory=lambda: next(CHANGES))   # Drive's changes feed position

    def sheet(self, title: str | None) -> Sheet | None:
        if title is None:
            return self.sheets[0] if self.sheets else None
        return next((s for s in self.sheets if s.title == title), None)

    def sheet_by_id(self, sheet_id: int) -> Sheet | None:
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)

    def touch(self, by: str = "") -> None:
        self.modified_by = by
        self.version += 1
        self.change = next(CHANGES)
        self.modified = max(dt.datetime.now(dt.timezone.utc),
                            self.modified + dt.timedelta(milliseconds=1))

    def add_sheet(self, title: str, rows: int = 1000, cols: int = 26, sheet_id: int | None = None) -> Sheet:
        sid = sheet_id if sheet_id is not None else self._new_id()
        sheet = Sheet(sid, title, len(self.sheets), rows, cols)
        self.sheets.append(sheet)
        return sheet

    def _new_id(self) -> int:
        used = {s.sheet_id for s in self.sheets}
        while self.next_sheet_id in used:
            self.next_sheet_id += 1
        return self.next_sheet_id
