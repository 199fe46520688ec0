"""batchUpdate requests over ranges: findReplace, copyPaste / cutPaste, dimension
sizes and groups, the basic filter. Handlers as in sheet_requests: (book, args) -> reply."""
from __future__ import annotations

import copy
import re

from sheetsync.testing.cells import bounds, clean_grid_range, sheet_by_id
from sheetsync.testing.errors import bad_request
from sheetsync.testing.store import Cell, Sheet, Spreadsheet, raw_cell, user_entered_cell


# ---- findReplace ------------------------------------------------------------------------
def find_replace(book: Spreadsheet, args: dict) -> dict:
    """Replace in each cell's text (a formula's own text with includeFormulas, else
    formula cells are skipped). The reply counts what changed; Google leaves zero counts
    out, so nothing found is {"findReplace": {}}."""
    find = args.get("find")
    if not find:
        raise bad_request("find must not be empty.")
    scopes = [k for k in ("range", "sheetId") if args.get(k) is not None] + \
        (["allSheets"] if args.get("allSheets") is True else [])
    if len(scopes) != 1:
        raise bad_request("Exactly one of range, sheetId or allSheets must be set.")
    flags = 0 if args.get("matchCase") else re.IGNORECASE
    try:
        pattern = re.compile(find if args.get("searchByRegex") else re.escape(find), flags)
    except re.error as e:
        raise bad_request(f"Invalid regular expression '{find}': {e}") from None
    replacement = args.get("replacement") or ""
    if args.get("searchByRegex"):                 # Java's $1 is Python's \1
        replacement = re.sub(r"\$(\d+)", r"\\g<\1>", replacement.replace("\\", "\\\\"))
    else:
        replacement = replacement.replace("\\", "\\\\")
    counts = {"valuesChanged": 0, "formulasChanged": 0, "occurrencesChanged": 0}
    rows, sheets = set(), set()
    for sheet, (r1, r2, c1, c2) in _scope(book, args):
        for key in sorted(k for k in sheet.cells if r1 <= k[0] < r2 and c1 <= k[1] < c2):
            cell = sheet.cells[key]
            if cell.kind == "formula" and not args.get("includeFormulas"):
                continue
            text = cell.value if cell.kind == "formula" else cell.formatted()
            if args.get("matchEntireCell"):
                found = 1 if pattern.fullmatch(text) else 0
                new = pattern.sub(replacement, text, count=1) if found else text
            else:
                new, found = pattern.subn(replacement, text)
            if not found:
                continue
            sheet.cells.pop(key)
            replaced = _retyped(cell, new)
            if replaced is not None:
                sheet.cells[key] = replaced
            counts["formulasChanged" if cell.kind == "formula" else "valuesChanged"] += 1
            counts["occurrencesChanged"] += found
            rows.add((sheet.sheet_id, key[0]))
            sheets.add(sheet.sheet_id)
    counts.update(rowsChanged=len(rows), sheetsChanged=len(sheets))
    order = ("valuesChanged", "formulasChanged", "rowsChanged", "sheetsChanged", "occurrencesChanged")
    return {"findReplace": {k: counts[k] for k in order if counts[k]}}


def _scope(book: Spreadsheet, args: dict):
    if args.get("allSheets"):
        return [(s, (0, s.rows, 0, s.cols)) for s in book.sheets]
    if args.get("sheetId") is not None:
        sheet = sheet_by_id(book, args["sheetId"])
        return [(sheet, (0, sheet.rows, 0, sheet.cols))]
    sheet = sheet_by_id(book, args["range"].get("sheetId"))
    return [(sheet, bounds(sheet, args["range"]))]


def _retyped(cell: Cell, text: str) -> Cell | None:
    """Text stays text; a number, date, boolean or formula is read again as typed."""
    if cell.kind == "text":
        return raw_cell(text)
    return user_entered_cell(text)


# ---- copyPaste / cutPaste ---------------------------------------------------------------
PASTE_LAYERS = {            # which of a sheet's layers each pasteType carries
    "PASTE_NORMAL": ("cells", "notes", "formats", "validations"),
    "PASTE_NO_BORDERS": ("cells", "notes", "formats", "validations"),
    "PASTE_VALUES": ("values",), "PASTE_FORMULA": ("cells",), "PASTE_FORMAT": ("formats",),
    "PASTE_DATA_VALIDATION": ("validations",), "PASTE_CONDITIONAL_FORMATTING": (),
}


def _layers_of(paste_type: str | None) -> tuple[str, ...]:
    paste_type = paste_type or "PASTE_NORMAL"
    if paste_type not in PASTE_LAYERS:
        raise bad_request(f"Invalid value at 'requests[0].paste_type'"
                          f" (type.googleapis.com/google.apps.sheets.v4.PasteType), \"{paste_type}\"")
    return PASTE_LAYERS[paste_type]


def _take(sheet: Sheet, r1, r2, c1, c2, layers) -> dict:
    """The block's contents, relative to its top-left corner."""
    block = {}
    for name in ("cells", "notes", "formats", "validations"):
        if name in layers or (name == "cells" and "values" in layers):
            layer = getattr(sheet, name)
            block[name] = {(r - r1, c - c1): copy.deepcopy(item) for (r, c), item in layer.items()
                           if r1 <= r < r2 and c1 <= c < c2}
    return block


def _put(sheet: Sheet, block: dict, height: int, width: int, r0: int, c0: int, layers,
         transpose: bool = False) -> None:
    if transpose:
        height, width = width, height
    if r0 + height > sheet.rows or c0 + width > sheet.cols:
        raise bad_request(f"Range ('{sheet.title}'!R{r0 + 1}C{c0 + 1}:R{r0 + height}C{c0 + width}) exceeds"
                          f" grid limits. Max rows: {sheet.rows}, max columns: {sheet.cols}")
    for name, items in block.items():
        layer = getattr(sheet, name)
        for key in [k for k in layer if r0 <= k[0] < r0 + height and c0 <= k[1] < c0 + width]:
            del layer[key]
        for (dr, dc), item in items.items():
            if transpose:
                dr, dc = dc, dr
            if name == "cells" and "values" in layers and item.kind == "formula":
                item = user_entered_cell(item.shown) if item.shown else None   # its result only
            if name == "formats" and "borders" in item and layers is PASTE_LAYERS["PASTE_NO_BORDERS"]:
                item = {k: v for k, v in item.items() if k != "borders"}
            if item is not None:
                layer[(r0 + dr, c0 + dc)] = item


def copy_paste(book: Spreadsheet, args: dict) -> dict:
    """The source block pasted at the destination's corner, repeated to fill a
    destination that is a whole multiple of it (formulas are copied as written)."""
    layers = _layers_of(args.get("pasteType"))
    transpose = args.get("pasteOrientation", "NORMAL") == "TRANSPOSE"
    src = sheet_by_id(book, (args.get("source") or {}).get("sheetId"))
    r1, r2, c1, c2 = bounds(src, args.get("source") or {})
    dest = sheet_by_id(book, (args.get("destination") or {}).get("sheetId"))
    d1, d2, e1, e2 = bounds(dest, args.get("destination") or {})
    height, width = r2 - r1, c2 - c1
    tall, wide = (width, height) if transpose else (height, width)
    block = _take(src, r1, r2, c1, c2, layers)
    times_down = max(1, (d2 - d1) // tall) if tall and (d2 - d1) % tall == 0 else 1
    times_across = max(1, (e2 - e1) // wide) if wide and (e2 - e1) % wide == 0 else 1
    for i in range(times_down):
        for j in range(times_across):
            _put(dest, block, height, width, d1 + i * tall, e1 + j * wide, layers, transpose)
    return {}


def cut_paste(book: Spreadsheet, args: dict) -> dict:
    layers = _layers_of(args.get("pasteType"))
    src = sheet_by_id(book, (args.get("source") or {}).get("sheetId"))
    r1, r2, c1, c2 = bounds(src, args.get("source") or {})
    to = args.get("destination") or {}
    dest = sheet_by_id(book, to.get("sheetId"))
    block = _take(src, r1, r2, c1, c2, layers)
    for name in block:                                    # a cut leaves the source empty
        layer = getattr(src, name)
        for key in [k for k in layer if r1 <= k[0] < r2 and c1 <= k[1] < c2]:
            del layer[key]
    _put(dest, block, r2 - r1, c2 - c1, to.get("rowIndex") or 0, to.get("columnIndex") or 0, layers)
    return {}


# ---- dimensions -------------------------------------------------------------------------
def _span(book: Spreadsheet, span: dict) -> tuple[Sheet, str, int, int]:
    sheet = sheet_by_id(book, span.get("sheetId"))
    dim = span.get("dimension")
    if dim not in ("ROWS", "COLUMNS"):
        raise bad_request(f"Invalid dimension: {dim}")
    size = sheet.rows if dim == "ROWS" else sheet.cols
    start = span.get("startIndex") or 0
    end = size if span.get("endIndex") is None else span["endIndex"]
    if not 0 <= start < end <= size:
        raise bad_request(f"Invalid dimension range {start}:{end}; the sheet has {size}"
                          f" {dim.lower()}.")
    return sheet, dim, start, end


def auto_resize_dimensions(book: Spreadsheet, args: dict) -> dict:
    """Columns made about as wide as their longest text (7 px a character), rows 21 px:
    what a test can check is that a size was set, not Google's font metrics."""
    spans = [args["dimensions"]] if args.get("dimensions") else []
    if not spans:
        raise bad_request("dimensions must be set.")
    for span in spans:
        sheet, dim, start, end = _span(book, span)
        for i in range(start, end):
            if dim == "COLUMNS":
                texts = [c.formatted() for (r, col), c in sheet.cells.items() if col == i]
                sheet.pixel_sizes[(dim, i)] = max([7 * len(t) + 10 for t in texts] + [21]) if texts else 100
            else:
                sheet.pixel_sizes[(dim, i)] = 21
    return {}


def update_dimension_properties(book: Spreadsheet, args: dict) -> dict:
    sheet, dim, start, end = _span(book, args.get("range") or {})
    props = args.get("properties") or {}
    for i in range(start, end):
        if "pixelSize" in props and "pixelSize" in (args.get("fields") or ""):
            sheet.pixel_sizes[(dim, i)] = props["pixelSize"]
    return {}


def add_dimension_group(book: Spreadsheet, args: dict) -> dict:
    """Groups as depths: a group adds one to each row (column) it covers; the reply
    lists the dimension's groups (WorksheetTest.test_group_rows.json)."""
    sheet, dim, start, end = _span(book, args.get("range") or {})
    depths = sheet.group_depths[dim]
    for i in range(start, end):
        depths[i] = depths.get(i, 0) + 1
    return {"addDimensionGroup": {"dimensionGroups": sheet.dimension_groups(dim)}}


def delete_dimension_group(book: Spreadsheet, args: dict) -> dict:
    """One taken off each covered row (column) of the range; the reply lists what is
    left, and Google leaves an empty list out: {"deleteDimensionGroup": {}}."""
    sheet, dim, start, end = _span(book, args.get("range") or {})
    depths = sheet.group_depths[dim]
    if not any(depths.get(i) for i in range(start, end)):
        raise bad_request(f"No group exists over the range {start}:{end}.")
    for i in range(start, end):
        if depths.get(i):
            depths[i] -= 1
            if not depths[i]:
                del depths[i]
    groups = sheet.dimension_groups(dim)
    return {"deleteDimensionGroup": {"dimensionGroups": groups} if groups else {}}


# ---- the basic filter -------------------------------------------------------------------
def set_basic_filter(book: Spreadsheet, args: dict) -> dict:
    """The sheet's basicFilter, its range given in full as Google keeps it."""
    given = copy.deepcopy(args.get("filter") or {})
    grid = given.get("range") or {}
    sheet = sheet_by_id(book, grid.get("sheetId"))
    r1, r2, c1, c2 = bounds(sheet, grid)
    given["range"] = clean_grid_range({"sheetId": sheet.sheet_id, "startRowIndex": r1, "endRowIndex": r2,
                                       "startColumnIndex": c1, "endColumnIndex": c2})
    sheet.basic_filter = given
    return {}


def clear_basic_filter(book: Spreadsheet, args: dict) -> dict:
    sheet_by_id(book, args.get("sheetId")).basic_filter = None
    return {}


HANDLERS = {
    "findReplace": find_replace, "copyPaste": copy_paste, "cutPaste": cut_paste,
    "autoResizeDimensions": auto_resize_dimensions, "updateDimensionProperties": update_dimension_properties,
    "addDimensionGroup": add_dimension_group, "deleteDimensionGroup": delete_dimension_group,
    "setBasicFilter": set_basic_filter, "clearBasicFilter": clear_basic_filter,
}
