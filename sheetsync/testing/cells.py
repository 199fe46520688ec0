"""CellData: what updateCells and repeatCell write, and what grid data reads back.

A cell is its value (Sheet.cells), its note, its userEnteredFormat and its data
validation (Sheet.notes / formats / validations). Writes go through a `fields` mask as
Google's do: a masked field missing from the CellData is cleared.
"""
from __future__ import annotations

import copy
import json

from sheetsync.testing.errors import bad_request
from sheetsync.testing.fieldmask import parse_mask
from sheetsync.testing.store import Cell, Sheet, Spreadsheet, raw_cell, user_entered_cell

# the spreadsheet's defaultFormat in every recorded spreadsheets.get (gspread's
# cassettes, e.g. WorksheetTest.test_get_notes.json); effectiveFormat starts from it
DEFAULT_FORMAT = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {"foregroundColor": {}, "fontFamily": "arial,sans,sans-serif", "fontSize": 10,
                   "bold": False, "italic": False, "strikethrough": False, "underline": False,
                   "foregroundColorStyle": {"rgbColor": {}}},
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}
CELL_FIELDS = ("userEnteredValue", "note", "userEnteredFormat", "dataValidation")
IGNORED_FIELDS = ("textFormatRuns", "hyperlink", "pivotTable")     # accepted, not kept
READ_ONLY_FIELDS = ("effectiveValue", "formattedValue", "effectiveFormat")


def sheet_by_id(book: Spreadsheet, sheet_id) -> Sheet:
    sheet = book.sheet_by_id(sheet_id or 0)         # an omitted sheetId is 0
    if sheet is None:
        raise bad_request(f"Invalid requests[0]: No grid with id: {sheet_id or 0}")
    return sheet


def bounds(sheet: Sheet, grid: dict) -> tuple[int, int, int, int]:
    """A GridRange's (r1, r2, c1, c2), open ends at the grid's edge, checked against it."""
    r1, c1 = grid.get("startRowIndex") or 0, grid.get("startColumnIndex") or 0
    r2 = sheet.rows if grid.get("endRowIndex") is None else grid["endRowIndex"]
    c2 = sheet.cols if grid.get("endColumnIndex") is None else grid["endColumnIndex"]
    if r1 < 0 or c1 < 0 or r2 > sheet.rows or c2 > sheet.cols:
        raise bad_request(f"Range ('{sheet.title}'!R{r1 + 1}C{c1 + 1}:R{r2}C{c2}) exceeds grid limits."
                          f" Max rows: {sheet.rows}, max columns: {sheet.cols}")
    if r2 < r1 or c2 < c1:
        raise bad_request("The start index of the range must be less than or equal to the end index.")
    return r1, r2, c1, c2


def grid_range_json(sheet_id: int, r1=None, r2=None, c1=None, c2=None) -> dict:
    """A GridRange as Google echoes it: sheetId 0 is left out (a proto3 default), the
    indexes are kept even at 0 (CellTest.test_define_named_range.json)."""
    out = {} if not sheet_id else {"sheetId": sheet_id}
    for key, value in (("startRowIndex", r1), ("endRowIndex", r2),
                       ("startColumnIndex", c1), ("endColumnIndex", c2)):
        if value is not None:
            out[key] = value
    return out


def clean_grid_range(grid: dict) -> dict:
    return grid_range_json(grid.get("sheetId") or 0, grid.get("startRowIndex"), grid.get("endRowIndex"),
                           grid.get("startColumnIndex"), grid.get("endColumnIndex"))


# ---- writing ----------------------------------------------------------------------------
def field_paths(mask: str | None, kind: str) -> list[tuple[str, ...]]:
    """'userEnteredFormat(textFormat,wrapStrategy),note' -> [(uEF, textFormat), (uEF, wrap..), (note,)]."""
    if not mask:
        raise bad_request(f"Invalid requests[0].{kind}: At least one field must be specified in 'fields'.")
    if mask.strip() == "*":
        return [(name,) for name in CELL_FIELDS]
    paths: list[tuple[str, ...]] = []

    def walk(tree, prefix):
        for name, sub in tree.items():
            if sub:
                walk(sub, prefix + (name,))
            else:
                paths.append(prefix + (name,))
    walk(parse_mask(mask), ())
    for path in paths:
        if path[0] in READ_ONLY_FIELDS:
            raise bad_request(f"Invalid requests[0].{kind}: {path[0]} is read-only and cannot be set.")
        if path[0] not in CELL_FIELDS + IGNORED_FIELDS:
            raise bad_request(f"Invalid requests[0].{kind}: Invalid field mask: '{'.'.join(path)}'"
                              " is not a field of CellData.")
    return paths


_KEYS: dict[tuple[int, int], tuple[int, int]] = {}


def write_cell(sheet: Sheet, key: tuple[int, int], data: dict, paths) -> None:
    # one (row, col) tuple for every sheet's cell there: a whole column formatted in a
    # thousand sheets keeps a thousand dict entries, not a thousand tuples more
    key = _KEYS.setdefault(key, key) if len(_KEYS) < 1_000_000 else key
    for path in paths:
        top = path[0]
        if top == "userEnteredValue":
            _write_value(sheet, key, data.get("userEnteredValue") or {})
        elif top == "note":
            note = data.get("note")
            if note:
                sheet.notes[key] = note
            else:
                sheet.notes.pop(key, None)        # an empty note clears it (gspread's clear_note)
        elif top == "userEnteredFormat":
            _write_format(sheet, key, data.get("userEnteredFormat"), path[1:])
        elif top == "dataValidation":
            rule = data.get("dataValidation")
            if rule:
                sheet.validations[key] = copy.deepcopy(rule)
            else:
                sheet.validations.pop(key, None)


def _write_value(sheet: Sheet, key, entered: dict) -> None:
    if "formulaValue" in entered:
        cell = user_entered_cell(entered["formulaValue"])
    else:                    # a stringValue is never parsed, as with RAW
        cell = raw_cell(entered.get("stringValue", entered.get("numberValue", entered.get("boolValue"))))
    if cell is None:
        sheet.cells.pop(key, None)
    else:
        sheet.cells[key] = cell


def _write_format(sheet: Sheet, key, given: dict | None, sub: tuple[str, ...]) -> None:
    current = copy.deepcopy(sheet.formats.get(key, {}))
    if not sub:
        current = copy.deepcopy(given or {})
    else:
        value = _get(given or {}, sub)
        if value is None:
            _delete(current, sub)
        else:
            _set(current, sub, copy.deepcopy(value))
    current = with_color_styles(current)
    if current:
        sheet.formats[key] = shared(current)
    else:
        sheet.formats.pop(key, None)


_SHARED: dict[str, dict] = {}


def shared(fmt: dict) -> dict:
    """One stored dict for each distinct format: a repeatCell over a thousand rows keeps
    one format, not a thousand copies (a layer's items are replaced, never changed in
    place, so sharing them is safe)."""
    key = json.dumps(fmt, sort_keys=True)
    if len(_SHARED) > 50_000:        # a test that writes endless distinct formats
        _SHARED.clear()
    return _SHARED.setdefault(key, fmt)


def with_color_styles(fmt: dict) -> dict:
    """Google keeps a colour and its colour style in step: a format written with
    backgroundColor reads back with backgroundColorStyle.rgbColor as well, and
    textFormat.foregroundColor with foregroundColorStyle (WorksheetTest.test_format.json)."""
    _pair(fmt, "backgroundColor", "backgroundColorStyle")
    if isinstance(fmt.get("textFormat"), dict):
        _pair(fmt["textFormat"], "foregroundColor", "foregroundColorStyle")
    return fmt


def _pair(holder: dict, color: str, style: str) -> None:
    if color in holder and style not in holder:
        holder[style] = {"rgbColor": copy.deepcopy(holder[color])}
    elif style in holder and color not in holder and "rgbColor" in (holder[style] or {}):
        holder[color] = copy.deepcopy(holder[style]["rgbColor"])


def _get(tree: dict, path):
    for name in path:
        if not isinstance(tree, dict) or name not in tree:
            return None
        tree = tree[name]
    return tree


def _set(tree: dict, path, value) -> None:
    for name in path[:-1]:
        tree = tree.setdefault(name, {})
    tree[path[-1]] = value
    if path[-1] in ("backgroundColor", "foregroundColor"):     # the style follows the colour
        tree.pop(path[-1] + "Style", None)
    elif path[-1] in ("backgroundColorStyle", "foregroundColorStyle"):
        tree.pop(path[-1][:-len("Style")], None)


def _delete(tree: dict, path) -> None:
    parents = []
    for name in path[:-1]:
        if name not in tree:
            return
        parents.append((tree, name))
        tree = tree[name]
    tree.pop(path[-1], None)
    for parent, name in reversed(parents):      # drop what the delete left empty
        if not parent[name]:
            del parent[name]


# ---- reading ----------------------------------------------------------------------------
CELL_PARTS = frozenset({"userEnteredValue", "effectiveValue", "formattedValue", "userEnteredFormat",
                        "effectiveFormat", "note", "dataValidation"})


def cell_json(sheet: Sheet, key: tuple[int, int], parts: frozenset = CELL_PARTS) -> dict:
    """CellData as spreadsheets.get?includeGridData=true gives it; {} for an empty cell.
    `parts`: the fields a `fields` mask keeps (the others would be masked away, so they
    are not worked out: a read of formattedValue over a big sheet stays cheap)."""
    cell, fmt = sheet.cells.get(key), sheet.formats.get(key)
    out: dict = {}
    if cell is not None:
        if "userEnteredValue" in parts:
            out["userEnteredValue"] = ({"formulaValue": cell.value} if cell.kind == "formula"
                                       else cell.effective())
        if "effectiveValue" in parts:
            out["effectiveValue"] = cell.effective()
        if "formattedValue" in parts:
            out["formattedValue"] = cell.formatted()
    if fmt and "userEnteredFormat" in parts:
        out["userEnteredFormat"] = copy.deepcopy(fmt)
    if (cell is not None or fmt) and "effectiveFormat" in parts:
        out["effectiveFormat"] = effective_format(cell, fmt or {})
    if key in sheet.notes and "note" in parts:
        out["note"] = sheet.notes[key]
    if key in sheet.validations and "dataValidation" in parts:
        out["dataValidation"] = copy.deepcopy(sheet.validations[key])
    return out


def masked_cell_parts(mask: dict) -> frozenset:
    """The CellData fields a parsed `fields` mask of spreadsheets.get keeps: all of them
    unless it names sheets.data.rowData.values(...); none when it names data without rowData."""
    node = mask
    for name in ("sheets", "data", "rowData", "values"):
        if not node or "*" in node:
            return CELL_PARTS
        if name not in node:
            return frozenset()
        node = node[name]
    return CELL_PARTS if not node or "*" in node else CELL_PARTS & frozenset(node)


def effective_format(cell: Cell | None, fmt: dict) -> dict:
    """The default format under the cell's own; a value brings the alignment Sheets
    gives its kind and the PLAIN_TEXT hyperlink display (the shape of recorded grid data)."""
    out = _merge(copy.deepcopy(DEFAULT_FORMAT), copy.deepcopy(fmt))
    if cell is not None:
        if cell.kind == "date" and "numberFormat" not in fmt:
            out["numberFormat"] = {"type": "DATE", "pattern": "yyyy-mm-dd"}
        out.setdefault("horizontalAlignment", {"number": "RIGHT", "date": "RIGHT", "bool": "CENTER"}
                       .get(cell.kind, "LEFT"))
        out["hyperlinkDisplayType"] = "PLAIN_TEXT"
    return out


def _merge(base: dict, over: dict) -> dict:
    """`over` on `base`; textFormat and padding merge field by field, a colour replaces."""
    for name, value in over.items():
        if name in ("textFormat", "padding") and isinstance(value, dict):
            base[name] = {**base.get(name, {}), **value}
        else:
            base[name] = value
    return base


def content_extent(sheet: Sheet) -> tuple[int, int]:
    """(rows, cols) holding a value, note, format or validation."""
    keys = [k for layer in sheet.layers() for k in layer]
    if not keys:
        return 0, 0
    return max(r for r, _ in keys) + 1, max(c for _, c in keys) + 1


def trim_grid(reply: dict) -> dict:
    """Grid data as Google sends it, after the `fields` mask: trailing empty cells and
    trailing empty rows left out, a middle one kept as {} (WorksheetTest.test_get_notes.json)."""
    for sheet in reply.get("sheets", []) if isinstance(reply, dict) else []:
        for data in sheet.get("data", []):
            rows = data.get("rowData")
            if rows is None:
                continue
            for row in rows:
                values = row.get("values")
                if values is not None:
                    while values and values[-1] == {}:
                        values.pop()
                    if not values:
                        del row["values"]
            while rows and rows[-1] == {}:
                rows.pop()
            if not rows:
                del data["rowData"]
    return reply
