"""batchUpdate requests on cells, sheets, the spreadsheet, named and protected ranges.

Each handler takes (book, args) and returns the request's reply ({} when Google's is
empty). Errors are raised without the 'Invalid requests[i].kind:' prefix where the
message is the handler's own; batch_update adds it.
"""
from __future__ import annotations

import copy
import re
import secrets

import numpy

from sheetsync.testing.cells import bounds, clean_grid_range, field_paths, sheet_by_id, write_cell
from sheetsync.testing.errors import bad_request
from sheetsync.testing.fieldmask import parse_mask
from sheetsync.testing.store import Sheet, Spreadsheet


def _paths(mask: str | None) -> list[tuple[str, ...]]:
    if not mask:
        raise bad_request("At least one field must be specified in 'fields'.")
    if mask.strip() == "*":
        return [("*",)]
    out: list[tuple[str, ...]] = []

    def walk(tree, prefix):
        for name, sub in tree.items():
            if sub:
                walk(sub, prefix + (name,))
            else:
                out.append(prefix + (name,))
    walk(parse_mask(mask), ())
    return out


# ---- cells ------------------------------------------------------------------------------
def update_cells(book: Spreadsheet, args: dict) -> dict:
    """From a start cell, the rows as given; over a range, the cells the rows leave
    uncovered have the masked fields cleared (the reference's UpdateCellsRequest)."""
    paths = field_paths(args.get("fields"), "updateCells")
    rows = args.get("rows") or []
    if ("start" in args) == ("range" in args):
        raise bad_request("Exactly one of 'start' or 'range' must be set.")
    if "start" in args:
        start = args["start"]
        sheet = sheet_by_id(book, start.get("sheetId"))
        r0, c0 = start.get("rowIndex") or 0, start.get("columnIndex") or 0
        for dr, row in enumerate(rows):
            for dc, data in enumerate(row.get("values") or []):
                r, c = r0 + dr, c0 + dc
                if r >= sheet.rows or c >= sheet.cols:
                    raise bad_request(f"GridCoordinate is outside the grid of sheet {sheet.sheet_id}")
                write_cell(sheet, (r, c), data or {}, paths)
        return {}
    sheet = sheet_by_id(book, args["range"].get("sheetId"))
    r1, r2, c1, c2 = bounds(sheet, args["range"])
    for r in range(r1, r2):
        values = (rows[r - r1].get("values") or []) if r - r1 < len(rows) else []
        for c in range(c1, c2):
            data = values[c - c1] if c - c1 < len(values) else {}
            write_cell(sheet, (r, c), data or {}, paths)
    return {}


def repeat_cell(book: Spreadsheet, args: dict) -> dict:
    paths = field_paths(args.get("fields"), "repeatCell")
    grid = args.get("range") or {}
    sheet = sheet_by_id(book, grid.get("sheetId"))
    r1, r2, c1, c2 = bounds(sheet, grid)
    data = args.get("cell") or {}
    for r in range(r1, r2):
        for c in range(c1, c2):
            write_cell(sheet, (r, c), data, paths)
    return {}


def set_data_validation(book: Spreadsheet, args: dict) -> dict:
    """The rule on every cell of the range; no rule clears it."""
    grid = args.get("range") or {}
    sheet = sheet_by_id(book, grid.get("sheetId"))
    r1, r2, c1, c2 = bounds(sheet, grid)
    rule = args.get("rule")
    if rule and not (rule.get("condition") or {}).get("type"):
        raise bad_request("A data validation rule needs a condition with a type.")
    for r in range(r1, r2):
        for c in range(c1, c2):
            write_cell(sheet, (r, c), {"dataValidation": rule}, [("dataValidation",)])
    return {}


# ---- the spreadsheet and its sheets -----------------------------------------------------
def update_spreadsheet_properties(book: Spreadsheet, args: dict) -> dict:
    props = args.get("properties") or {}
    for path in _paths(args.get("fields")):
        names = ("title", "locale", "timeZone") if path == ("*",) else (path[0],)
        for name in names:
            if name == "title":
                if not props.get("title"):
                    raise bad_request("Spreadsheet title cannot be empty.")
                book.title = props["title"]
            elif name == "locale":
                book.locale = props.get("locale") or book.locale
            elif name == "timeZone":
                book.time_zone = props.get("timeZone") or book.time_zone
            elif name not in ("autoRecalc", "defaultFormat", "iterativeCalculationSettings",
                              "spreadsheetTheme"):
                raise bad_request(f"Invalid field mask: '{'.'.join(path)}' is not a field of"
                                  " SpreadsheetProperties.")
    return {}


def update_sheet_properties(book: Spreadsheet, args: dict) -> dict:
    props = args.get("properties") or {}
    sheet = sheet_by_id(book, props.get("sheetId"))
    grid = props.get("gridProperties") or {}
    paths = _paths(args.get("fields"))
    if paths == [("*",)]:
        paths = [("title",), ("index",), ("hidden",), ("tabColorStyle",), ("gridProperties",)]
    for path in paths:
        name = path[0]
        if name == "title":
            title = props.get("title")
            if not title:
                raise bad_request("Sheet title cannot be empty.")
            if any(s.title.lower() == title.lower() and s is not sheet for s in book.sheets):
                raise bad_request(f'A sheet with the name "{title}" already exists. Please enter another name.')
            sheet.title = title
        elif name == "index":
            move_sheet(book, sheet, props.get("index") or 0)
        elif name == "hidden":
            hidden = bool(props.get("hidden"))
            if hidden and not any(not s.hidden for s in book.sheets if s is not sheet):
                raise bad_request("You can't hide all the sheets in a document.")
            sheet.hidden = hidden
        elif name in ("tabColor", "tabColorStyle"):
            color = props.get(name)
            color = (color or {}).get("rgbColor") if name == "tabColorStyle" else color
            sheet.tab_color = stored_color(color) if color else None      # rgbColor None clears it
        elif name == "gridProperties":
            _grid_properties(sheet, grid, path[1:])
        elif name not in ("rightToLeft", "sheetType"):
            raise bad_request(f"Invalid field mask: '{'.'.join(path)}' is not a field of SheetProperties.")
    return {}


def _grid_properties(sheet: Sheet, grid: dict, sub: tuple[str, ...]) -> None:
    names = sub[:1] or tuple(grid)
    for name in names:
        value = grid.get(name)
        if name in ("rowCount", "columnCount"):
            if not value or value < 1:
                raise bad_request(f"Invalid gridProperties.{name}: {value}")
            if name == "rowCount":
                sheet.rows = value
            else:
                sheet.cols = value
        elif name in ("frozenRowCount", "frozenColumnCount"):
            value = value or 0
            limit = sheet.rows if name == "frozenRowCount" else sheet.cols
            if value < 0 or value >= limit:
                raise bad_request(f"Invalid gridProperties.{name}: {value}: you can't freeze all"
                                  " visible rows or columns on the sheet.")
            setattr(sheet, "frozen_rows" if name == "frozenRowCount" else "frozen_cols", value)
        elif name == "hideGridlines":
            sheet.hide_gridlines = bool(value)


def move_sheet(book: Spreadsheet, sheet: Sheet, index: int) -> None:
    """Index in the order before the move, as the reference says: to put the first of
    three sheets after the second, its index is 2."""
    at = book.sheets.index(sheet)
    book.sheets.remove(sheet)
    book.sheets.insert(max(0, min(index - 1 if index > at else index, len(book.sheets))), sheet)
    reindex(book)


def reindex(book: Spreadsheet) -> None:
    for i, sheet in enumerate(book.sheets):
        sheet.index = i


def copy_title(book: Spreadsheet, title: str) -> str:
    """'Copy of X', then 'Copy of X 2', ... as the Sheets UI names copies."""
    name, n = f"Copy of {title}", 1
    while book.sheet(name):
        n += 1
        name = f"Copy of {title} {n}"
    return name


def clone_sheet(source: Sheet, into: Spreadsheet, title: str, sheet_id: int | None, index: int) -> Sheet:
    twin = into.add_sheet(title, source.rows, source.cols, sheet_id)
    for mine, theirs in zip(twin.layers(), source.layers()):
        mine.update(copy.deepcopy(theirs))
    twin.frozen_rows, twin.frozen_cols = source.frozen_rows, source.frozen_cols
    twin.hide_gridlines, twin.tab_color = source.hide_gridlines, copy.deepcopy(source.tab_color)
    twin.basic_filter = copy.deepcopy(source.basic_filter)
    twin.conditional_formats = copy.deepcopy(source.conditional_formats)
    for rule in twin.conditional_formats:
        for grid in rule.get("ranges", []):
            grid["sheetId"] = twin.sheet_id
    if twin.basic_filter:
        twin.basic_filter["range"]["sheetId"] = twin.sheet_id
    twin.group_depths = copy.deepcopy(source.group_depths)
    twin.pixel_sizes = dict(source.pixel_sizes)
    into.sheets.remove(twin)
    into.sheets.insert(max(0, min(index, len(into.sheets))), twin)
    reindex(into)
    return twin


def duplicate_sheet(book: Spreadsheet, args: dict) -> dict:
    source = sheet_by_id(book, args.get("sourceSheetId"))
    new_id = args.get("newSheetId")
    if new_id is not None and (new_id < 0 or book.sheet_by_id(new_id)):
        raise bad_request(f"Sheet with id {new_id} already exists." if new_id >= 0
                          else f"Invalid sheet id: {new_id}")
    title = args.get("newSheetName") or copy_title(book, source.title)
    if book.sheet(title):
        raise bad_request(f'A sheet with the name "{title}" already exists. Please enter another name.')
    index = args.get("insertSheetIndex")
    twin = clone_sheet(source, book, title, new_id, source.index + 1 if index is None else index)
    return {"duplicateSheet": {"properties": twin.properties()}}


def copy_sheet_to(book: Spreadsheet, sheet_id: int, destination: Spreadsheet) -> dict:
    """spreadsheets.sheets.copyTo: the reply is the new sheet's SheetProperties, titled
    'Copy of X' and placed last."""
    source = book.sheet_by_id(sheet_id)
    if source is None:
        raise bad_request(f"No grid with id: {sheet_id}")
    twin = clone_sheet(source, destination, copy_title(destination, source.title), None,
                       len(destination.sheets))
    destination.touch()
    return twin.properties()


# ---- named ranges -----------------------------------------------------------------------
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")
_LOOKS_LIKE_A_CELL = re.compile(r"^([A-Za-z]{1,3}\d+|[Rr]\d+[Cc]\d+|TRUE|FALSE)$", re.IGNORECASE)


def stored_color(color: dict) -> dict:
    """A colour as Google keeps it: 8 bits a channel, shown as the shortest float32 (0.5
    reads back as 127/255 = 0.49803922, 128/255 as 0.5019608), and zero channels left out
    ({red: 1, green: 0, blue: 0.5} reads back as {red: 1, blue: 0.49803922}:
    WorksheetTest.test_update_tab_color.json)."""
    out = {}
    for name in ("red", "green", "blue", "alpha"):
        value = color.get(name)
        if value:
            level = float(str(numpy.float32(int(float(value) * 255 + 1e-6) / 255)))
            out[name] = 1 if level == 1 else level
    return out


def _check_name(book: Spreadsheet, name: str | None, keep: dict | None = None) -> str:
    if not name or not _NAME.match(name) or _LOOKS_LIKE_A_CELL.match(name) or len(name) > 250:
        raise bad_request(f"Invalid name: '{name}'. Names must start with a letter or an underscore,"
                          " contain only letters, numbers, periods and underscores, and not look"
                          " like a cell reference.")
    if any(n["name"].lower() == name.lower() and n is not keep for n in book.named_ranges):
        raise bad_request(f"A named range with the name '{name}' already exists.")
    return name


def _checked_range(book: Spreadsheet, grid: dict | None) -> dict:
    grid = grid or {}
    bounds(sheet_by_id(book, grid.get("sheetId")), grid)
    return clean_grid_range(grid)


def add_named_range(book: Spreadsheet, args: dict) -> dict:
    """Reply as in CellTest.test_define_named_range.json: the id is a string of digits."""
    given = args.get("namedRange") or {}
    named = {"namedRangeId": given.get("namedRangeId") or str(1_000_000_000 + secrets.randbelow(10**9)),
             "name": _check_name(book, given.get("name")),
             "range": _checked_range(book, given.get("range"))}
    if any(n["namedRangeId"] == named["namedRangeId"] for n in book.named_ranges):
        raise bad_request(f"A named range with id {named['namedRangeId']} already exists.")
    book.named_ranges.append(named)
    return {"addNamedRange": {"namedRange": copy.deepcopy(named)}}


def _named(book: Spreadsheet, named_id) -> dict:
    found = next((n for n in book.named_ranges if n["namedRangeId"] == named_id), None)
    if found is None:
        raise bad_request(f"No named range with id: {named_id}")
    return found


def update_named_range(book: Spreadsheet, args: dict) -> dict:
    given = args.get("namedRange") or {}
    named = _named(book, given.get("namedRangeId"))
    for path in _paths(args.get("fields")):
        for name in (("name", "range") if path == ("*",) else (path[0],)):
            if name == "name":
                named["name"] = _check_name(book, given.get("name"), keep=named)
            elif name == "range":
                named["range"] = _checked_range(book, given.get("range"))
            else:
                raise bad_request(f"Invalid field mask: '{name}' is not a field of NamedRange.")
    return {}


def delete_named_range(book: Spreadsheet, args: dict) -> dict:
    book.named_ranges.remove(_named(book, args.get("namedRangeId")))
    return {}


def named_range_grid(book: Spreadsheet, name: str) -> dict | None:
    """The GridRange a range name stands for in a values read, or None."""
    found = next((n for n in book.named_ranges if n["name"].lower() == name.lower()), None)
    return None if found is None else found["range"]


# ---- protected ranges -------------------------------------------------------------------
_PROTECTED_FIELDS = ("range", "description", "warningOnly", "requestingUserCanEdit", "editors",
                     "namedRangeId", "unprotectedRanges")


def _protected_json(book: Spreadsheet, given: dict, protected_id: int) -> tuple[Sheet, dict]:
    if given.get("namedRangeId"):
        grid = _named(book, given["namedRangeId"])["range"]
    else:
        grid = given.get("range") or {}
    sheet = sheet_by_id(book, grid.get("sheetId"))
    bounds(sheet, grid)
    out = {"protectedRangeId": protected_id, "range": clean_grid_range(grid)}
    if given.get("namedRangeId"):
        out["namedRangeId"] = given["namedRangeId"]
    if given.get("description"):
        out["description"] = given["description"]
    if given.get("warningOnly"):
        if given.get("editors"):
            raise bad_request("A warning-only protected range cannot have editors.")
        out["warningOnly"] = True
    out["requestingUserCanEdit"] = True       # the caller made it, so it may edit it
    if not given.get("warningOnly"):
        # Google adds the spreadsheet's owner to the editors (gspread's add_protected_range)
        editors = copy.deepcopy(given.get("editors") or {})
        users = list(dict.fromkeys([*(editors.get("users") or []), book.owner]))
        out["editors"] = {k: v for k, v in {**editors, "users": users}.items() if v}
    if given.get("unprotectedRanges"):
        out["unprotectedRanges"] = [clean_grid_range(g) for g in given["unprotectedRanges"]]
    return sheet, out


def add_protected_range(book: Spreadsheet, args: dict) -> dict:
    given = args.get("protectedRange") or {}
    used = {p["protectedRangeId"] for s in book.sheets for p in s.protected_ranges}
    protected_id = given.get("protectedRangeId") or 1_000_000_000 + secrets.randbelow(10**9)
    if protected_id in used:
        raise bad_request(f"A protected range with id {protected_id} already exists.")
    sheet, protected = _protected_json(book, given, protected_id)
    sheet.protected_ranges.append(protected)
    return {"addProtectedRange": {"protectedRange": copy.deepcopy(protected)}}


def _protected(book: Spreadsheet, protected_id) -> tuple[Sheet, dict]:
    for sheet in book.sheets:
        for protected in sheet.protected_ranges:
            if protected["protectedRangeId"] == protected_id or str(protected["protectedRangeId"]) == str(protected_id):
                return sheet, protected
    raise bad_request(f"No protected range with id: {protected_id}")


def update_protected_range(book: Spreadsheet, args: dict) -> dict:
    given = args.get("protectedRange") or {}
    sheet, protected = _protected(book, given.get("protectedRangeId"))
    merged = {**protected}
    for path in _paths(args.get("fields")):
        names = _PROTECTED_FIELDS if path == ("*",) else (path[0],)
        for name in names:
            if name not in _PROTECTED_FIELDS:
                raise bad_request(f"Invalid field mask: '{name}' is not a field of ProtectedRange.")
            if name in given:
                merged[name] = given[name]
            else:
                merged.pop(name, None)
    if "namedRangeId" not in merged and "range" not in merged:
        raise bad_request("A protected range needs a range or a namedRangeId.")
    new_sheet, updated = _protected_json(book, merged, protected["protectedRangeId"])
    sheet.protected_ranges.remove(protected)
    new_sheet.protected_ranges.append(updated)
    return {}


def delete_protected_range(book: Spreadsheet, args: dict) -> dict:
    sheet, protected = _protected(book, args.get("protectedRangeId"))
    sheet.protected_ranges.remove(protected)
    return {}


def add_conditional_format_rule(book: Spreadsheet, args: dict) -> dict:
    """The rule goes in its sheet's list at `index` (0, the first, by default): rules
    earlier in the list win where two colour one cell."""
    rule = copy.deepcopy(args.get("rule") or {})
    ranges = rule.get("ranges") or []
    if not ranges or not (rule.get("booleanRule") or rule.get("gradientRule")):
        raise bad_request("Invalid requests[0].addConditionalFormatRule: A conditional format rule"
                          " must have a range and either a booleanRule or a gradientRule.")
    sheet = sheet_by_id(book, ranges[0].get("sheetId", 0))
    index = args.get("index", 0)
    if not 0 <= index <= len(sheet.conditional_formats):
        raise bad_request(f"Invalid requests[0].addConditionalFormatRule: index {index} is out of"
                          f" range (the sheet has {len(sheet.conditional_formats)} rules)")
    sheet.conditional_formats.insert(index, rule)
    return {}


def delete_conditional_format_rule(book: Spreadsheet, args: dict) -> dict:
    """The reply holds the rule taken away; the later rules' indexes go down by one."""
    sheet = sheet_by_id(book, args.get("sheetId", 0))
    index = args.get("index", 0)
    if not 0 <= index < len(sheet.conditional_formats):
        raise bad_request(f"Invalid requests[0].deleteConditionalFormatRule: No conditional format"
                          f" on sheet {sheet.sheet_id} at index {index}")
    return {"deleteConditionalFormatRule": {"rule": sheet.conditional_formats.pop(index)}}


HANDLERS = {
    "addConditionalFormatRule": add_conditional_format_rule,
    "deleteConditionalFormatRule": delete_conditional_format_rule,
    "updateCells": update_cells, "repeatCell": repeat_cell, "setDataValidation": set_data_validation,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
    "updateSheetProperties": update_sheet_properties, "duplicateSheet": duplicate_sheet,
    "addNamedRange": add_named_range, "updateNamedRange": update_named_range,
    "deleteNamedRange": delete_named_range, "addProtectedRange": add_protected_range,
    "updateProtectedRange": update_protected_range, "deleteProtectedRange": delete_protected_range,
}
