"""The fake's data: spreadsheets, their sheets and cells, stored as Google stores them.

A cell keeps its kind: text, a number, a boolean, a date (a serial number shown as a
date) or a formula. A formula of numbers alone ('=4/2', '= 1 / 1024') has its result,
as Google shows it; any other formula is kept, marked and shown as its text (or as the
result a test sets), which is enough to prove that nothing became a formula by accident.
"""
from __future__ import annotations

import ast
import datetime as dt
import itertools
import operator
import re
from dataclasses import dataclass, field

EPOCH = dt.date(1899, 12, 30)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


@dataclass
class Cell:
    kind: str            # "text", "number", "bool", "date", "formula"
    value: object
    shown: str | None = None     # a formula's displayed result, when a test sets one
    result: float | int | None = None   # a formula of numbers alone: what it comes to

    def formatted(self) -> str:
        if self.kind == "formula" and self.shown is not None:
            return self.shown
        if self.result is not None:
            return Cell("number", self.result).formatted()
        if self.kind == "number":
            v = float(self.value)
            return str(int(v)) if v.is_integer() else repr(v)
        if self.kind == "bool":
            return "TRUE" if self.value else "FALSE"
        if self.kind == "date":
            return (EPOCH + dt.timedelta(days=int(self.value))).isoformat()
        return str(self.value)

    def unformatted(self):
        if self.result is not None:
            return self.result
        if self.kind in ("number", "date"):
            v = float(self.value)
            return int(v) if v.is_integer() else v
        return self.value

    def effective(self) -> dict:
        if self.kind in ("number", "date") or self.result is not None:
            return {"numberValue": self.unformatted()}
        if self.kind == "bool":
            return {"boolValue": self.value}
        return {"stringValue": str(self.value)}


_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
              ast.Div: operator.truediv, ast.Pow: operator.pow, ast.USub: operator.neg, ast.UAdd: operator.pos}


def arithmetic(expression: str) -> float | int | None:
    """What a formula of numbers, + - * / ^ and brackets comes to; None for any other
    formula (a reference, a function, text), or one Google would show as an error."""
    try:
        tree = ast.parse(expression.strip().replace("^", "**"), mode="eval").body
        value = _evaluate(tree)
    except (SyntaxError, ValueError, ArithmeticError, TypeError):
        return None
    return int(value) if isinstance(value, float) and value.is_integer() and abs(value) < 2**53 else value


def _evaluate(node):
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return float(node.value)
    if isinstance(node, ast.UnaryOp) and type(node.op) in _OPERATORS:
        return _OPERATORS[type(node.op)](_evaluate(node.operand))
    if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
        left, right = _evaluate(node.left), _evaluate(node.right)
        if isinstance(node.op, ast.Pow) and (abs(right) > 1024 or abs(left) > 1e6):
            raise ValueError("too large")
        return _OPERATORS[type(node.op)](left, right)
    raise ValueError("not arithmetic")


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
        return Cell("formula", value, result=arithmetic(value[1:]))
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
    # what a cell holds besides its value, keyed like `cells`; they move with their cells
    notes: dict[tuple[int, int], str] = field(default_factory=dict)
    formats: dict[tuple[int, int], dict] = field(default_factory=dict)       # userEnteredFormat
    validations: dict[tuple[int, int], dict] = field(default_factory=dict)   # dataValidation
    frozen_cols: int = 0
    hidden: bool = False
    hide_gridlines: bool = False
    tab_color: dict | None = None            # an rgbColor; the reply shows tabColor and tabColorStyle
    protected_ranges: list[dict] = field(default_factory=list)
    # dimension groups as Google models them: how many groups cover each row / column
    group_depths: dict[str, dict[int, int]] = field(default_factory=lambda: {"ROWS": {}, "COLUMNS": {}})
    basic_filter: dict | None = None
    conditional_formats: list[dict] = field(default_factory=list)   # ConditionalFormatRules, in order
    pixel_sizes: dict[tuple[str, int], int] = field(default_factory=dict)   # (dimension, index)

    def dimension_groups(self, dimension: str) -> list[dict]:
        """DimensionGroups: at each depth k, every maximal run covered k or more times."""
        depths = self.group_depths[dimension]
        out = []
        for depth in range(1, max(depths.values(), default=0) + 1):
            start = None
            for i in range(min(depths), max(depths) + 2):
                inside = depths.get(i, 0) >= depth
                if inside and start is None:
                    start = i
                elif not inside and start is not None:
                    span = {"dimension": dimension, "startIndex": start, "endIndex": i}
                    if self.sheet_id:                  # sheetId 0 is left out, as Google does
                        span = {"sheetId": self.sheet_id, **span}
                    out.append({"range": span, "depth": depth})
                    start = None
        return out

    def layers(self) -> list[dict]:
        """Everything keyed by (row, col): the values and what rides along with them."""
        return [self.cells, self.notes, self.formats, self.validations]

    def remap(self, where) -> None:
        """Every layer's keys passed through `where((r, c))`; a None drops the entry."""
        for layer in self.layers():
            moved = {}
            for key, item in layer.items():
                to = where(key)
                if to is not None:
                    moved[to] = item
            layer.clear()
            layer.update(moved)

    def move(self, dimension: str, start: int, end: int, inserted: bool) -> None:
        """Rows or columns [start, end) inserted (cells at or after `start` move on) or
        deleted (their cells go, the rest move back), as the Sheets UI does."""
        n = end - start
        axis = 0 if dimension == "ROWS" else 1

        def where(key):
            at = key[axis]
            if inserted:
                at = at + n if at >= start else at
            elif start <= at < end:
                return None
            elif at >= end:
                at -= n
            return (at, key[1]) if axis == 0 else (key[0], at)
        self.remap(where)
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
        """SheetProperties as Google writes them: fields at their default left out."""
        grid = {"rowCount": self.rows, "columnCount": self.cols}
        if self.frozen_rows:
            grid["frozenRowCount"] = self.frozen_rows
        if self.frozen_cols:
            grid["frozenColumnCount"] = self.frozen_cols
        if self.hide_gridlines:
            grid["hideGridlines"] = True
        if self.group_depths["ROWS"]:
            grid["rowGroupControlAfter"] = True     # as seen once rows are grouped
        if self.group_depths["COLUMNS"]:
            grid["columnGroupControlAfter"] = True
        props = {"sheetId": self.sheet_id, "title": self.title, "index": self.index,
                 "sheetType": "GRID", "gridProperties": grid}
        if self.hidden:
            props["hidden"] = True
        if self.tab_color is not None:
            props["tabColor"] = dict(self.tab_color)
            props["tabColorStyle"] = {"rgbColor": dict(self.tab_color)}
        return props


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
    hidden_from: set = field(default_factory=set)   # identities it is not shared with (a pool's)
    requests: list[dict] = field(default_factory=list)     # structural requests, stored
    next_sheet_id: int = 0            # a new spreadsheet's first sheet is sheetId 0, as Google's
    modified_by: str = ""            # who made the last change ('' = the owner)
    metadata: list[dict] = field(default_factory=list)    # developer metadata, as stored
    change: int = field(default_factory=lambda: next(CHANGES))   # Drive's changes feed position
    named_ranges: list[dict] = field(default_factory=list)   # NamedRange JSON, as Google keeps it
    locale: str = "sv_SE"
    time_zone: str = "Europe/Stockholm"

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
