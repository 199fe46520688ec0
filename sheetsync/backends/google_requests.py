"""The bodies of the Google backend's structural requests: added tabs, wider grids, the
owned columns' colours, marks and look, the master's charts, and values as A1 ranges.
Plain data in, plain JSON out; nothing here calls Google."""
from __future__ import annotations

from sheetsync.a1 import column_letter, quote_sheet
from sheetsync.workbook import Tab, Workbook
from sheetsync.writeback.formats import is_look_mark
from sheetsync.writeback.plan import MARK_KEY, CellWrite, ColumnLook, FormatRule, Mark


def shape_requests(by_tab: dict[str, list[CellWrite]], read: Workbook, new_tabs: list[str],
                   formats=(), tab_ids: dict[str, int] | None = None,
                   marks: list[Mark] = (), looks: list[ColumnLook] = (),
                   new_columns: dict[str, list[int]] | None = None,
                   headings: dict | None = None) -> list[dict]:
    """What one structural call must do: add missing tabs, insert the owned columns placed
    tonight, widen grids too small for the writes, colour owned columns that were
    (re)created, mark what we own. Empty: no call."""
    requests_ = []
    inserted = {}
    for title, cols in (new_columns or {}).items():
        tab = read.tab(title)
        if tab is not None and tab.grid is not None and tab.sheet_id is not None:
            more, inserted[title] = insert_columns(tab.sheet_id, cols, tab.grid[1])
            requests_ += more
    for title in new_tabs:
        writes = by_tab.get(title, [])
        rows = max([w.row for w in writes] + [1000])
        cols = max([w.col for w in writes] + [26])
        props = {"title": title, "gridProperties": {"rowCount": rows, "columnCount": cols}}
        if tab_ids and title in tab_ids:
            props["sheetId"] = tab_ids[title]
        requests_.append({"addSheet": {"properties": props}})
    marked = {}
    for mark in marks:
        if mark.col is not None:
            marked[mark.tab] = max(marked.get(mark.tab, 0), mark.col)
    for title in set(by_tab) | set(marked):
        writes = by_tab.get(title, [])
        tab = read.tab(title)
        if tab is None or tab.grid is None or tab.sheet_id is None:
            continue
        need_rows = max([w.row for w in writes], default=0) - tab.grid[0]
        need_cols = max([w.col for w in writes] + [marked.get(title, 0)]) - tab.grid[1] \
            - inserted.get(title, 0)
        for dim, length in (("ROWS", need_rows), ("COLUMNS", need_cols)):
            if length > 0:
                requests_.append({"appendDimension": {"sheetId": tab.sheet_id,
                                                      "dimension": dim, "length": length}})
    for rule in formats:
        tab = read.tab(rule.tab)
        if tab is not None and tab.sheet_id is not None:
            requests_.append(conditional_format(rule, tab.sheet_id))
    for mark in marks:
        tab = read.tab(mark.tab)
        sheet_id = tab.sheet_id if tab is not None else (tab_ids or {}).get(mark.tab)
        if sheet_id is not None:
            requests_.append(mark_request(mark, sheet_id))
    for title, (bold, rows) in (headings or {}).items():
        tab = read.tab(title)
        sheet_id = tab.sheet_id if tab is not None else (tab_ids or {}).get(title)
        if sheet_id is not None:
            requests_ += heading_requests(sheet_id, bold, rows)
    for look in looks:
        tab = read.tab(look.tab)
        if tab is None and tab_ids and look.tab in tab_ids:     # added in this very call
            tab = Tab(look.tab, [], tab_ids[look.tab])
        if tab is not None and tab.sheet_id is not None:
            requests_ += look_requests(look, tab)
    return requests_


def insert_columns(sheet_id: int, cols: list[int], grid_cols: int) -> tuple[list[dict], int]:
    """insertDimension requests that open empty columns at `cols` (1-based, their final
    places), in ascending order, a run of neighbours at once: whatever a student typed
    there since our read moves right instead of under our text. Google refuses an insert
    at or past the grid's end without inheritFromBefore, and there is nothing to move
    there: those columns are left to appendDimension. (requests, columns inserted)."""
    out, count = [], 0
    for c in sorted(cols):
        start = c - 1
        if start >= grid_cols + count:
            break
        last = out[-1]["insertDimension"]["range"] if out else None
        if last is not None and last["endIndex"] == start:
            last["endIndex"] += 1
        else:
            out.append({"insertDimension": {"range": {"sheetId": sheet_id, "dimension": "COLUMNS",
                                                      "startIndex": start, "endIndex": start + 1},
                                            "inheritFromBefore": False}})
        count += 1
    return out, count


def heading_requests(sheet_id: int, bold_rows, rows: int) -> list[dict]:
    """Column A of a tab wholly ours: plain text, then its headings bold."""
    def bold(first: int, last: int, on: bool) -> dict:
        return {"repeatCell": {"range": {"sheetId": sheet_id, "startRowIndex": first, "endRowIndex": last,
                                         "startColumnIndex": 0, "endColumnIndex": 1},
                               "cell": {"userEnteredFormat": {"textFormat": {"bold": on}}},
                               "fields": "userEnteredFormat.textFormat.bold"}}
    return [bold(0, rows, False)] + [bold(r - 1, r, True) for r in sorted(bold_rows) if r <= rows]


def cell_requests(writes: list[CellWrite], read: Workbook) -> list[dict]:
    """Our own header cells, in the structural call: a stringValue is never parsed."""
    out = []
    for w in writes:
        tab = read.tab(w.tab)
        if tab is None or tab.sheet_id is None:
            continue
        kind = "numberValue" if isinstance(w.value, (int, float)) else "stringValue"
        out.append({"updateCells": {
            "start": {"sheetId": tab.sheet_id, "rowIndex": w.row - 1, "columnIndex": w.col - 1},
            "rows": [{"values": [{"userEnteredValue": {kind: w.value if kind == "numberValue"
                                                       else str(w.value)}}]}],
            "fields": "userEnteredValue"}})
    return out


def value_requests(writes: list[CellWrite], read: Workbook, tab_ids: dict[str, int]) -> list[dict] | None:
    """The cells as updateCells requests, a run of neighbouring cells in a row per request,
    to go in the same batchUpdate as the structure: `stringValue` is stored as typed, never
    parsed (what valueInputOption=RAW gives). A known grid is widened to the writes by
    shape_requests in the same call; where the grid is not known (the tab's shape came
    from last night's snapshot) a cell beyond the tab's cells gives None (the backend
    asks Google for the grid before it writes there)."""
    runs: list[tuple[int, list[CellWrite]]] = []      # (sheetId, neighbouring cells of a row)
    for w in sorted(writes, key=lambda w: (w.tab, w.row, w.col)):
        tab = read.tab(w.tab)
        sheet_id = tab.sheet_id if tab is not None else tab_ids.get(w.tab)
        if sheet_id is None:
            return None
        if tab is not None and tab.grid is None and not (
                w.row <= len(tab.rows) and w.col <= max((len(r) for r in tab.rows), default=0)):
            return None
        last = runs[-1][1][-1] if runs else None
        if last is not None and runs[-1][0] == sheet_id and last.row == w.row and last.col + 1 == w.col:
            runs[-1][1].append(w)
        else:
            runs.append((sheet_id, [w]))
    out = []
    for sheet_id, run in runs:
        out.append({"updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": run[0].row - 1, "columnIndex": run[0].col - 1},
            "rows": [{"values": [{"userEnteredValue": _entered(w.value)} for w in run]}],
            "fields": "userEnteredValue"}})
    return out


def _entered(value) -> dict:
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, (int, float)):
        return {"numberValue": value}
    if value is None or value == "":
        return {}                         # fields=userEnteredValue with none: the cell is cleared
    return {"stringValue": str(value)}


def marks_on_used_columns(replies: list[dict], book: Workbook) -> list[tuple[int, str, str]]:
    """(metadataId, tab, kind) of the column marks just made on a tab where one of them
    landed on a column that, by then, holds a student's value or formula: all of that
    tab's new marks are taken back, so the owned columns are placed again side by side."""
    by_id = {t.sheet_id: t for t in book.tabs.values()}
    made, hit = [], set()
    for reply in replies:
        meta = (reply or {}).get("createDeveloperMetadata", {}).get("developerMetadata", {})
        span = meta.get("location", {}).get("dimensionRange")
        tab = by_id.get(span.get("sheetId")) if span else None
        if tab is None:
            continue
        col = span.get("startIndex", 0) + 1
        used = any(col <= len(row) and row[col - 1] != "" for row in tab.rows) or \
            any(c == col for (_, c) in tab.formulas)
        made.append((meta.get("metadataId"), tab.title, meta.get("metadataValue", "")))
        if used:
            hit.add(tab.title)
    return [m for m in made if m[1] in hit]


def new_tab_ids(read: Workbook, new_tabs: list[str]) -> dict[str, int]:
    """Our own sheetIds for tabs added in a call, so marks in the same call can name them."""
    used = {t.sheet_id for t in read.tabs.values() if t.sheet_id is not None}
    ids, nxt = {}, max(used | {0}) + 1
    for title in new_tabs:
        while nxt in used:
            nxt += 1
        ids[title], nxt = nxt, nxt + 1
    return ids


def look_requests(look: ColumnLook, tab: Tab) -> list[dict]:
    """Width (about 7 pixels a character), wrapped text below the header, the header
    bold, and the header row frozen when the student froze nothing."""
    column = {"sheetId": tab.sheet_id, "startColumnIndex": look.col - 1, "endColumnIndex": look.col}
    out = [{"updateDimensionProperties": {
        "range": {"sheetId": tab.sheet_id, "dimension": "COLUMNS", "startIndex": look.col - 1,
                  "endIndex": look.col},
        "properties": {"pixelSize": 7 * look.width + 10}, "fields": "pixelSize"}}]
    body_from = look.header_row or 0
    if look.wrap:
        out.append({"repeatCell": {"range": {**column, "startRowIndex": body_from},
                                   "cell": {"userEnteredFormat": {"wrapStrategy": "WRAP",
                                                                  "verticalAlignment": "TOP"}},
                                   "fields": "userEnteredFormat.wrapStrategy,userEnteredFormat.verticalAlignment"}})
    if look.header_row:
        out.append({"repeatCell": {"range": {**column, "startRowIndex": look.header_row - 1,
                                             "endRowIndex": look.header_row},
                                   "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
                                   "fields": "userEnteredFormat.textFormat.bold"}})
        if look.freeze and not tab.frozen_rows:
            out.append({"updateSheetProperties": {"properties": {
                "sheetId": tab.sheet_id, "gridProperties": {"frozenRowCount": look.header_row}},
                "fields": "gridProperties.frozenRowCount"}})
    return out


def mark_request(mark: Mark, sheet_id: int) -> dict:
    """Developer metadata on an owned column (it moves with the column, survives a new
    header) or on the summary tab."""
    if mark.col is None:
        location = {"sheetId": sheet_id}
    else:
        location = {"dimensionRange": {"sheetId": sheet_id, "dimension": "COLUMNS",
                                       "startIndex": mark.col - 1, "endIndex": mark.col}}
    return {"createDeveloperMetadata": {"developerMetadata": {
        "metadataKey": MARK_KEY, "metadataValue": mark.kind, "location": location,
        "visibility": "DOCUMENT"}}}


def column_range(sheet_id: int, col: int) -> dict:
    """One column below the header, 1-based column."""
    return {"sheetId": sheet_id, "startRowIndex": 1, "endRowIndex": 1000,
            "startColumnIndex": col - 1, "endColumnIndex": col}


def chart_request(spec, ids: dict[str, int]) -> dict:
    """A native Sheets chart from a ChartSpec (jobs.master.charts)."""
    def kind(col: int) -> dict:       # a COMBO chart names each series' type
        if not spec.line_cols:
            return {}
        return {"type": "LINE" if col in spec.line_cols else spec.kind.upper()}

    def source(col: int) -> dict:
        return {"sourceRange": {"sources": [{
            "sheetId": ids[spec.data_tab], "startRowIndex": spec.first_row,
            "endRowIndex": spec.last_row, "startColumnIndex": col, "endColumnIndex": col + 1}]}}
    return {"addChart": {"chart": {
        "spec": {"title": spec.title, "basicChart": {
            "chartType": "COMBO" if spec.line_cols else "LINE" if spec.kind == "line" else "COLUMN",
            "legendPosition": "BOTTOM_LEGEND", "headerCount": 1,
            "domains": [{"domain": source(spec.domain_col)}],
            "series": [{"series": source(col), "targetAxis": "LEFT_AXIS", **kind(col)}
                       for col in spec.series_cols + spec.line_cols]}},
        "position": {"overlayPosition": {"anchorCell": {
            "sheetId": ids[spec.anchor_tab], "rowIndex": spec.anchor_row,
            "columnIndex": spec.anchor_col}}}}}}


def conditional_format(rule: FormatRule, sheet_id: int) -> dict:
    red, green, blue = rule.color
    return {"addConditionalFormatRule": {"index": 0, "rule": {
        "ranges": [{"sheetId": sheet_id, "startRowIndex": rule.first_row - 1,
                    "startColumnIndex": rule.first_col - 1, "endColumnIndex": rule.last_col}],
        "booleanRule": {"condition": {"type": "CUSTOM_FORMULA",
                                      "values": [{"userEnteredValue": rule.formula}]},
                        "format": {"backgroundColor": {"red": red, "green": green, "blue": blue}}}}}}


def layout_requests(sheet_id: int, look, rows: int) -> list[dict]:
    """The master's column widths (pixels) and wraps (jobs.master.layout.TabLook): the
    header row wraps, a column of long text wraps, the others overflow as before. Rows
    need no height: Sheets fits a row to its wrapped text."""
    out = []
    for c, column in enumerate(look.columns):
        out.append({"updateDimensionProperties": {
            "range": {"sheetId": sheet_id, "dimension": "COLUMNS", "startIndex": c, "endIndex": c + 1},
            "properties": {"pixelSize": look.pixels(c)}, "fields": "pixelSize"}})
        if rows > 1:
            out.append({"repeatCell": {
                "range": {"sheetId": sheet_id, "startRowIndex": 1, "endRowIndex": rows,
                          "startColumnIndex": c, "endColumnIndex": c + 1},
                "cell": {"userEnteredFormat": {"wrapStrategy": "WRAP" if column.wrap else "OVERFLOW_CELL",
                                               "verticalAlignment": "TOP"}},
                "fields": "userEnteredFormat(wrapStrategy,verticalAlignment)"}})
    if look.columns and look.header:
        out.append({"repeatCell": {
            "range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": 1,
                      "startColumnIndex": 0, "endColumnIndex": len(look.columns)},
            "cell": {"userEnteredFormat": {"wrapStrategy": "WRAP", "verticalAlignment": "TOP"}},
            "fields": "userEnteredFormat(wrapStrategy,verticalAlignment)"}})
    for c, column in enumerate(look.columns):      # a column of numbers or rates stands right
        out.append({"repeatCell": {
            "range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": max(rows, 1),
                      "startColumnIndex": c, "endColumnIndex": c + 1},
            # not numeric: the field masked and left out, so Sheets' default (text left, numbers right)
            "cell": {"userEnteredFormat": {"horizontalAlignment": "RIGHT"} if column.numeric else {}},
            "fields": "userEnteredFormat.horizontalAlignment"}})
    return out


def link_requests(sheet_id: int, cells: dict, stale=()) -> list[dict]:
    """Links on cells ({(row, col): url}, 1-based) as the cells' text format, and the
    URL in the cell's note (what the master reads back to see whether a link moved):
    the value stays the short text written RAW (a HYPERLINK formula would need
    USER_ENTERED). One updateCells per column over its rows; a row without a link,
    `stale` ones included, loses yesterday's."""
    out = []
    for col in sorted({c for _, c in cells} | {c for _, c in stale}):
        rows = sorted({r for r, c in cells if c == col} | {r for r, c in stale if c == col})
        out.append({"updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": rows[0] - 1, "columnIndex": col - 1},
            "rows": [{"values": [{"note": cells[(r, col)],
                                  "userEnteredFormat": {"textFormat": {"link": {"uri": cells[(r, col)]}}}}
                                 if (r, col) in cells else {}]} for r in range(rows[0], rows[-1] + 1)],
            "fields": "note,userEnteredFormat.textFormat.link"}})
    return out


def ranges(writes: list[CellWrite]) -> list[dict]:
    """Cell writes -> value ranges: each column's runs of consecutive rows become one range."""
    by_col: dict[tuple[str, int], list[CellWrite]] = {}
    for w in writes:
        by_col.setdefault((w.tab, w.col), []).append(w)
    data = []
    for (tab, col), cells in sorted(by_col.items()):
        cells.sort(key=lambda w: w.row)
        run = [cells[0]]
        for w in cells[1:] + [None]:
            if w is not None and w.row == run[-1].row + 1:
                run.append(w)
                continue
            letter = column_letter(col)
            data.append({"range": f"{quote_sheet(tab)}!{letter}{run[0].row}:{letter}{run[-1].row}",
                         "values": [[c.value] for c in run]})
            if w is not None:
                run = [w]
    return data


# where each conditional format of each tab is, and our marks on its columns: enough to
# take away the rules on our columns and every mark of a look before one is made again
RULES_FIELDS = ("sheets(properties(sheetId,title),conditionalFormats(ranges),"
                "data(columnMetadata(developerMetadata(metadataKey,metadataValue))))")


def taken_away(rules: dict, relaid: dict[str, list[int]], unmarks: list[Mark]) -> list[dict]:
    """What goes before colours laid again (WritePlan.relaid), from `rules` (a
    RULES_FIELDS reply, asked just before): each conditional format that colours only
    owned columns being relaid, highest index first so the others' indexes hold; and
    every mark of a look there is, the one about to be made too (a snapshot may not know
    it is there), so a sheet ends with one."""
    out, looks = [], {m.kind for m in unmarks}
    for sheet in rules.get("sheets", []):
        props = sheet.get("properties", {})
        cols = set(relaid.get(props.get("title"), ()))
        found = sheet.get("conditionalFormats", [])
        for index in range(len(found) - 1, -1, -1) if cols else ():
            if _colours_only(found[index].get("ranges", []), props.get("sheetId", 0), cols):
                out.append({"deleteConditionalFormatRule": {"sheetId": props.get("sheetId", 0),
                                                            "index": index}})
        looks |= {m.get("metadataValue", "") for data in sheet.get("data", [])
                  for column in data.get("columnMetadata", []) for m in column.get("developerMetadata", [])
                  if m.get("metadataKey") == MARK_KEY and is_look_mark(m.get("metadataValue", ""))}
    return out + [{"deleteDeveloperMetadata": {"dataFilter": {"developerMetadataLookup": {
        "metadataKey": MARK_KEY, "metadataValue": kind}}}} for kind in sorted(looks)]


def _colours_only(grids: list[dict], sheet_id: int, cols: set[int]) -> bool:
    for g in grids:
        start, end = g.get("startColumnIndex"), g.get("endColumnIndex")
        if g.get("sheetId", 0) != sheet_id or start is None or end is None or \
                not set(range(start + 1, end + 1)) <= cols:
            return False
    return bool(grids)
