"""`sheetsync distribute` (D1, sprint 1 step 1): the career group's warm leads shared out.

The group's collective CRM is one sheet: its leads, and the members' wishes either as a
column per member (headed with the member's id or name; any mark means "I want it") or
as a wish tab (one row per wish: member and company). Each lead goes to at most `cap`
members who want it. When more want it, members with fewer leads so far come first,
and lots (the same seeded draw as the cap rule) decide between equals, so every member
gets a fair share and the result is reproducible from the seed.

Each assigned lead is appended below the member's own table, in the member's own column
layout, cleaned of speculation (D2). Nothing is written without `--apply`; the appended
cells are logged, so `sheetsync undo RUN_ID` removes them.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path
import re
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

from rules.caps.lottery import draw
from rules.cleanup.CL05 import SPECULATION
from sheetsync.backends import open_backend
from sheetsync.config import Config, Student
from sheetsync.errors import SheetsyncError
from sheetsync.normalize import read_crm
from sheetsync.normalize.companies import company_key
from sheetsync.normalize.headers import find_header_row, map_header
from sheetsync.normalize.text import fold
from sheetsync.state import StateStore
from sheetsync.workbook import Workbook, cell_text
from sheetsync.writeback.plan import CellWrite, WritePlan

COPIED = ("company", "org_number", "website", "category", "size", "city", "work_mode",
          "contact_name", "contact_role", "phone", "email", "linkedin", "notes", "position", "link")
SOURCE = {"sv": "Career-gruppen", "en": "Career group"}
WARM = {"sv": "varm", "en": "warm"}


@dataclass
class MemberPlan:
    student: Student
    leads: list[str] = field(default_factory=list)        # company names assigned
    already: list[str] = field(default_factory=list)      # assigned but already in their CRM
    plan: WritePlan | None = None
    error: str = ""


@dataclass
class Distribution:
    assignments: dict[str, list[str]]                     # company key -> member ids
    members: list[MemberPlan]
    run_id: int | None = None
    applied: bool = False
    no_wishes: str = ""            # why nobody got a lead, when nobody did

    def table(self) -> str:
        lines = []
        for m in self.members:
            lines.append(f"{m.student.name}: {len(m.leads)} lead(s)"
                         + (f", {len(m.already)} already in the CRM" if m.already else "")
                         + (f" – FAILED: {m.error}" if m.error else ""))
            lines += [f"  + {c}" for c in m.leads]
        if self.no_wishes:
            lines.append(self.no_wishes)
        elif not any(m.leads for m in self.members):
            lines.append("nothing to write: every lead assigned is already in its member's CRM")
        lines.append(("written, run " + str(self.run_id) + " (sheetsync undo "
                      + str(self.run_id) + " removes it)") if self.applied
                     else "dry run: nothing written (add --apply to write)")
        return "\n".join(lines)


def group_wishes(workbook: Workbook, members: list[Student], tab: str | None = None):
    """(leads frame of the group CRM, company key -> ids of the members who want it)."""
    reading = read_crm(workbook, tab=tab, year=dt.date.today().year, student="group")
    if reading.tab is None:
        raise SheetsyncError(f"the group CRM has no tab with a recognisable header ({workbook.location})")
    leads = reading.normalized.frame
    grid = workbook.tabs[reading.tab].rows
    h = reading.normalized.header_row
    header = grid[h] if h >= 0 else []
    by_name = {fold(m.id): m.id for m in members} | {fold(m.name): m.id for m in members}
    wish_cols = {c: by_name[fold(h)] for c, h in enumerate(header) if fold(h) in by_name}
    wishes: dict[str, list[str]] = {}
    for lead in leads.itertuples():
        row = grid[lead.row - 1]
        for c, member in wish_cols.items():
            if c < len(row) and str(row[c]).strip():
                wishes.setdefault(lead.company_key, []).append(member)
    for title, t in workbook.tabs.items():                # or a wish tab: member, company
        if title == reading.tab or wish_cols:
            continue
        h = find_header_row(t.rows)
        if h is None:
            continue
        fields = [map_header(v)[0] for v in t.rows[h]]
        if "company" not in fields:
            continue
        member_col = next((i for i, v in enumerate(t.rows[h])
                           if fold(v) in ("medlem", "member", "student", "namn", "name")), None)
        if member_col is None:
            continue
        company_col = fields.index("company")
        for r in t.rows[h + 1:]:
            if len(r) > max(member_col, company_col) and fold(r[member_col]) in by_name and r[company_col]:
                wishes.setdefault(company_key(r[company_col]), []).append(by_name[fold(r[member_col])])
    return leads, {k: sorted(set(v)) for k, v in wishes.items()}


def _no_wishes(book: Workbook, members: list[Student], leads: pd.DataFrame) -> str:
    header = next((t.rows[h] for t in book.tabs.values()
                   if (h := find_header_row(t.rows)) is not None), [])
    seen = ", ".join(str(h) for h in header if str(h).strip()) or "none"
    names = ", ".join(m.id for m in members[:6]) + (", ..." if len(members) > 6 else "")
    return (f"nobody got a lead: the group sheet ({book.location}) has {len(leads)} lead(s) but no"
            f" wishes. Head a column with each member's id or name (any mark in it means \"I want"
            f" it\"), or add a tab with Member and Company columns. Members: {names}. Columns"
            f" found: {seen}.")


def assign(keys: list[str], wishes: dict[str, list[str]], *, cap: int = 3,
           seed: str = "sheetsync") -> dict[str, list[str]]:
    """Each lead to at most `cap` of the members who want it; fewest leads so far first,
    a seeded draw between equals; leads taken in a seeded order so no one is favoured
    by the sheet's row order."""
    load: Counter = Counter()
    _, order = draw(sorted(set(keys)), seed, "distribute:order", 0)
    out = {}
    for key in order:
        wanted = wishes.get(key, [])
        if not wanted:
            continue
        _, ranked = draw(wanted, seed, key, 0)
        rank = {m: i for i, m in enumerate(ranked)}
        chosen = sorted(wanted, key=lambda m: (load[m], rank[m]))[:cap]
        load.update(chosen)
        out[key] = sorted(chosen)
    return out


def clean_notes(text) -> str:
    """D2: only the sentences that state facts; speculation stays behind."""
    if not isinstance(text, str):
        return ""
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip()]
    return " ".join(s for s in sentences if not SPECULATION.search(s))


def append_rows(member: Student, workbook: Workbook, leads: pd.DataFrame, language: str,
                year: int) -> tuple[WritePlan, list[str], list[str]]:
    """Cells appended below the member's table in their own layout; (plan, added, already)."""
    reading = read_crm(workbook, tab=member.tab, overrides=member.columns, year=year, student=member.id)
    if reading.tab is None:
        raise SheetsyncError(f"{member.name}'s CRM has no recognisable header ({workbook.location})")
    have = set(reading.normalized.frame["company_key"].dropna())
    tab = workbook.tabs[reading.tab]
    cols = {c.field: c.index + 1 for c in reading.normalized.columns if c.field}
    next_row = len(tab.rows) + 1
    writes, added, already = [], [], []
    for lead in leads.itertuples():
        if lead.company_key in have:
            already.append(lead.company)
            continue
        values = {f: getattr(lead, f) for f in COPIED}
        values["phone"] = lead.phone_raw if isinstance(lead.phone_raw, str) else values["phone"]
        values["email"] = lead.email_raw if isinstance(lead.email_raw, str) else values["email"]
        values["notes"] = clean_notes(lead.notes)
        values["temperature"] = WARM[language]
        values["source"] = SOURCE[language]
        for f, value in values.items():
            text = cell_text(value) if not (isinstance(value, float) and value != value) else ""
            if f in cols and text and text != "None":
                writes.append(CellWrite(reading.tab, next_row, cols[f], text, old=""))
        added.append(lead.company)
        next_row += 1
    return WritePlan(member.id, writes), added, already


def distribute(config: Config, group: str, *, tab: str | None = None, cap: int = 3,
               seed: str = "sheetsync", apply: bool = False, backend=None) -> Distribution:
    backend = backend or open_backend(config)
    members = backend.roster()
    group_ref = Student(id="group", name="career group", sheet=group, file=group)
    if backend.kind == "xlsx":       # a path as given (or beside the config, as before)
        given = Path(group)
        path = given if given.is_file() else config.resolve(group)
        if not path.is_file():
            path = backend.folder / group
        members = [m for m in members if backend.path(m).resolve() != path.resolve()]
        group_key = path.name
        book = backend.read_file(path, group_ref)
    else:
        group_key = backend.key(group_ref)
        members = [m for m in members if backend.key(m) != group_key]
        book = backend.read(group_ref)
    leads, wishes = group_wishes(book, members, tab)
    assignments = assign(list(leads["company_key"].dropna()), wishes, cap=cap, seed=seed)
    result = Distribution(assignments, [], no_wishes="" if wishes else _no_wishes(book, members, leads))
    now = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    state = StateStore(config.state_path)
    state.add_group_sheet(group_key, now)      # the nightly run never judges it as a student
    if not apply:
        state.close()
        state = None
    if state:
        result.run_id = state.start_run(now, dt.date.today().isoformat(), False)
    try:
        for member in members:
            mine = [k for k, ms in assignments.items() if member.id in ms]
            if not mine:
                continue
            m = MemberPlan(member)
            result.members.append(m)
            try:
                workbook = backend.read(member)
                chosen = leads[leads["company_key"].isin(mine)].drop_duplicates("company_key")
                m.plan, m.leads, m.already = append_rows(member, workbook, chosen, config.language,
                                                         dt.date.today().year)
                if apply and m.plan.writes:
                    backend.write(member, m.plan, workbook)
                    state.log_cell_writes(result.run_id, member.id,
                                          [(w.tab, w.a1, w.old, cell_text(w.value)) for w in m.plan.writes])
            except SheetsyncError as e:
                m.error = str(e)
        result.applied = apply
    finally:
        if state:
            state.finish_run(result.run_id, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                             {"kind": "distribute", "assignments": assignments},
                             {"kind": "distribute", "assigned": sum(len(v) for v in assignments.values())})
            state.close()
    return result
