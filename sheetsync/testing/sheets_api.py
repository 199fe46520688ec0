"""The Sheets v4 endpoints of the fake: spreadsheets.get, values.*, batchUpdate."""
from __future__ import annotations

from sheetsync.testing.fieldmask import apply_mask, parse_mask
from sheetsync.testing.ranges import GridRange, RangeError, a1_of, parse_range
from sheetsync.testing.store import Sheet, Spreadsheet, raw_cell, user_entered_cell


class ApiError(Exception):
    def __init__(self, code: int, status: str, message: str, details=None):
        super().__init__(message)
        self.code, self.status, self.message, self.details = code, status, message, details

    def body(self) -> dict:
        err = {"code": self.code, "message": self.message, "status": self.status}
        if self.details:
            err["details"] = self.details
        return {"error": err}


def bad_request(message: str) -> ApiError:
    return ApiError(400, "INVALID_ARGUMENT", message)


def _resolve(book: Spreadsheet, spec: str) -> tuple[Sheet, GridRange]:
    try:
        rng = parse_range(spec, [s.title for s in book.sheets])
    except RangeError as e:
        raise bad_request(str(e)) from None
    sheet = book.sheet(rng.title)
    if sheet is None:
        raise bad_request(f"Unable to parse range: {spec}")
    return sheet, rng


def _render(cell, option: str):
    if option == "UNFORMATTED_VALUE":
        return cell.unformatted()
    if option == "FORMULA" and cell.kind == "formula":
        return cell.value            # the formula itself, whatever it shows
    return cell.formatted()


def read_values(book: Spreadsheet, spec: str, render: str = "FORMATTED_VALUE",
                major: str = "ROWS") -> dict:
    sheet, rng = _resolve(book, spec)
    r1, c1, r2, c2 = rng.bounded(sheet.rows, sheet.cols)
    r2, c2 = min(r2, sheet.rows), min(c2, sheet.cols)
    out = {"range": a1_of(sheet.title, r1, c1, r2, c2), "majorDimension": major}
    rows = []
    for r in range(r1, r2):
        row = []
        for c in range(c1, c2):
            cell = sheet.cells.get((r, c))
            row.append("" if cell is None else _render(cell, render))
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
    sheet, rng = _resolve(book, spec)
    used_rows, _ = sheet.extent()
    c1 = rng.c1 or 0
    # the table is the run of rows holding data from the range's first row down; values
    # go right after it (at the first row itself when that is empty: gspread's
    # insert_rows appends into the row its insertDimension just made)
    start, filled = rng.r1 or 0, {r for r, _ in sheet.cells}
    while start in filled:
        start += 1
    if start + len(values) > sheet.rows:              # append grows the grid, as Google does
        sheet.rows = start + len(values)
    reply = {"spreadsheetId": book.id}
    if used_rows:
        _, used_cols = sheet.extent()
        reply["tableRange"] = a1_of(sheet.title, 0, c1, used_rows, max(used_cols, c1 + 1))
    reply["updates"] = write_values(book, a1_of(sheet.title, start, c1, start + 1, c1 + 1), values, option)
    return reply


def spreadsheet_json(book: Spreadsheet, ranges: list[str], include_grid: bool) -> dict:
    sheets = []
    wanted: dict[str, list[GridRange]] = {}
    for spec in ranges:
        sheet, rng = _resolve(book, spec)
        wanted.setdefault(sheet.title, []).append(rng)
    for sheet in book.sheets:
        entry = {"properties": sheet.properties()}
        if sheet.charts:
            entry["charts"] = sheet.charts
        on_sheet = [m for m in book.metadata if m["location"].get("sheetId") == sheet.sheet_id]
        if on_sheet:
            entry["developerMetadata"] = on_sheet
        if include_grid and (not ranges or sheet.title in wanted):
            entry["data"] = [_grid_data(sheet, rng, book.metadata) for rng in
                             wanted.get(sheet.title, [GridRange(sheet.title, None, None, None, None)])]
        if ranges and sheet.title not in wanted and include_grid:
            continue
        sheets.append(entry)
    return {"spreadsheetId": book.id,
            "properties": {"title": book.title, "locale": "sv_SE", "timeZone": "Europe/Stockholm"},
            "sheets": sheets,
            "spreadsheetUrl": f"https://docs.google.com/spreadsheets/d/{book.id}/edit"}


def _grid_data(sheet: Sheet, rng: GridRange, metadata=()) -> dict:
    rows, cols = sheet.extent()
    r1, c1, r2, c2 = rng.bounded(sheet.rows, sheet.cols)
    column_meta = []
    for c in range(c1, min(c2, sheet.cols)):     # every column of the range, as Google does
        props = {"pixelSize": 100}
        found = [m for m in metadata if _on_column(m, sheet.sheet_id, c)]
        if found:
            props["developerMetadata"] = found
        column_meta.append(props)
    r2, c2 = min(r2, rows), min(c2, cols)
    row_data = []
    for r in range(r1, r2):
        values = []
        for c in range(c1, c2):
            cell = sheet.cells.get((r, c))
            if cell is None:
                values.append({})
                continue
            v = {"formattedValue": cell.formatted(), "effectiveValue": cell.effective(),
                 "userEnteredValue": ({"formulaValue": cell.value} if cell.kind == "formula"
                                      else cell.effective())}
            values.append(v)
        while values and values[-1] == {}:
            values.pop()
        row_data.append({"values": values} if values else {})
    while row_data and row_data[-1] == {}:
        row_data.pop()
    data = {"startRow": r1, "startColumn": c1}
    if row_data:
        data["rowData"] = row_data
    if column_meta:
        data["columnMetadata"] = column_meta
    return data


def _on_column(meta: dict, sheet_id: int, col: int) -> bool:
    span = meta["location"].get("dimensionRange")
    return bool(span and span.get("sheetId") == sheet_id and span.get("dimension") == "COLUMNS"
                and span.get("startIndex", 0) <= col < span.get("endIndex", 0))


def get_spreadsheet(book: Spreadsheet, params: dict) -> dict:
    ranges = params.get("ranges", [])
    include = str(params.get("includeGridData", ["false"])[0]).lower() == "true"
    mask = params.get("fields", [None])[0]
    if mask:
        include = "data" in mask or "rowData" in mask
    reply = spreadsheet_json(book, ranges, include)
    return apply_mask(reply, parse_mask(mask)) if mask else reply


STRUCTURAL = ("addSheet", "deleteSheet", "updateSheetProperties", "repeatCell", "updateCells",
              "addConditionalFormatRule", "setDataValidation", "addProtectedRange", "addChart",
              "autoResizeDimensions", "appendDimension", "createDeveloperMetadata",
              "deleteDeveloperMetadata", "insertDimension", "deleteDimension",
              "updateDimensionProperties", "sortRange", "moveDimension", "mergeCells", "unmergeCells")


def batch_update(book: Spreadsheet, body: dict, params: dict | None = None) -> dict:
    """The requests in order; with includeSpreadsheetInResponse, the spreadsheet as it is
    right after them (grid data when responseIncludeGridData, or when a `fields` mask on
    the call names it), as `updatedSpreadsheet`."""
    replies = []
    for req in body.get("requests", []):
        if len(req) != 1 or next(iter(req)) not in STRUCTURAL:
            raise bad_request(f"Invalid requests[{len(replies)}]: unknown request {list(req)}")
        kind, args = next(iter(req.items()))
        replies.append(_structural(book, kind, args))
    book.touch()
    reply = {"spreadsheetId": book.id, "replies": replies}
    if body.get("includeSpreadsheetInResponse"):
        mask = (params or {}).get("fields", [None])[0]
        include = ("data" in mask or "rowData" in mask) if mask else bool(body.get("responseIncludeGridData"))
        reply["updatedSpreadsheet"] = spreadsheet_json(book, body.get("responseRanges", []), include)
    return apply_mask(reply, parse_mask(mask)) if body.get("includeSpreadsheetInResponse") and mask else reply


def _structural(book: Spreadsheet, kind: str, args: dict) -> dict:
    if kind == "addSheet":
        props = args.get("properties", {})
        title = props.get("title") or f"Sheet{len(book.sheets) + 1}"
        if book.sheet(title):
            raise bad_request(f'Invalid requests[0].addSheet: A sheet with the name "{title}" '
                              "already exists. Please enter another name.")
        grid = props.get("gridProperties", {})
        sheet = book.add_sheet(title, grid.get("rowCount", 1000), grid.get("columnCount", 26),
                               props.get("sheetId"))
        return {"addSheet": {"properties": sheet.properties()}}
    if kind == "deleteSheet":
        sheet = _sheet_by_id(book, args.get("sheetId"))
        book.sheets.remove(sheet)
        book.metadata = [m for m in book.metadata if _sheet_of(m) != sheet.sheet_id]
        return {}
    if kind == "createDeveloperMetadata":
        return {"createDeveloperMetadata": {"developerMetadata": _create_metadata(book, args)}}
    if kind == "deleteDeveloperMetadata":
        lookup = args.get("dataFilter", {}).get("developerMetadataLookup", {})
        gone = [m for m in book.metadata if all(m.get(k) == v for k, v in lookup.items()
                                                if k in ("metadataId", "metadataKey", "metadataValue"))]
        book.metadata = [m for m in book.metadata if m not in gone]
        return {"deleteDeveloperMetadata": {"deletedDeveloperMetadata": gone}}
    if kind == "sortRange":
        _sort_range(book, args)
        return {}
    if kind == "moveDimension":
        _move_dimension(book, args)
        return {}
    if kind in ("mergeCells", "unmergeCells"):
        rng = args.get("range", {})
        sheet = _sheet_by_id(book, rng.get("sheetId"))
        key = (rng.get("startRowIndex", 0), rng.get("endRowIndex", sheet.rows),
               rng.get("startColumnIndex", 0), rng.get("endColumnIndex", sheet.cols))
        merges = sheet.__dict__.setdefault("merges", [])
        if kind == "mergeCells":
            merges.append(key)
        else:
            sheet.merges = [m for m in merges if not (m[0] >= key[0] and m[1] <= key[1]
                                                      and m[2] >= key[2] and m[3] <= key[3])]
        return {}
    if kind in ("insertDimension", "deleteDimension"):
        span = args.get("range", {})
        sheet = _sheet_by_id(book, span.get("sheetId"))
        start, end, dim = span.get("startIndex", 0), span.get("endIndex", 0), span.get("dimension")
        if dim not in ("ROWS", "COLUMNS") or end <= start:
            raise bad_request(f"Invalid requests[0].{kind}: invalid range")
        sheet.move(dim, start, end, kind == "insertDimension")
        _move_metadata(book, sheet.sheet_id, dim, start, end, kind == "insertDimension")
        return {}
    if kind == "updateSheetProperties":
        props = args.get("properties", {})
        sheet = _sheet_by_id(book, props.get("sheetId"))
        if "title" in props:
            sheet.title = props["title"]
        grid = props.get("gridProperties", {})
        sheet.rows = grid.get("rowCount", sheet.rows)
        sheet.cols = grid.get("columnCount", sheet.cols)
        sheet.frozen_rows = grid.get("frozenRowCount", sheet.frozen_rows)
        return {}
    if kind == "appendDimension":
        sheet = _sheet_by_id(book, args.get("sheetId"))
        if args.get("dimension") == "COLUMNS":
            sheet.cols += int(args.get("length", 0))
        else:
            sheet.rows += int(args.get("length", 0))
        return {}
    if kind == "updateCells" and "start" in args:
        _update_cells(_sheet_by_id(book, args["start"].get("sheetId")), args)
        return {}
    book.requests.append({kind: args})        # formats, rules, charts: stored, not rendered
    if kind == "addChart":
        chart = {"chartId": len(book.requests), **args.get("chart", {})}
        anchor = (chart.get("position", {}).get("overlayPosition", {}).get("anchorCell", {})
                  .get("sheetId"))
        (book.sheet_by_id(anchor) or book.sheets[0]).charts.append(chart)
        return {"addChart": {"chart": chart}}
    return {}


def _update_cells(sheet: Sheet, args: dict) -> None:
    """updateCells from a start cell: userEnteredValue only (stringValue is never parsed,
    like RAW); cells outside the grid are refused as Google refuses them."""
    start = args["start"]
    r0, c0 = start.get("rowIndex", 0), start.get("columnIndex", 0)
    for dr, row in enumerate(args.get("rows", [])):
        for dc, value in enumerate(row.get("values", [])):
            r, c = r0 + dr, c0 + dc
            if r >= sheet.rows or c >= sheet.cols:
                raise bad_request(f"Invalid requests[0].updateCells: GridCoordinate is outside"
                                  f" the grid of sheet {sheet.sheet_id}")
            entered = value.get("userEnteredValue", {})
            if "formulaValue" in entered:
                cell = user_entered_cell(entered["formulaValue"])
            else:
                cell = raw_cell(entered.get("stringValue", entered.get("numberValue",
                                                                       entered.get("boolValue"))))
            if cell is None:
                sheet.cells.pop((r, c), None)
            else:
                sheet.cells[(r, c)] = cell


def _sheet_by_id(book: Spreadsheet, sheet_id) -> Sheet:
    sheet = book.sheet_by_id(sheet_id)
    if sheet is None:
        raise bad_request(f"Invalid requests[0]: No grid with id: {sheet_id}")
    return sheet


def _sheet_of(meta: dict):
    loc = meta["location"]
    return loc.get("sheetId", loc.get("dimensionRange", {}).get("sheetId"))


def _create_metadata(book: Spreadsheet, args: dict) -> dict:
    """Developer metadata on the spreadsheet, a sheet, or rows/columns, as Google keeps
    it: with a metadataId, and a location that moves with its rows or columns."""
    meta = dict(args.get("developerMetadata", {}))
    if not meta.get("metadataKey"):
        raise bad_request("Invalid requests[0].createDeveloperMetadata: metadataKey is required")
    if meta.get("visibility") not in ("DOCUMENT", "PROJECT"):
        raise bad_request("Invalid requests[0].createDeveloperMetadata: visibility must be set")
    loc = meta.get("location", {})
    if "sheetId" in loc:
        _sheet_by_id(book, loc["sheetId"])
        location = {"locationType": "SHEET", "sheetId": loc["sheetId"]}
    elif "dimensionRange" in loc:
        span = loc["dimensionRange"]
        sheet = _sheet_by_id(book, span.get("sheetId"))
        limit = sheet.cols if span.get("dimension") == "COLUMNS" else sheet.rows
        if not 0 <= span.get("startIndex", 0) < span.get("endIndex", 0) <= limit:
            raise bad_request("Invalid requests[0].createDeveloperMetadata: range outside the grid")
        location = {"locationType": "COLUMN" if span.get("dimension") == "COLUMNS" else "ROW",
                    "dimensionRange": dict(span)}
    elif loc.get("spreadsheet"):
        location = {"locationType": "SPREADSHEET", "spreadsheet": True}
    else:
        raise bad_request("Invalid requests[0].createDeveloperMetadata: location is required")
    used = {m["metadataId"] for m in book.metadata}
    meta_id = meta.get("metadataId") or max(used | {0}) + 1
    if meta_id in used:
        raise bad_request(f"Invalid requests[0].createDeveloperMetadata: metadataId {meta_id} exists")
    meta.update({"metadataId": meta_id, "location": location})
    book.metadata.append(meta)
    return meta


def _move_metadata(book: Spreadsheet, sheet_id: int, dim: str, start: int, end: int,
                   inserted: bool) -> None:
    n, kept = end - start, []
    for m in book.metadata:
        span = m["location"].get("dimensionRange")
        if not span or span.get("sheetId") != sheet_id or span.get("dimension") != dim:
            kept.append(m)
            continue
        a, b = span["startIndex"], span["endIndex"]
        if inserted:
            a, b = (a + n if a >= start else a), (b + n if b > start else b)
        else:
            cut = lambda i: i - min(max(i - start, 0), n)
            a, b = cut(a), cut(b)
        if b > a:                  # metadata on deleted columns goes with them
            span["startIndex"], span["endIndex"] = a, b
            kept.append(m)
    book.metadata = kept


def _sort_range(book: Spreadsheet, args: dict) -> None:
    """sortRange: the rows of the range reordered by its sortSpecs (blank cells last, as
    Google sorts), cells outside the range left where they are."""
    rng = args.get("range", {})
    sheet = _sheet_by_id(book, rng.get("sheetId"))
    r1, r2 = rng.get("startRowIndex", 0), rng.get("endRowIndex", sheet.extent()[0])
    c1, c2 = rng.get("startColumnIndex", 0), rng.get("endColumnIndex", sheet.cols)
    rows = [{c: sheet.cells.get((r, c)) for c in range(c1, c2)} for r in range(r1, r2)]

    def key_of(spec):
        col, desc = spec.get("dimensionIndex", 0), spec.get("sortOrder", "ASCENDING") == "DESCENDING"

        def key(row):
            cell = row.get(col)
            if cell is None:
                return (1, 0, "")             # blanks last, either order
            v = cell.unformatted()
            number = isinstance(v, (int, float)) and not isinstance(v, bool)
            return (0, 0 if number else 1, v if number else str(v).lower())
        return key, desc
    for spec in reversed(args.get("sortSpecs", [{"dimensionIndex": c1}])):
        key, desc = key_of(spec)
        filled = [r for r in rows if key(r)[0] == 0]
        blank = [r for r in rows if key(r)[0] == 1]
        rows = sorted(filled, key=key, reverse=desc) + blank
    for dr, row in enumerate(rows):
        for c, cell in row.items():
            if cell is None:
                sheet.cells.pop((r1 + dr, c), None)
            else:
                sheet.cells[(r1 + dr, c)] = cell


def _move_dimension(book: Spreadsheet, args: dict) -> None:
    """moveDimension: rows or columns [start, end) moved to before destinationIndex (an
    index in the grid as it was), their developer metadata with them."""
    src = args.get("source", {})
    sheet = _sheet_by_id(book, src.get("sheetId"))
    dim, start, end = src.get("dimension"), src.get("startIndex", 0), src.get("endIndex", 0)
    dest = args.get("destinationIndex", 0)
    axis = 0 if dim == "ROWS" else 1
    size = sheet.rows if axis == 0 else sheet.cols
    order = list(range(size))
    block = order[start:end]
    rest = order[:start] + order[end:]
    at = dest - (end - start) if dest > start else dest
    new_order = rest[:at] + block + rest[at:]
    where = {old: new for new, old in enumerate(new_order)}
    sheet.cells = {((where[r], c) if axis == 0 else (r, where[c])): cell for (r, c), cell in sheet.cells.items()}
    for m in book.metadata:
        span = m["location"].get("dimensionRange")
        if span and span.get("sheetId") == sheet.sheet_id and span.get("dimension") == dim:
            span["startIndex"] = where[span["startIndex"]]
            span["endIndex"] = where[span["endIndex"] - 1] + 1
