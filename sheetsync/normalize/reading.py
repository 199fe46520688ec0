"""A whole workbook read as a CRM: which tab, how it was understood, a log folded in."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from sheetsync.normalize.contact_log import apply_log, find_log_tab
from sheetsync.normalize.frame import FIND, Normalized, normalize
from sheetsync.normalize.headers import find_header_row
from sheetsync.workbook import OWNED_PREFIX
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
        lines = [f"tab {self.tab!r}, header on row {n.header_row + 1}, {n.leads} leads"
                 + (f", contact log in tab {self.log_tab!r}" if self.log_tab else "")]
        for c in n.columns:
            target = c.field or ("kept as is" if not c.note else f"kept as is: {c.note}")
            if _undecided(c):
                target += ("; " if c.note else ": ") + (f"no field decided, set columns = {{ {json.dumps(c.header, ensure_ascii=False)} = "
                                                        f"\"<field>\" }} for this student if it holds one")
            lines.append(f"  {c.header!r:<32} -> {target}" + (f" ({c.confidence:.2f})" if c.field else "")
                         + (f": {c.note}" if c.field and c.note else ""))
        for p in n.problems:
            what = PROBLEM_WORDS.get(p.kind)
            lines.append(f"  cell {p.cell}: {what} {p.value!r}" if what else
                         f"  cell {p.cell}: {p.kind} {p.value!r}".rstrip())
        return lines


# a cell the normaliser could not read, in words (staff read `check`; field names are ours)
PROBLEM_WORDS = {"date": "could not read the date", "phone": "could not read the phone number",
                 "email": "could not read the e-mail address", "status": "could not understand the status",
                 "attempts": "could not read the number of attempts",
                 "totals_row": "a totals row, not a lead:"}


def _undecided(column) -> bool:
    """Unmapped for want of evidence, not because a vocabulary or staff said it holds
    nothing a rule uses, nor because a better column holds its field."""
    return (column.field is None and column.confidence < 1.0
            and not column.note.startswith(("also looks like", "ignored by config")))


def read_crm(workbook: Workbook, *, tab: str | None = None, overrides: dict | None = None,
             year: int, student: str | None = None) -> Reading:
    header_rows: dict[str, int | None] = {}
    crm = choose_crm_tab(workbook, tab, header_rows)
    if crm is None:
        return Reading(None, None)
    rows, header_row = workbook.tabs[crm].rows, header_rows.get(crm, FIND)
    marks = workbook.tabs[crm].marks
    if marks and header_row == FIND:
        header_row = find_header_row(rows)
    if marks and header_row is not None and 0 <= header_row < len(rows):
        # our marked columns stay ours under any header the student gave them
        header = list(rows[header_row])
        for col in marks.values():
            if col <= len(header):
                header[col - 1] = OWNED_PREFIX
        rows = rows[:header_row] + [header] + rows[header_row + 1:]
    norm = normalize(rows, year=year, overrides=overrides, student=student, tab=crm,
                     header_row=header_row)
    log_tab = find_log_tab(workbook, crm)
    if log_tab:
        log = normalize(workbook.tabs[log_tab].rows, year=year, student=student, tab=log_tab)
        norm.frame = apply_log(norm.frame, log.frame)
    return Reading(crm, norm, log_tab)


@lru_cache(maxsize=1)
def _normaliser_fingerprint() -> str:
    """Changes with the normaliser's code, its vocabulary files and pandas: a reading
    kept by another version is not trusted."""
    digest = hashlib.sha256(pd.__version__.encode())
    here = Path(__file__).parent          # the vocabulary decides as much as the code
    for path in sorted(here.glob("*.py")) + sorted((here / "vocabulary").glob("*.toml")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def reading_key(*, year: int, tab: str | None, overrides: dict | None, student: str | None) -> str:
    """What a reading of one workbook depends on besides the workbook itself."""
    settings = json.dumps([year, tab, sorted((overrides or {}).items()), student], default=str)
    return f"{_normaliser_fingerprint()}:{hashlib.sha256(settings.encode()).hexdigest()[:16]}"
