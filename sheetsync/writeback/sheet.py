"""Planning one student's write: owned columns on the CRM tab and the summary tab."""
from __future__ import annotations

from sheetsync.a1 import cell
from sheetsync.i18n import t
from sheetsync.writeback.formats import is_look_mark, look_mark, owned_formats, owned_looks, wrapped_lines
from sheetsync.writeback.summary import Heading
from sheetsync.writeback.owned import KINDS, owned_columns, written_by_us
from sheetsync.writeback.plan import CellWrite, ColumnLook, Mark, WritePlan, diff_cells, grid_cells
from sheetsync.workbook import Tab, Workbook, is_owned_header

SUMMARY_TAB = "sheetsync"
SUMMARY_MARK = "summary"
UPDATED_CELL = (2, 2)      # the summary's "last updated" date
SUMMARY_WIDTHS = {1: 46, 2: 14, 3: 40}      # labels and to-do lines, figures, bars (characters)


def summary_tab(workbook: Workbook) -> tuple[str, bool]:
    """(title, it is ours already): the tab carrying our mark, or a `sheetsync` tab from
    before marks (it starts with our title, or is empty), or else a new one. A
    `sheetsync` tab the student made is theirs: ours then goes by `sheetsync (2)`."""
    for title, tab in workbook.tabs.items():
        if tab.ours:
            return title, True
    title, n = SUMMARY_TAB, 1
    while (tab := workbook.tab(title)) is not None:
        if _our_old_summary(tab):
            return title, True
        n += 1
        title = f"{SUMMARY_TAB} ({n})"
    return title, False


def _our_old_summary(tab: Tab) -> bool:
    if not tab.rows and not tab.formulas:
        return True
    return tab.value(1, 1) in (t("sum.title", "sv"), t("sum.title", "en"))


def plan_student(student: str, workbook: Workbook, crm_tab: str, header_row: int,
                 per_row: dict[str, dict[int, str]], summary: list[list], language: str,
                 before: Workbook | None = None) -> WritePlan:
    """`per_row`: kind ('flags', 'state', 'next') -> sheet row -> text. `before`: the sheet
    as we last left it, to tell a student's note typed into an owned cell from our text."""
    tab = workbook.tabs[crm_tab]
    owned = owned_columns(tab, header_row, language)
    desired: dict[tuple[int, int], object] = {}
    last_row = max([len(tab.rows)] + [r for rows in per_row.values() for r in rows])
    for kind in KINDS:
        c = owned.cols[kind]
        if header_row >= 0:            # a sheet without a header gets unheaded owned columns
            desired[(header_row + 1, c)] = owned.headers[kind]
        values = per_row.get(kind, {})
        for r in range(header_row + 2, last_row + 1):
            desired[(r, c)] = values.get(r, "")
        for r in range(1, header_row + 1):      # rows inserted above the header since we wrote
            have = tab.value(r, c)
            if have and (is_owned_header(have) or written_by_us(kind, have)):
                desired[(r, c)] = ""
    writes = diff_cells(crm_tab, tab, desired)
    writes, notes = _keep_notes(writes, tab, header_row, owned.cols, before, crm_tab)
    plan = WritePlan(student, writes)
    plan.row_lines = {crm_tab: wrapped_lines(per_row, owned.cols, writes)}
    if owned.placed:
        plan.new_columns = {crm_tab: sorted(owned.cols[k] for k in owned.placed)}
        plan.looks = owned_looks(crm_tab, owned.cols, header_row, per_row, owned.headers)
    plan.marks = [Mark(crm_tab, k, owned.cols[k]) for k in KINDS if k in owned.unmarked]
    _colour(plan, tab, crm_tab, owned, header_row, language)
    return plan_summary(plan, workbook, summary, language, notes)


def _colour(plan: WritePlan, tab: Tab, crm_tab: str, owned, header_row: int, language: str) -> None:
    """The colour rules on owned columns placed tonight, or on a sheet whose rules are
    older or of another language than tonight's (formats.look_mark): those are taken away
    first, so a sheet never keeps two sets."""
    look = look_mark(language)
    if not owned.placed and look in tab.marks:
        return
    plan.formats = owned_formats(crm_tab, owned.cols, header_row + 2, language)
    if owned.placed != set(KINDS):           # some of our columns, and their rules, were there
        plan.relaid = {crm_tab: sorted(owned.cols.values())}
    plan.marks.append(Mark(crm_tab, look, owned.cols["flags"]))    # Google takes every one there away first
    plan.unmarks = [Mark(crm_tab, kind) for kind in tab.marks if is_look_mark(kind) and kind != look]


def plan_summary(plan: WritePlan, workbook: Workbook, summary: list[list], language: str,
                 notes: list[CellWrite] = (), notice: str | None = None) -> WritePlan:
    """The summary tab's part of a plan (`notice`: one line the student must read first)."""
    title, ours = summary_tab(workbook)
    current = workbook.tab(title)
    if current is None:
        plan.new_tabs.append(title)
        plan.looks += [ColumnLook(title, col, width, False, 1 if col == 1 else None)
                       for col, width in SUMMARY_WIDTHS.items()]
    if not ours:
        plan.marks.append(Mark(title, SUMMARY_MARK))
    if summary:
        if notice:
            summary = summary[:1] + [[notice], []] + summary[1:]
        summary = summary + _notice_rows(title, notes, language)
    plan.writes += diff_cells(title, current, grid_cells(summary, current))
    if not plan.new_tabs and not plan.marks and not notes and not notice and \
            all((w.tab, w.row, w.col) == (title, *UPDATED_CELL) for w in plan.writes):
        plan.writes = []          # only the date moved: nothing to tell the student, no write
    headings = frozenset({1} | {r for r, row in enumerate(summary, 1) if row and isinstance(row[0], Heading)})
    if summary and any(w.tab == title for w in plan.writes) and \
            (current is None or any(current.value(r, 1) != str(summary[r - 1][0]) for r in headings)):
        plan.headings[title] = (headings, max(len(summary), len(current.rows) if current else 0))
    return plan


def _keep_notes(writes: list[CellWrite], tab: Tab, header_row: int, cols: dict[str, int],
                before: Workbook | None, crm_tab: str) -> tuple[list[CellWrite], list[CellWrite]]:
    """Writes over text the student typed into an owned cell carry that text as `old`,
    so it is logged with the run and `undo` puts it back; (writes, those notes)."""
    kind_at = {c: k for k, c in cols.items()}
    left = before.tab(crm_tab) if before is not None else None
    ours_before: dict[str, set] = {}

    def we_left(kind: str, text: str) -> bool:       # the column as we left it, looked at once
        if left is None:
            return False
        if kind not in ours_before:
            c = cols[kind]
            ours_before[kind] = {row[c - 1] for row in left.rows if c <= len(row)}
        return text in ours_before[kind]
    out, notes = [], []
    for w in writes:
        have = tab.value(w.row, w.col)
        kind = kind_at.get(w.col)
        if w.row > header_row + 1 and have.strip() and kind and \
                not written_by_us(kind, have) and not we_left(kind, have):
            w = CellWrite(w.tab, w.row, w.col, w.value, old=have, owned=True)
            notes.append(w)
        out.append(w)
    return out, notes


def _notice_rows(title: str, notes: list[CellWrite], language: str) -> list[list]:
    rows = []
    if title != SUMMARY_TAB:
        rows += [[t("sum.own_tab", language, tab=SUMMARY_TAB, ours=title)], []]
    if notes:
        rows += [[t("sum.moved_notes", language)]]
        rows += [["", t("sum.moved_note", language, cell=cell(w.row, w.col), text=w.old)] for w in notes]
        rows += [[]]
    return rows


def plan_shape(student: str, workbook: Workbook, crm_tab: str, header_row: int,
               language: str) -> WritePlan:
    """What the sheet needs before any flag, from its layout alone: the owned columns'
    colours and marks, and the summary tab (no cell). Empty once they are there. Google
    makes it while the night is still reading (GoogleBackend.prepare), so the write quota
    does this work while the read quota reads."""
    plan = plan_student(student, workbook, crm_tab, header_row, {}, [], language)
    plan.writes = []          # every cell goes with the values write, after its version check
    return plan
