"""The snapshot of one spreadsheet as read: its tabs as grids of displayed values.

Both backends produce the same snapshot, so everything after the read is backend-free.
Cells hold what the student sees, as text ('' for empty), which is what the
normaliser parses and what the write planner compares against.
"""
from dataclasses import dataclass, field

OWNED_PREFIX = "sheetsync"          # our headers on sheets from before the ⚑ mark
OWNED_MARK = "⚑"                     # our headers today


def is_owned_header(text) -> bool:
    """Is this a header the service wrote (one of its owned columns)?"""
    return isinstance(text, str) and text.strip().lower().startswith((OWNED_PREFIX, OWNED_MARK))


@dataclass
class Tab:
    title: str
    rows: list[list[str]]
    sheet_id: int | None = None      # Google's numeric sheetId; None for xlsx
    grid: tuple[int, int] | None = None   # Google's (rowCount, columnCount): writes must fit
    # cells holding a formula, (row, col) 1-based -> its text: a formula that shows
    # nothing still makes its column the student's
    formulas: dict[tuple[int, int], str] = field(default_factory=dict)
    # the service's marks (Google developer metadata, an .xlsx defined name): owned
    # column kind -> 1-based column, wherever the student moved or renamed it
    marks: dict[str, int] = field(default_factory=dict)
    ours: bool = False               # the tab carries the summary tab's mark
    frozen_rows: int = 0             # rows the student froze (we freeze the header only if none)

    def value(self, row: int, col: int) -> str:
        """Cell text at 1-based (row, col); '' outside the grid."""
        if 1 <= row <= len(self.rows):
            r = self.rows[row - 1]
            if 1 <= col <= len(r):
                return r[col - 1]
        return ""

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)

    def copy(self) -> "Tab":
        return Tab(self.title, [list(r) for r in self.rows], self.sheet_id, self.grid,
                   dict(self.formulas), dict(self.marks), self.ours, self.frozen_rows)

    def to_json(self) -> dict:
        return {"title": self.title, "rows": self.rows, "sheet_id": self.sheet_id,
                "grid": list(self.grid) if self.grid else None,
                "formulas": [[r, c, f] for (r, c), f in self.formulas.items()],
                "marks": self.marks, "ours": self.ours, "frozen_rows": self.frozen_rows}

    @classmethod
    def from_json(cls, t: dict) -> "Tab":
        return cls(t["title"], t["rows"], t["sheet_id"], tuple(t["grid"]) if t["grid"] else None,
                   {(r, c): f for r, c, f in t.get("formulas", [])}, dict(t.get("marks", {})),
                   bool(t.get("ours", False)), int(t.get("frozen_rows", 0)))


@dataclass
class Workbook:
    title: str
    tabs: dict[str, Tab] = field(default_factory=dict)
    version: str | None = None       # Drive version / file mtime at read time
    location: str = ""               # path or spreadsheet id, for messages
    # this snapshot is the sheet as our own write left it, and an edit may have raced
    # that write (Drive's version grew by more than our calls): the next night reads the
    # sheet again whatever Drive says, since the edit would otherwise hide behind the
    # version our write produced
    written: bool = False
    # read from a Drive export: cells and formulas, but not Google's sheet ids, grid sizes,
    # marks or frozen rows; Backend.complete() fetches those before anything is planned
    structure_known: bool = True

    def tab(self, title: str) -> Tab | None:
        return self.tabs.get(title)

    def with_structure_of(self, before: "Workbook") -> "Workbook | None":
        """This export-read workbook with the sheet ids, marks and frozen rows of the
        sheet as we last left it, when nothing says they moved: the same tabs, and each
        marked column still headed by our header. None otherwise (ask Google)."""
        if set(self.tabs) != set(before.tabs):
            return None
        tabs = {}
        for title, tab in self.tabs.items():
            old = before.tabs[title]
            for col in old.marks.values():
                heads = [(r, row[col - 1]) for r, row in enumerate(old.rows, 1)
                         if col <= len(row) and is_owned_header(row[col - 1])]
                if not heads or any(tab.value(r, col) != text for r, text in heads):
                    return None
            # a student's tab: its grid is left unknown, they may have deleted rows since
            # (see google_requests.value_requests); our own tab keeps the grid we know
            tabs[title] = Tab(title, tab.rows, old.sheet_id, old.grid if old.ours else None,
                              tab.formulas, dict(old.marks), old.ours, old.frozen_rows)
        if any(t.sheet_id is None for t in tabs.values()):
            return None
        return Workbook(self.title, tabs, self.version, self.location, self.written)

    def with_writes(self, writes, new_tabs=(), marks=(), tab_ids=None, unmarks=()) -> "Workbook":
        """This snapshot as it is after `writes` (tab, row, col, value), `marks` and
        `unmarks` (writeback.plan.Mark): what the sheet holds once our own write has
        landed, kept so an unchanged sheet need not be read."""
        tabs = {t: tab.copy() for t, tab in self.tabs.items()}
        for m in unmarks:
            if m.tab in tabs:
                tabs[m.tab].marks.pop(m.kind, None)
        for title in new_tabs:
            made = (tab_ids or {}).get(title)
            # the grid Google gave it: addSheet asks for 1000 x 26 or what the writes need
            size = (max([1000] + [w.row for w in writes if w.tab == title]),
                    max([26] + [w.col for w in writes if w.tab == title])) if made is not None else None
            tabs.setdefault(title, Tab(title, [], made, size))
        for m in marks:
            if m.tab in tabs:
                if m.col is None:
                    tabs[m.tab].ours = True
                else:
                    tabs[m.tab].marks[m.kind] = m.col
        for w in writes:
            rows = tabs[w.tab].rows
            while len(rows) < w.row:
                rows.append([])
            row = rows[w.row - 1]
            while len(row) < w.col:
                row.append("")
            row[w.col - 1] = cell_text(w.value)
            grid = tabs[w.tab].grid
            if grid and (w.row > grid[0] or w.col > grid[1]):    # the write widened it
                tabs[w.tab].grid = (max(grid[0], w.row), max(grid[1], w.col))
        for tab in tabs.values():
            tab.rows = trim_grid(tab.rows)
        return Workbook(self.title, tabs, self.version, self.location)

    def to_json(self) -> dict:
        return {"title": self.title, "location": self.location, "written": self.written,
                "tabs": [t.to_json() for t in self.tabs.values()]}

    @classmethod
    def from_json(cls, data: dict, version: str | None) -> "Workbook":
        tabs = {t["title"]: Tab.from_json(t) for t in data["tabs"]}
        return cls(data["title"], tabs, version, data["location"], bool(data.get("written", False)))


def trim_grid(rows: list[list[str]]) -> list[list[str]]:
    """Trailing empty cells and rows dropped, as Google's values replies do."""
    out = [r[:max((i + 1 for i, v in enumerate(r) if v != ""), default=0)] for r in rows]
    while out and not out[-1]:
        out.pop()
    return out


FAR_GAP = 26       # empty columns between a row's text and a space that is no part of it


def without_far_blanks(row: list[str]) -> list[str]:
    """A row without the cells holding only spaces that lie more than FAR_GAP empty
    columns past its last text (a space slipped into XFD1): read as the empty cells
    they look like, so our columns go beside the header, not past the sheet's last
    column (both readers: .xlsx and Google's). The cells themselves are never written."""
    if len(row) <= FAR_GAP:
        return row
    end = len(row)
    while end and not row[end - 1].strip():
        end -= 1
    if len(row) - end <= FAR_GAP:
        return row
    near = end + max((i + 1 for i, v in enumerate(row[end:end + FAR_GAP]) if v), default=0)
    return row[:near]


def cell_text(value) -> str:
    """A cell value of any type as the text a student would see."""
    if type(value) is str:         # nearly every cell: snapshots hold text
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if hasattr(value, "isoformat"):
        text = value.isoformat()
        # a datetime at midnight is a date typed without a time
        return text[:10] if text.endswith("T00:00:00") else text.replace("T", " ")
    return str(value)
