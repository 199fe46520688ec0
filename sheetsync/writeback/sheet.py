"""Planning one student's write: owned columns on the CRM tab and the summary tab."""
from __future__ import annotations

from sheetsync.writeback.formats import owned_formats
from sheetsync.writeback.owned import KINDS, owned_columns
from sheetsync.writeback.plan import WritePlan, diff_cells, grid_cells
from sheetsync.workbook import Workbook

SUMMARY_TAB = "sheetsync"
UPDATED_CELL = (2, 2)      # the summary's "last updated" date


def plan_student(student: str, workbook: Workbook, crm_tab: str, header_row: int,
                 per_row: dict[str, dict[int, str]], summary: list[list], language: str) -> WritePlan:
    """`per_row`: kind ('flags', 'state', 'next') -> sheet row -> text."""
    tab = workbook.tabs[crm_tab]
    cols, headers = owned_columns(tab, header_row, language)
    desired: dict[tuple[int, int], object] = {}
    last_row = max([len(tab.rows)] + [r for rows in per_row.values() for r in rows])
    for kind in KINDS:
        c = cols[kind]
        desired[(header_row + 1, c)] = headers[kind]
        values = per_row.get(kind, {})
        for r in range(header_row + 2, last_row + 1):
            desired[(r, c)] = values.get(r, "")
    plan = WritePlan(student, diff_cells(crm_tab, tab, desired))
    if any(w.row == header_row + 1 for w in plan.writes):     # owned columns new or restored
        plan.formats = owned_formats(crm_tab, cols, header_row + 2, language)
    current = workbook.tab(SUMMARY_TAB)
    if current is None:
        plan.new_tabs.append(SUMMARY_TAB)
    plan.writes += diff_cells(SUMMARY_TAB, current, grid_cells(summary, current))
    if not plan.new_tabs and all((w.tab, w.row, w.col) == (SUMMARY_TAB, *UPDATED_CELL) for w in plan.writes):
        plan.writes = []          # only the date moved: nothing to tell the student, no write
    return plan


def plan_shape(student: str, workbook: Workbook, crm_tab: str, header_row: int,
               language: str) -> WritePlan:
    """What the sheet needs before any flag, from its layout alone: the owned columns'
    headers and colours, and the summary tab. Empty once they are there. Google makes it
    while the night is still reading (GoogleBackend.prepare), so the write quota does
    this work while the read quota reads."""
    plan = plan_student(student, workbook, crm_tab, header_row, {}, [], language)
    plan.writes = [w for w in plan.writes if w.tab == crm_tab and w.row == header_row + 1]
    return plan

