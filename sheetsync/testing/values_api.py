"""The values endpoints of the fake: values.get / batchGet / update / append / clear,
and the A1 (or named) ranges they take."""
from __future__ import annotations

from sheetsync.testing import sheet_requests
from sheetsync.testing.errors import bad_request
from sheetsync.testing.ranges import GridRange, RangeError, a1_of, parse_range
from sheetsync.testing.store import Sheet, Spreadsheet, raw_cell, user_entered_cell

RENDER_OPTIONS = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
DATE_TIME_OPTIONS = ("SERIAL_NUMBER", "FORMATTED_STRING")
DIMENSIONS = ("ROWS", "COLUMNS")


def resolve(book: Spreadsheet, spec: str) -> tuple[Sheet, GridRange]:
    """An A1 range, a sheet title, or a named range's name (also after 'Title'!, as
    gspread's worksheet.range('Name') sends it)."""
    try:
        rng = parse_range(spec, [s.title for s in book.sheets])
    except RangeError as e:
        named = sheet_requests.named_range_grid(book, spec.rsplit("!", 1)[-1])
        if named is None:
            raise bad_request(str(e)) from None
        sheet = book.sheet_by_id(named.get("sheetId", 0))
        return sheet, GridRange(sheet.title, named.get("startRowIndex"), named.get("startColumnIndex"),
                                named.get("endRowIndex"), named.get("endColumnIndex"))
    sheet = book.sheet(rng.title)
    if sheet is None:
        raise bad_request(f"Unable to parse range: {spec}")
    return sheet, rng


_resolve = resolve


def _check_option(name: str, value: str, allowed: tuple[str, ...], proto: str) -> None:
    """Google's reply to an unknown enum value in a query parameter."""
    if value not in allowed:
        raise bad_request(f"Invalid value at '{name}' (type.googleapis.com/google.apps.sheets.v4.{proto}),"
                          f" \"{value}\"")


def _render(cell, option: str, date_time: str = "SERIAL_NUMBER"):
    """FORMATTED_VALUE: the text shown. UNFORMATTED_VALUE and FORMULA: numbers as numbers,
    dates as serial numbers unless dateTimeRenderOption is FORMATTED_STRING (the
    reference: it is ignored for FORMATTED_VALUE); FORMULA gives a formula's text."""
    if option == "FORMATTED_VALUE":
        return cell.formatted()
    if option == "FORMULA" and cell.kind == "formula":
        return cell.value
    if cell.kind == "date" and date_time == "FORMATTED_STRING":
        return cell.formatted()
    if cell.kind == "formula" and cell.result is None:   # the result a test set, as typed would read
        shown = user_entered_cell(cell.shown) if cell.shown else None
        return shown.unformatted() if shown and shown.kind != "formula" else cell.formatted()
    return cell.unformatted()


def read_values(book: Spreadsheet, spec: str, render: str = "FORMATTED_VALUE",
                major: str = "ROWS", date_time: str = "SERIAL_NUMBER") -> dict:
    _check_option("value_render_option", render, RENDER_OPTIONS, "ValueRenderOption")
    _check_option("date_time_render_option", date_time, DATE_TIME_OPTIONS, "DateTimeRenderOption")
    _check_option("major_dimension", major, DIMENSIONS, "Dimension")
    sheet, rng = _resolve(book, spec)
    r1, c1, r2, c2 = rng.bounded(sheet.rows, sheet.cols)
    r2, c2 = min(r2, sheet.rows), min(c2, sheet.cols)
    out = {"range": a1_of(sheet.title, r1, c1, r2, c2), "majorDimension": major}
    rows = []
    for r in range(r1, r2):
        row = []
        for c in range(c1, c2):
            cell = sheet.cells.get((r, c))
            row.append("" if cell is None else _render(cell, render, date_time))
        while row and row[-1] == "":
            row.pop()
        rows.append(row)
    while rows and not rows[-1]:
        rows.pop()
    if major == "COLUMNS":
        width = max((len(r) for r in rows), default=0)
        rows = [[r[c] if c < len(r) else "" for r in rows] for c in range(width)]
        rows = [col[:max((i + 1 for i, v in enumerate(col) if v != ""), default=0)] for col in rows]
    if rows:
        out["values"] = rows
    return out


def as_rows(value_range: dict) -> list[list]:
    """A ValueRange's values as rows: with majorDimension COLUMNS each inner list is a
    column (a short column leaves the cells below it as they are)."""
    values = value_range.get("values") or []
    if value_range.get("majorDimension") != "COLUMNS":
        return values
    height = max((len(c) for c in values), default=0)
    return [[c[r] if r < len(c) else None for c in values] for r in range(height)]


def write_values(book: Spreadsheet, spec: str, values: list[list], option: str) -> dict:
    if option not in ("RAW", "USER_ENTERED"):
        raise bad_request(f"Invalid valueInputOption: {option}")
    sheet, rng = _resolve(book, spec)
    r1, c1 = rng.r1 or 0, rng.c1 or 0
    height = len(values)
    width = max((len(r) for r in values), default=0)
    if r1 + height > sheet.rows or c1 + width > sheet.cols:
        raise bad_request(f"Range ({a1_of(sheet.title, r1, c1, r1 + 1, c1 + 1).split('!')[0]}!"
                          f"{a1_of(sheet.title, r1 + height - 1, c1 + width - 1, r1 + height, c1 + width).split('!')[1]})"
                          f" exceeds grid limits. Max rows: {sheet.rows}, max columns: {sheet.cols}")
    parse = raw_cell if option == "RAW" else user_entered_cell
    for dr, row in enumerate(values):
        for dc, value in enumerate(row):
            if value is None:
                continue                              # null leaves the cell as it is
            cell = parse(value)
            key = (r1 + dr, c1 + dc)
            if cell is None:
                sheet.cells.pop(key, None)
            else:
                sheet.cells[key] = cell
    if height and width:
        book.touch()
    return {"spreadsheetId": book.id,
            "updatedRange": a1_of(sheet.title, r1, c1, r1 + max(height, 1), c1 + max(width, 1)),
            "updatedRows": height, "updatedColumns": width,
            "updatedCells": sum(len(r) for r in values)}


def clear_values(book: Spreadsheet, spec: str) -> str:
    sheet, rng = _resolve(book, spec)
    r1, c1, r2, c2 = rng.bounded(sheet.rows, sheet.cols)
    for key in [k for k in sheet.cells if r1 <= k[0] < r2 and c1 <= k[1] < c2]:
        del sheet.cells[key]
    book.touch()
    return a1_of(sheet.title, r1, c1, min(r2, sheet.rows), min(c2, sheet.cols))


def append_values(book: Spreadsheet, spec: str, values: list[list], option: str) -> dict:
    """values.append: the range is searched for a table (the cells holding data that
    touch the range's last filled cell, row by row and column by column, within the
    range or beyond it); values go on the row after it, from its first column. A range
    with no data gets them at its top left (gspread's insert_cols appends into the
    columns its insertDimension just made)."""
    sheet, rng = _resolve(book, spec)
    r1, c1, r2, c2 = rng.bounded(sheet.rows, sheet.cols)
    filled = {k for k in sheet.cells if r1 <= k[0] < r2 and c1 <= k[1] < c2}
    reply = {"spreadsheetId": book.id}
    if filled:
        table = _table_around(max(filled), sheet.cells.keys())
        top, left = min(r for r, _ in table), min(c for _, c in table)
        bottom, right = max(r for r, _ in table) + 1, max(c for _, c in table) + 1
        reply["tableRange"] = a1_of(sheet.title, top, left, bottom, right)
        start, c1 = bottom, left
    else:
        start = r1
    if start + len(values) > sheet.rows:              # append grows the grid, as Google does
        sheet.rows = start + len(values)
    reply["updates"] = write_values(book, a1_of(sheet.title, start, c1, start + 1, c1 + 1), values, option)
    return reply


def _table_around(cell: tuple[int, int], filled) -> set:
    """The filled cells reachable from `cell` through filled neighbours (up, down, left,
    right): an empty column splits a row into two tables, as Google finds them (gspread
    #537: a row with a gap appended twice comes out shifted to the gap's right)."""
    table, todo = {cell}, [cell]
    while todo:
        r, c = todo.pop()
        for near in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)):
            if near in filled and near not in table:
                table.add(near)
                todo.append(near)
    return table


def values_get(book: Spreadsheet, spec: str, params: dict) -> dict:
    """values.get with its query parameters as parse_qs gives them."""
    first = lambda name, default: (params.get(name) or [default])[0] or default  # noqa: E731
    return read_values(book, spec, first("valueRenderOption", "FORMATTED_VALUE"),
                       first("majorDimension", "ROWS"), first("dateTimeRenderOption", "SERIAL_NUMBER"))


def values_batch_get(book: Spreadsheet, params: dict) -> dict:
    """values.batchGet: each of the `ranges` read with the same options."""
    return {"spreadsheetId": book.id,
            "valueRanges": [values_get(book, spec, params) for spec in params.get("ranges", [])]}
