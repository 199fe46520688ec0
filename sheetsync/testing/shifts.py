"""What moves with rows and columns: inserting or deleting them shifts every range that
refers to the sheet, as formulas shift in the Sheets UI. Named ranges, protected ranges,
merges, the basic filter, conditional formats and developer metadata on rows or columns all follow.

On the half-open span [a, b) of a range along the dimension that changes: inserted at
i, the span moves on if i <= a, grows if a < i < b, stays if i >= b; deleted, the deleted
indexes leave the span, and a span left empty goes with them (a merge, a protection or
metadata whose cells are all gone is dropped).
"""
from __future__ import annotations

from sheetsync.testing.store import Sheet, Spreadsheet

_INDEXES = {"ROWS": ("startRowIndex", "endRowIndex"), "COLUMNS": ("startColumnIndex", "endColumnIndex")}


def shifted_span(a: int, b: int, start: int, end: int, inserted: bool) -> tuple[int, int] | None:
    """[a, b) after rows/columns [start, end) were inserted or deleted; None once empty."""
    n = end - start
    if inserted:
        return (a + n if a >= start else a), (b + n if b > start else b)
    cut = lambda i: i - min(max(i - start, 0), n)          # noqa: E731
    a, b = cut(a), cut(b)
    return (a, b) if b > a else None


def _shift_grid(grid: dict, sheet_id: int, dim: str, start: int, end: int, inserted: bool) -> bool:
    """Shift a GridRange in place; False when it covered only deleted cells. A range
    unbounded along `dim` stays unbounded on that side."""
    if grid.get("sheetId", 0) != sheet_id:
        return True
    lo, hi = _INDEXES[dim]
    a, b = grid.get(lo), grid.get(hi)
    if a is None and b is None:
        return True
    span = shifted_span(a if a is not None else 0, b if b is not None else 10**9, start, end, inserted)
    if span is None:
        return False
    if a is not None:
        grid[lo] = span[0]
    if b is not None:
        grid[hi] = span[1]
    return True


def shift_ranges(book: Spreadsheet, sheet: Sheet, dim: str, start: int, end: int, inserted: bool) -> None:
    """Everything in `book` that names cells of `sheet` follows an insertDimension or a
    deleteDimension of [start, end) along `dim` (ROWS or COLUMNS)."""
    sid = sheet.sheet_id

    def keep(grid: dict) -> bool:
        return _shift_grid(grid, sid, dim, start, end, inserted)

    book.named_ranges = [n for n in book.named_ranges if keep(n["range"])]
    sheet.protected_ranges = [p for p in sheet.protected_ranges if keep(p["range"])]
    for p in sheet.protected_ranges:
        p["unprotectedRanges"] = [g for g in p.get("unprotectedRanges", []) if keep(g)]
        if not p["unprotectedRanges"]:
            del p["unprotectedRanges"]
    if sheet.basic_filter and "range" in sheet.basic_filter and not keep(sheet.basic_filter["range"]):
        sheet.basic_filter = None
    rules = []
    for rule in sheet.conditional_formats:          # a rule whose cells are all gone goes too
        rule["ranges"] = [g for g in rule.get("ranges", []) if keep(g)]
        if rule["ranges"]:
            rules.append(rule)
    sheet.conditional_formats = rules
    merges = getattr(sheet, "merges", None)
    if merges:
        axis = 0 if dim == "ROWS" else 2
        moved = []
        for m in merges:
            span = shifted_span(m[axis], m[axis + 1], start, end, inserted)
            if span is not None:
                moved.append(m[:axis] + span + m[axis + 2:])
        sheet.merges = moved
    kept = []
    for m in book.metadata:
        span = m["location"].get("dimensionRange")
        if not span or span.get("sheetId") != sid or span.get("dimension") != dim:
            kept.append(m)
            continue
        moved = shifted_span(span["startIndex"], span["endIndex"], start, end, inserted)
        if moved:                  # metadata on deleted columns goes with them
            span["startIndex"], span["endIndex"] = moved
            kept.append(m)
    book.metadata = kept
