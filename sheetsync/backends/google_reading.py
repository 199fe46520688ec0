"""How the Google backend reads: the fields of its one Sheets read, a reply turned into a
Workbook, and the read through a Drive export (Drive's quota) with what an export lacks
(sheet ids, grids, our marks) fetched only when a write needs it. Mixed into GoogleBackend,
which gives `http`, `_call` and `read_via`."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

from sheetsync.backends.xlsx import read_xlsx
from sheetsync.config import Student
from sheetsync.errors import BackendError, SheetChangedError
from sheetsync.workbook import Tab, Workbook, trim_grid, without_far_blanks
from sheetsync.writeback.plan import MARK_KEY, WritePlan

DRIVE_FILES = "https://www.googleapis.com/drive/v3/files"
_ID_IN_URL = re.compile(r"/spreadsheets/(?:u/\d+/)?d/([A-Za-z0-9_-]+)")   # also .../u/1/d/ID


def spreadsheet_id(sheet: str) -> str:
    """A sheet URL or a bare id -> the id."""
    m = _ID_IN_URL.search(sheet)
    return m[1] if m else sheet.strip()


# displayed values, formulas (a formula that shows nothing still holds its column) and
# our marks (developer metadata on the summary tab and on the owned columns), in one read
READ_FIELDS = ("spreadsheetId,properties.title,sheets(properties(sheetId,title,index,"
               "gridProperties(rowCount,columnCount,frozenRowCount)),developerMetadata(metadataKey,metadataValue),"
               "data(columnMetadata(developerMetadata(metadataKey,metadataValue)),"
               "rowData(values(formattedValue,userEnteredValue(formulaValue)))))")
MASTER_FIELDS = READ_FIELDS[:-1] + ",charts(chartId))"
# a spreadsheet's shape without its cells: what a Drive export does not carry
STRUCTURE_FIELDS = READ_FIELDS.replace(",\n", ",").replace(
    "data(columnMetadata(developerMetadata(metadataKey,metadataValue)),"
    "rowData(values(formattedValue,userEnteredValue(formulaValue))))",
    "data(columnMetadata(developerMetadata(metadataKey,metadataValue)))")
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"    # the master: also whether charts exist


class ExportReads:
    def _read_export(self, student: Student, sid: str, version: str | None) -> Workbook | None:
        """The whole spreadsheet as .xlsx in one Drive call (Drive's quota, not the Sheets
        read quota), read by the local backend's reader. None when Drive will not export
        it (over 10 MB, or any refusal): the Sheets read then says what is wrong."""
        try:
            reply = self._call("exports", lambda: self.http.request(
                "get", f"{DRIVE_FILES}/{sid}/export", params={"mimeType": XLSX_MIME}), student.id, sid)
        except BackendError:
            return None
        with tempfile.NamedTemporaryFile(suffix=".xlsx") as file:
            file.write(reply.content)
            file.flush()
            try:
                book = read_xlsx(Path(file.name), student, version=version, location=f"spreadsheet {sid}")
            except BackendError:
                return None
        book.title, book.structure_known = sid, False
        return book

    def complete(self, student: Student, read: Workbook) -> Workbook:
        """What an export leaves out (sheet ids, grid sizes, our marks, frozen rows), from
        one Sheets call without cells, made in the write phase where the read quota is
        otherwise idle. A tab added, removed or renamed since the export: read again."""
        return read if read.structure_known else self._shaped(student, read)

    def _shaped(self, student: Student, read: Workbook) -> Workbook:
        sid = spreadsheet_id(student.sheet)
        shape = workbook_of(self._call("reads", lambda: self.http.fetch_sheet_metadata(
            sid, params={"fields": STRUCTURE_FIELDS}), student.id, sid), sid)
        if set(shape.tabs) != set(read.tabs):
            raise SheetChangedError("the sheet's tabs changed after it was read", student=student.id, sheet=sid)
        tabs = {}
        for title, tab in read.tabs.items():
            known = shape.tabs[title]
            tabs[title] = Tab(title, tab.rows, known.sheet_id, known.grid, tab.formulas, known.marks,
                              known.ours, known.frozen_rows)
        return Workbook(read.title, tabs, read.version, read.location, read.written)


def beyond_known_grid(plan: WritePlan, read: Workbook) -> bool:
    """A write past the cells of a tab whose grid we do not know (its shape came from
    last night's snapshot): Google's grid there may be smaller than the write needs."""
    for w in plan.writes:
        tab = read.tab(w.tab)
        if tab is not None and tab.grid is None and tab.sheet_id is not None and (
                w.row > len(tab.rows) or w.col > max((len(r) for r in tab.rows), default=0)):
            return True
    return False


def workbook_of(meta: dict, sid: str) -> Workbook:
    tabs = {}
    for sheet in meta.get("sheets", []):
        props = sheet.get("properties", {})
        rows, formulas, marks = [], {}, {}
        for data in sheet.get("data", []):
            for r, row in enumerate(data.get("rowData", []), 1):
                values = row.get("values", [])
                rows.append([v.get("formattedValue", "") for v in values])
                for c, v in enumerate(values, 1):
                    formula = v.get("userEnteredValue", {}).get("formulaValue")
                    if formula:
                        formulas[(r, c)] = formula
            for c, column in enumerate(data.get("columnMetadata", []), data.get("startColumn", 0) + 1):
                for m in column.get("developerMetadata", []):
                    if m.get("metadataKey") == MARK_KEY:
                        marks.setdefault(m.get("metadataValue", ""), c)
        rows = trim_grid([without_far_blanks(r) for r in rows])
        grid = props.get("gridProperties", {})
        ours = any(m.get("metadataKey") == MARK_KEY and m.get("metadataValue") == "summary"
                   for m in sheet.get("developerMetadata", []))
        tabs[props.get("title", "")] = Tab(props.get("title", ""), rows, props.get("sheetId"),
                                           (grid.get("rowCount", 1000), grid.get("columnCount", 26)),
                                           formulas, marks, ours, grid.get("frozenRowCount", 0))
    return Workbook(title=meta.get("properties", {}).get("title", sid), tabs=tabs,
                    location=f"spreadsheet {sid}")


