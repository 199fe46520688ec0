"""How wide each of the master's columns is, which wrap, and how many lines a row needs:
worked out once from the tabs' text, drawn by each backend (openpyxl column widths and
wrapped cells; Sheets pixel sizes and wrap strategy), so no name, header, date or
sentence is cut.

Widths are in characters. A column is as wide as its longest value, up to WRAP_AT;
longer text (a feedback sentence, the reasons, a list of students) wraps at that width
(and its column is WRAP_AT + 2 wide, so the width says whether it wraps).
A header wider than its column wraps too (at most HEADER_AT), so a column of small
numbers does not grow to the width of 'Försenade uppföljningar'. A value alone on its
row (a title, the Insight tab's sentence) overflows into the empty cells beside it and
does not set a width.
"""
from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

WRAP_AT = 48        # characters: wider text wraps
HEADER_AT = 14      # a header wraps rather than widen its column beyond its data and this
MIN_WIDTH = 6
STEP = 4
PERCENT = re.compile(r"^\d+([.,]\d+)? ?%$")


@dataclass(frozen=True)
class ColumnLook:
    width: int          # characters
    wrap: bool          # long values wrap at the width
    numeric: bool = False   # numbers (or rates, '81 %') nearly all: the column stands right


@dataclass
class TabLook:
    columns: list[ColumnLook]
    lines: dict[int, int]       # 1-based row -> lines of text it needs, where more than one
    header: bool = True         # the first row is a header (it wraps), not a title alone

    def pixels(self, col: int) -> int:
        """A column's width on Google (10 pt Arial: about 7 px a character, and padding)."""
        return 7 * self.columns[col].width + 14


def text(value) -> str:
    return "" if value is None else str(value)


def _lines(value: str, width: int) -> int:
    """Lines `value` takes when wrapped at `width` characters, word by word."""
    return sum(len(textwrap.wrap(paragraph, width)) or 1 for paragraph in value.split("\n"))


def _step(width: int) -> int:
    """Widths in steps of STEP characters, so a name a letter longer than last night's
    does not resize the column (on Google, a structural call)."""
    return min(WRAP_AT + 1, -(-width // STEP) * STEP)


def tab_look(rows: list[list]) -> TabLook:
    if not rows:
        return TabLook([], {})
    ncols = max(len(r) for r in rows)
    titled = sum(1 for v in rows[0] if text(v)) == 1 and ncols > 1     # a title overflows
    header = [""] * ncols if titled else [text(v) for v in rows[0]] + [""] * (ncols - len(rows[0]))
    data = [0] * ncols
    numbers, others = [0] * ncols, [0] * ncols
    for row in rows[1:]:
        filled = [c for c, v in enumerate(row) if text(v)]
        if len(filled) == 1 and ncols > 1:      # alone on its row: overflows, sets no width
            continue
        for c in filled:
            data[c] = max(data[c], max(len(part) for part in text(row[c]).split("\n")))
            is_number = ((isinstance(row[c], (int, float)) and not isinstance(row[c], bool))
                         or bool(PERCENT.match(text(row[c]))))
            numbers[c] += is_number
            others[c] += not is_number
    columns = []
    for c in range(ncols):
        longest_word = max((len(w) for w in header[c].split()), default=0)
        wrap = data[c] > WRAP_AT
        width = max(MIN_WIDTH, min(data[c], WRAP_AT), longest_word, min(len(header[c]), HEADER_AT))
        # a wrapped column is one wider than any that is not: the width alone tells a
        # backend that reads it back whether the wrap has changed
        columns.append(ColumnLook(WRAP_AT + 2 if wrap else _step(width + 1), wrap,
                                  numbers[c] > 0 and numbers[c] >= 4 * others[c]))
    lines = {}
    for r, row in enumerate(rows, 1):
        filled = [c for c, v in enumerate(row) if text(v)]
        if (r > 1 or titled) and len(filled) == 1 and ncols > 1:
            continue
        need = max((_lines(text(row[c]), columns[c].width) for c in filled
                    if r == 1 or columns[c].wrap), default=1)
        if need > 1:
            lines[r] = need
    return TabLook(columns, lines, not titled)


def looks(tabs: dict[str, list[list]]) -> dict[str, TabLook]:
    return {title: tab_look(rows) for title, rows in tabs.items()}
