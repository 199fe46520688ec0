"""A whole workbook read as a CRM: which tab, how it was understood, a log folded in."""
from __future__ import annotations

from dataclasses import dataclass

from sheetsync.normalize.contact_log import apply_log, find_log_tab
from sheetsync.normalize.frame import Normalized, normalize
from sheetsync.normalize.tabs import choose_crm_tab
from sheetsync.workbook import Workbook


@dataclass
class Reading:
    tab: str | None                  # the CRM tab; None when no tab has a header
    normalized: Normalized | None
    log_tab: str | None = None

    def report_lines(self) -> list[str]:
        """How the sheet was understood, for a staff member (`sheetsync check`)."""
        if self.normalized is None:
            return []
        n = self.normalized
        lines = [f"tab {self.tab!r}, header on row {n.header_row + 1}, {len(n.frame)} leads"
                 + (f", contact log in tab {self.log_tab!r}" if self.log_tab else "")]
        for c in n.columns:
            target = c.field or ("kept as is" if not c.note else f"kept as is: {c.note}")
            lines.append(f"  {c.header!r:<32} -> {target}" + (f" ({c.confidence:.2f})" if c.field else ""))
        for p in n.problems:
            lines.append(f"  cell {p.cell}: {p.kind} {p.field} {p.value!r}".rstrip())
        return lines


def read_crm(workbook: Workbook, *, tab: str | None = None, overrides: dict | None = None,
             year: int, student: str | None = None) -> Reading:
    header_rows: dict[str, int | None] = {}
    crm = choose_crm_tab(workbook, tab, header_rows)
    if crm is None:
        return Reading(None, None)
    norm = normalize(workbook.tabs[crm].rows, year=year, overrides=overrides, student=student, tab=crm,
                     header_row=header_rows.get(crm, -1))
    log_tab = find_log_tab(workbook, crm)
    if log_tab:
        log = normalize(workbook.tabs[log_tab].rows, year=year, student=student, tab=log_tab)
        norm.frame = apply_log(norm.frame, log.frame)
    return Reading(crm, norm, log_tab)
