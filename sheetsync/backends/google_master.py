"""The staff master on Google: read it, and write it in one read, at most one structural
call and one values write of the cells that changed. A mixin of GoogleBackend, which
gives `_call`, `_structural`, `http` and `config`."""
from __future__ import annotations

from sheetsync.backends.google_reading import MASTER_FIELDS, READ_FIELDS, spreadsheet_id, workbook_of
from sheetsync.backends.google_requests import (chart_request, conditional_format, layout_requests,
                                                link_requests, ranges, shape_requests)
from sheetsync.errors import BackendError
from sheetsync.workbook import Workbook
from sheetsync.writeback.plan import WritePlan, diff_cells, grid_cells

MASTER_LOOK_FIELDS = MASTER_FIELDS.replace(
    "columnMetadata(developerMetadata(", "columnMetadata(pixelSize,developerMetadata(").replace(
    "values(formattedValue,", "values(formattedValue,note,")


class MasterWrites:
    def read_master(self) -> Workbook | None:
        sheet = self.config.master.get("sheet")
        if not sheet:
            return None
        sid = spreadsheet_id(sheet)
        return workbook_of(self._call("reads", lambda: self.http.fetch_sheet_metadata(
            sid, params={"fields": READ_FIELDS}), None, sid), sid)

    def write_master(self, tabs: dict[str, list[list]], charts=(), formats=(), looks=None,
                     links=None) -> str:
        """The master in one read, one structural call (new tabs, the charts the first
        time, and each night the columns' widths, wraps and the Sheet column's links, as
        rows move with the risk) and one values write of the cells that changed."""
        sheet = self.config.master.get("sheet")
        if not sheet:
            raise BackendError("no master sheet configured ([master] sheet = \"<id or url>\")")
        sid = spreadsheet_id(sheet)
        meta = self._call("reads", lambda: self.http.fetch_sheet_metadata(
            sid, params={"fields": MASTER_LOOK_FIELDS}), None, sid)
        current = workbook_of(meta, sid)
        widths, notes = laid_out(meta)
        writes = [w for title, rows in tabs.items()
                  for w in diff_cells(title, current.tab(title), grid_cells(rows, current.tab(title)))]
        new_tabs = [t for t in tabs if current.tab(t) is None]
        used = {t.sheet_id for t in current.tabs.values()}
        ids = {t.title: t.sheet_id for t in current.tabs.values()}
        for title in new_tabs:                 # chosen here so charts can point at them
            ids[title] = next(i for i in range(1000, 10**9) if i not in used and i not in ids.values())
        requests_ = shape_requests(WritePlan("master", writes).by_tab(), current, new_tabs,
                                         tab_ids=ids)
        for rule in formats:                   # once, with the tab: conditional rules follow the rows
            if rule.tab in new_tabs or _header_moved(current.tab(rule.tab), tabs.get(rule.tab)):
                requests_.append(conditional_format(rule, ids[rule.tab]))
        if not any(s_.get("charts") for s_ in meta.get("sheets", [])):
            requests_ += [chart_request(spec, ids) for spec in charts]
        # widths, wraps and links only where they differ from what the master has
        # (its column widths and the links' notes, read with it): a quiet night costs
        # no structural call
        for title, look in (looks or {}).items():
            if title in new_tabs or widths.get(title, [])[:len(look.columns)] != [
                    look.pixels(c) for c in range(len(look.columns))]:
                requests_ += layout_requests(ids[title], look, len(tabs[title]))
        for title, cells in (links or {}).items():
            had = {rc: n for rc, n in notes.get(title, {}).items() if rc[1] in {c for _, c in cells}}
            if title in new_tabs or had != cells:
                requests_ += link_requests(ids[title], cells, stale=set(had) - set(cells))
        self._structural(sid, requests_, None)
        if writes:
            data = ranges(writes)
            self._call("writes", lambda: self.http.values_batch_update(
                sid, body={"valueInputOption": "RAW", "data": data}), None, sid)
        return f"https://docs.google.com/spreadsheets/d/{sid}/edit"


def laid_out(meta: dict) -> tuple[dict[str, list[int]], dict[str, dict]]:
    """Per tab, its columns' pixel widths and its notes ({(row, col): note}, 1-based)."""
    widths, notes = {}, {}
    for sheet in meta.get("sheets", []):
        title = sheet.get("properties", {}).get("title", "")
        for data in sheet.get("data", []):
            widths[title] = [c.get("pixelSize", 100) for c in data.get("columnMetadata", [])]
            for r, row in enumerate(data.get("rowData", []), data.get("startRow", 0) + 1):
                for c, value in enumerate(row.get("values", []), data.get("startColumn", 0) + 1):
                    if value.get("note"):
                        notes.setdefault(title, {})[(r, c)] = value["note"]
    return widths, notes


def _header_moved(tab, rows) -> bool:
    """The master's header row changed (a column added or moved by a new version): its
    conditional rules point at the old columns, so they are added again for the new."""
    if tab is None or not rows or not tab.rows:
        return False
    return [str(v) for v in tab.rows[0]] != [str(v) for v in rows[0]]
