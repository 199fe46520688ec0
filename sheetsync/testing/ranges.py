"""A1 ranges as the Sheets API parses them, and the range it echoes back."""
from __future__ import annotations

import re
from dataclasses import dataclass

from sheetsync.a1 import column_letter, column_number, quote_sheet


class RangeError(ValueError):
    """Google's 400: 'Unable to parse range: …'."""


_PART = re.compile(r"^([A-Za-z]{0,3})(\d*)$")


@dataclass
class GridRange:
    title: str | None          # None: the first sheet
    r1: int | None             # 0-based, inclusive; None = open
    c1: int | None
    r2: int | None             # 0-based, exclusive
    c2: int | None

    def bounded(self, rows: int, cols: int) -> tuple[int, int, int, int]:
        r1 = self.r1 or 0
        c1 = self.c1 or 0
        r2 = rows if self.r2 is None else self.r2
        c2 = cols if self.c2 is None else self.c2
        return r1, c1, r2, c2


def _part(text: str, spec: str) -> tuple[int | None, int | None]:
    m = _PART.match(text)
    if not m or not (m[1] or m[2]):
        raise RangeError(f"Unable to parse range: {spec}")
    col = column_number(m[1]) - 1 if m[1] else None
    row = int(m[2]) - 1 if m[2] else None
    if row is not None and row < 0:
        raise RangeError(f"Unable to parse range: {spec}")
    return row, col


def parse_range(spec: str, titles: list[str]) -> GridRange:
    """"'My tab'!A1:C", "Sheet1", "A2:2", "B3" -> GridRange; a bare name is a sheet title."""
    title, cells = None, spec
    if spec.startswith("'"):
        m = re.match(r"^'((?:[^']|'')+)'(?:!(.*))?$", spec)
        if not m:
            raise RangeError(f"Unable to parse range: {spec}")
        title, cells = m[1].replace("''", "'"), m[2]
    elif "!" in spec:
        title, cells = spec.split("!", 1)
    elif spec in titles:
        title, cells = spec, None
    if title is not None and title not in titles:
        raise RangeError(f"Unable to parse range: {spec}")
    if not cells:
        return GridRange(title, None, None, None, None)
    first, _, last = cells.partition(":")
    r1, c1 = _part(first, spec)
    if not last:
        if r1 is None or c1 is None:
            raise RangeError(f"Unable to parse range: {spec}")
        return GridRange(title, r1, c1, r1 + 1, c1 + 1)
    r2, c2 = _part(last, spec)
    return GridRange(title, r1, c1, None if r2 is None else r2 + 1, None if c2 is None else c2 + 1)


def a1_of(title: str, r1: int, c1: int, r2: int, c2: int) -> str:
    """The range Google echoes: sheet quoted only when needed, 0-based exclusive ends in."""
    start = f"{column_letter(c1 + 1)}{r1 + 1}"
    end = f"{column_letter(c2)}{r2}"
    return f"{quote_sheet(title)}!{start}" + ("" if (r2 - r1, c2 - c1) == (1, 1) else f":{end}")
