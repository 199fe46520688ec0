"""The Sheets v4 endpoints of the fake: spreadsheets.get, values.*, batchUpdate."""
from __future__ import annotations

import copy
import re

from sheetsync.testing import data_filters, range_requests, sheet_requests
from sheetsync.testing.cells import (CELL_PARTS, DEFAULT_FORMAT, cell_json, clean_grid_range, content_extent,
                                     masked_cell_parts, trim_grid)
from sheetsync.testing.cells import sheet_by_id as _sheet_by_id
from sheetsync.testing.errors import ApiError, bad_request
from sheetsync.testing.fieldmask import apply_mask, parse_mask
from sheetsync.testing.ranges import GridRange
from sheetsync.testing.shifts import shift_ranges
from sheetsync.testing.store import Sheet, Spreadsheet
from sheetsync.testing.values_api import (_resolve, append_values, as_rows, clear_values, read_values, resolve,
                                          values_batch_get, values_get, write_values)

# fake.py and others reach these through this module
__all__ = ["ApiError", "bad_request", "read_values", "write_values", "clear_values", "append_values", "as_rows",
           "resolve", "values_get", "values_batch_get", "search_developer_metadata",
           "batch_get_by_data_filter", "copy_sheet_to"]
search_developer_metadata = data_filters.search_metadata
batch_get_by_data_filter = data_filters.batch_get_by_data_filter
copy_sheet_to = sheet_requests.copy_sheet_to

def spreadsheet_json(book: Spreadsheet, ranges: list[str], include_grid: bool,
                     parts: frozenset = CELL_PARTS) -> dict:
    sheets = []
    wanted: dict[str, list[GridRange]] = {}
    for spec in ranges:
        sheet, rng = _resolve(book, spec)
        wanted.setdefault(sheet.title, []).append(rng)
    for sheet in book.sheets:
        if ranges and sheet.title not in wanted and include_grid:
            continue
        sheets.append(_sheet_json(book, sheet, wanted.get(sheet.title) if include_grid else None,
                                  include_grid, parts))
    reply = {"spreadsheetId": book.id,
             "properties": {"title": book.title, "locale": book.locale, "autoRecalc": "ON_CHANGE",
                            "timeZone": book.time_zone, "defaultFormat": copy.deepcopy(DEFAULT_FORMAT)},
             "sheets": sheets}
    if book.named_ranges:
        reply["namedRanges"] = copy.deepcopy(book.named_ranges)
    reply["spreadsheetUrl"] = f"https://docs.google.com/spreadsheets/d/{book.id}/edit"
    return reply


def _sheet_json(book: Spreadsheet, sheet: Sheet, ranges: list[GridRange] | None, include_grid: bool,
                parts: frozenset) -> dict:
    """A Sheet as spreadsheets.get gives it; the optional parts only when set."""
    entry = {"properties": sheet.properties()}
    merges = getattr(sheet, "merges", [])
    if merges:
        entry["merges"] = [clean_grid_range({"sheetId": sheet.sheet_id, "startRowIndex": m[0], "endRowIndex": m[1],
                                             "startColumnIndex": m[2], "endColumnIndex": m[3]}) for m in merges]
    if sheet.basic_filter:
        entry["basicFilter"] = copy.deepcopy(sheet.basic_filter)
    if sheet.charts:
        entry["charts"] = sheet.charts
    if sheet.conditional_formats:
        entry["conditionalFormats"] = copy.deepcopy(sheet.conditional_formats)
    if sheet.protected_ranges:
        entry["protectedRanges"] = copy.deepcopy(sheet.protected_ranges)
    on_sheet = [m for m in book.metadata if m["location"].get("sheetId") == sheet.sheet_id]
    if on_sheet:
        entry["developerMetadata"] = on_sheet
    for dim, name in (("ROWS", "rowGroups"), ("COLUMNS", "columnGroups")):
        groups = sheet.dimension_groups(dim)
        if groups:
            entry[name] = groups
    if include_grid:
        entry["data"] = [_grid_data(sheet, rng, book.metadata, parts) for rng in
                         ranges or [GridRange(sheet.title, None, None, None, None)]]
    return entry


def _grid_data(sheet: Sheet, rng: GridRange, metadata=(), parts: frozenset = CELL_PARTS) -> dict:
    """GridData: every cell holding anything, {} for an empty one; trailing empties are
    trimmed by trim_grid once the `fields` mask is applied."""
    rows, cols = content_extent(sheet)
    r1, c1, r2, c2 = rng.bounded(sheet.rows, sheet.cols)
    column_meta = []
    for c in range(c1, min(c2, sheet.cols)):     # every column of the range, as Google does
        props = {"pixelSize": sheet.pixel_sizes.get(("COLUMNS", c), 100)}
        found = [m for m in metadata if _on_column(m, sheet.sheet_id, c)]
        if found:
            props["developerMetadata"] = found
        column_meta.append(props)
    r2, c2 = min(r2, rows), min(c2, cols)
    row_data = [{"values": [cell_json(sheet, (r, c), parts) for c in range(c1, c2)]}
                for r in range(r1, r2)] if parts else []
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
    if not mask:
        return trim_grid(spreadsheet_json(book, ranges, include))
    tree = parse_mask(mask)
    # includeGridData is ignored once a mask is set: the mask says whether grid data comes
    # ("sheets" alone selects all of a sheet, its data too)
    sheets = tree.get("sheets")
    include = "*" in tree or (sheets is not None and (not sheets or "*" in sheets or "data" in sheets))
    reply = spreadsheet_json(book, ranges, include, masked_cell_parts(tree))
    return trim_grid(apply_mask(reply, tree))


HANDLERS = {**sheet_requests.HANDLERS, **range_requests.HANDLERS}
KNOWN = ("addSheet", "deleteSheet", "addChart",
         "appendDimension", "createDeveloperMetadata", "deleteDeveloperMetadata", "insertDimension",
         "deleteDimension", "sortRange", "moveDimension", "mergeCells", "unmergeCells", *HANDLERS)
# kept in book.requests as sent, for tests that look at what was asked for
STORED_AS_SENT = ("repeatCell", "addConditionalFormatRule", "setDataValidation", "addProtectedRange",
                  "addChart", "autoResizeDimensions", "updateDimensionProperties")


def batch_update(book: Spreadsheet, body: dict, params: dict | None = None) -> dict:
    """The requests in order, all or none: a request that fails leaves the spreadsheet
    as it was, as Google's batchUpdate does. With includeSpreadsheetInResponse, the
    spreadsheet as it is right after them (grid data when responseIncludeGridData, or
    when a `fields` mask on the call names it), as `updatedSpreadsheet`."""
    replies = []
    before = _snapshot(book)
    try:
        for i, req in enumerate(body.get("requests", [])):
            if not isinstance(req, dict) or len(req) != 1 or next(iter(req)) not in KNOWN:
                raise bad_request(f"Invalid requests[{i}]: unknown request {list(req)}")
            kind, args = next(iter(req.items()))
            try:
                replies.append(_structural(book, kind, args or {}))
            except ApiError as e:
                e.message = _for_request(e.message, i, kind)
                raise
    except ApiError:
        _restore(book, before)
        raise
    book.touch()
    reply = {"spreadsheetId": book.id, "replies": replies}
    if body.get("includeSpreadsheetInResponse"):
        mask = (params or {}).get("fields", [None])[0]
        include = ("data" in mask or "rowData" in mask) if mask else bool(body.get("responseIncludeGridData"))
        reply["updatedSpreadsheet"] = spreadsheet_json(book, body.get("responseRanges", []), include)
        if mask:
            reply = apply_mask(reply, parse_mask(mask))
        reply = {**reply, **({"updatedSpreadsheet": trim_grid(reply["updatedSpreadsheet"])}
                             if "updatedSpreadsheet" in reply else {})}
    return reply


_LAYERS = ("cells", "notes", "formats", "validations")    # replaced cell by cell, never changed in place
_APPENDED = ("requests",)                                 # only ever appended to


def _snapshot(book: Spreadsheet):
    """Enough of the book to put it back: the big per-cell dicts copied one level deep
    (a deep copy of a large book on every batchUpdate costs too much), the rest deep."""
    book_state = {k: (list(v) if k in _APPENDED else copy.deepcopy(v)) for k, v in vars(book).items()
                  if k not in ("sheets", "version", "modified", "change")}
    sheet_states = [(sheet, {k: (dict(v) if k in _LAYERS else copy.deepcopy(v))
                             for k, v in vars(sheet).items()}) for sheet in book.sheets]
    return book_state, sheet_states


def _restore(book: Spreadsheet, snapshot) -> None:
    book_state, sheet_states = snapshot
    vars(book).update(book_state)
    book.sheets = [sheet for sheet, _ in sheet_states]
    for sheet, state in sheet_states:
        vars(sheet).clear()
        vars(sheet).update(state)


def _for_request(message: str, index: int, kind: str) -> str:
    """'Invalid requests[3].addNamedRange: ...', as Google names the failing request."""
    message = re.sub(r"^Invalid requests\[0\](\.\w+)?:?\s*", "", message)
    return f"Invalid requests[{index}].{kind}: {message}"


def _structural(book: Spreadsheet, kind: str, args: dict) -> dict:
    if kind in STORED_AS_SENT:
        book.requests.append({kind: args})       # formats, rules, charts: stored as sent
    if kind in HANDLERS:
        return HANDLERS[kind](book, args)
    if kind == "addSheet":
        props = args.get("properties", {})
        title = props.get("title") or f"Sheet{len(book.sheets) + 1}"
        if book.sheet(title):
            raise bad_request(f'Invalid requests[0].addSheet: A sheet with the name "{title}" '
                              "already exists. Please enter another name.")
        grid = props.get("gridProperties", {})
        sheet = book.add_sheet(title, grid.get("rowCount", 1000), grid.get("columnCount", 26),
                               props.get("sheetId"))
        sheet.frozen_rows = grid.get("frozenRowCount") or 0
        sheet.frozen_cols = grid.get("frozenColumnCount") or 0
        sheet.hidden = bool(props.get("hidden"))
        if props.get("index") is not None:
            sheet_requests.move_sheet(book, sheet, props["index"])
        return {"addSheet": {"properties": sheet.properties()}}
    if kind == "deleteSheet":
        sheet = _sheet_by_id(book, args.get("sheetId"))
        book.sheets.remove(sheet)
        sheet_requests.reindex(book)
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
        inside = lambda m: m[0] >= key[0] and m[1] <= key[1] and m[2] >= key[2] and m[3] <= key[3]  # noqa: E731
        overlaps = lambda m: m[0] < key[1] and key[0] < m[1] and m[2] < key[3] and key[2] < m[3]  # noqa: E731
        if any(overlaps(m) and not inside(m) for m in merges):
            raise bad_request(f"Invalid requests[0].{kind}: You must select all cells in a merged range"
                              " to merge or unmerge them.")
        sheet.merges = [m for m in merges if not inside(m)]     # merged again: one merge, not two
        if kind == "mergeCells":
            r1, r2, c1, c2 = key
            how = args.get("mergeType", "MERGE_ALL")
            if how == "MERGE_ROWS":          # each row of the range merged on its own
                sheet.merges += [(r, r + 1, c1, c2) for r in range(r1, r2)]
            elif how == "MERGE_COLUMNS":
                sheet.merges += [(r1, r2, c, c + 1) for c in range(c1, c2)]
            else:
                sheet.merges.append(key)
        return {}
    if kind in ("insertDimension", "deleteDimension"):
        span = args.get("range", {})
        sheet = _sheet_by_id(book, span.get("sheetId"))
        start, end, dim = span.get("startIndex", 0), span.get("endIndex", 0), span.get("dimension")
        if dim not in ("ROWS", "COLUMNS") or end <= start:
            raise bad_request(f"Invalid requests[0].{kind}: invalid range")
        size = sheet.rows if dim == "ROWS" else sheet.cols
        if kind == "insertDimension" and (start > size or (start == size and not args.get("inheritFromBefore"))):
            raise bad_request(f"Invalid requests[0].insertDimension: range.startIndex must be less than"
                              f" the grid size ({size}) if inheritFromBefore is false.")
        sheet.move(dim, start, end, kind == "insertDimension")
        shift_ranges(book, sheet, dim, start, end, kind == "insertDimension")
        return {}
    if kind == "appendDimension":
        sheet = _sheet_by_id(book, args.get("sheetId"))
        if args.get("dimension") == "COLUMNS":
            sheet.cols += int(args.get("length", 0))
        else:
            sheet.rows += int(args.get("length", 0))
        return {}
    if kind == "addChart":
        chart = {"chartId": len(book.requests), **args.get("chart", {})}
        anchor = (chart.get("position", {}).get("overlayPosition", {}).get("anchorCell", {})
                  .get("sheetId"))
        (book.sheet_by_id(anchor) or book.sheets[0]).charts.append(chart)
        return {"addChart": {"chart": chart}}
    return {}


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


def _sort_range(book: Spreadsheet, args: dict) -> None:
    """sortRange: the rows of the range reordered by its sortSpecs (blank cells last, as
    Google sorts), cells outside the range left where they are."""
    rng = args.get("range", {})
    sheet = _sheet_by_id(book, rng.get("sheetId"))
    r1, r2 = rng.get("startRowIndex", 0), rng.get("endRowIndex", sheet.extent()[0])
    c1, c2 = rng.get("startColumnIndex", 0), rng.get("endColumnIndex", sheet.cols)
    rows = list(range(r1, r2))             # row numbers, in their new order once sorted

    def key_of(spec):
        col, desc = spec.get("dimensionIndex", 0), spec.get("sortOrder", "ASCENDING") == "DESCENDING"

        def key(row):
            cell = sheet.cells.get((row, col))
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
    moved_to = {old: r1 + new for new, old in enumerate(rows)}
    sheet.remap(lambda k: (moved_to[k[0]], k[1]) if k[0] in moved_to and c1 <= k[1] < c2 else k)


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
    sheet.remap(lambda k: (where[k[0]], k[1]) if axis == 0 else (k[0], where[k[1]]))
    for m in book.metadata:
        span = m["location"].get("dimensionRange")
        if span and span.get("sheetId") == sheet.sheet_id and span.get("dimension") == dim:
            span["startIndex"] = where[span["startIndex"]]
            span["endIndex"] = where[span["endIndex"] - 1] + 1
