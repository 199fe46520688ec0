"""Reading: the roster, which sheets to read tonight, and each sheet read and understood.

A sheet unchanged since its snapshot is judged from the snapshot; one that cannot be
read tonight counts as last seen. Nothing here raises for one student's problem: it
is put in their outcome, naming the sheet and the cell.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, replace

from jobs.night.context import Night, ReadJob, cpu_stage, side_by_side
from jobs.night.outcome import StudentOutcome, problem_of
from sheetsync.config import Student
from sheetsync.errors import ConfigError, SheetsyncError
from sheetsync.normalize import Normalized, Reading, read_crm, reading_key
from sheetsync.normalize.memory import carry_over
from sheetsync.state import load_reading
from sheetsync.workbook import Workbook
from sheetsync.writeback.sheet import plan_shape

log = logging.getLogger("sheetsync.nightly")


# -- before any read -------------------------------------------------------------
def roster(night: Night) -> list[Student]:
    groups = night.state.group_sheets()        # a career group's sheet is no student's
    roster = [s for s in night.backend.roster() if night.backend.key(s) not in groups]
    only = night.options.only
    if only is not None:
        unknown = sorted(only - {s.id for s in roster})
        if unknown:
            raise ConfigError(f"no student {', '.join(map(repr, unknown))} in the roster")
    return roster


def plan_reads(night: Night, roster: list[Student]) -> list[ReadJob]:
    """One Drive listing gives every sheet's version: a sheet whose version equals the
    snapshot kept last time is not read again, unless that snapshot is older than
    `[quota] full_read_every_days`, or our last write to it may have raced an edit."""
    try:
        listed = night.backend.versions()
    except SheetsyncError as e:      # without the listing every sheet is simply read
        log.warning("could not list sheet versions, reading every sheet: %s", e)
        listed = {}
    only, report = night.options.only, night.report
    jobs = []
    for s in roster:
        outcome = StudentOutcome(id=s.id, name=s.name)
        report.students.append(outcome)
        snap = night.state.snapshot(s.id)
        version = listed.get(night.backend.key(s))
        fresh_enough = snap and (night.now - dt.date.fromisoformat(snap[1])).days \
            < night.config.quota["full_read_every_days"]
        # a sheet whose last write may have raced a student's edit is read again: the
        # edit hides behind the version our write produced
        reuse = snap if snap and version and snap[0] == version and fresh_enough \
            and not snap[2].written else None
        if only is not None and s.id not in only:
            if snap is None:
                report.students.remove(outcome)      # nothing known of them: out of this run
                continue
            reuse = snap                              # counts for the cap as last seen
            outcome.message = "not in this run (--student): judged from the last snapshot"
        jobs.append(ReadJob(s, outcome, version, reuse, snap))
    report.unchanged = sum(1 for j in jobs if j.reuse)
    return jobs


def read_all(night: Night, jobs: list[ReadJob]) -> list[SheetRead]:
    """Every student's sheet (or unchanged snapshot), by a small pool of workers: the
    rate limiter paces them. A night that writes students lets a sheet that lacks the
    owned columns or the summary tab get them right after its read (on Google: while
    the others are read)."""
    prepare = night.options.writes_students
    results = side_by_side(night, jobs, lambda j: j.student, lambda j: read_student(
        night, ReadRequest(j.student, j.outcome, version=j.version, snapshot=j.reuse, last=j.last,
                           prepare=prepare)))
    night.report.unchanged = sum(1 for r in results if r and not r.fresh and not r.stale)
    return [r for r in results if r]


@dataclass
class SheetRead:
    student: Student
    outcome: StudentOutcome
    workbook: Workbook
    reading: Reading               # how `workbook` was understood, kept with its snapshot
    reading_key: str               # what that reading depends on besides the workbook
    taken_on: str = ""             # when the sheet was last read from the backend
    fresh: bool = True             # read tonight (False: tonight's listing showed no change)
    reading_kept: bool = False     # the snapshot already holds this reading
    before: Workbook | None = None  # the sheet as we last left it (the newest snapshot)
    lost_headers: tuple = ()        # judged on last night's reading: these headers are gone
    stale: bool = False             # unreadable tonight: counts by its last snapshot, never written

    @property
    def tab(self) -> str:
        return self.reading.tab

    @property
    def normalized(self) -> Normalized:
        return self.reading.normalized


@dataclass
class ReadRequest:
    """One sheet to read, or to judge from a snapshot, with what is known of it already."""
    student: Student
    outcome: StudentOutcome
    version: str | None = None       # tonight's listed version, if the backend lists them
    snapshot: tuple | None = None    # judge from this snapshot instead of reading
    last: tuple | None = None        # the newest snapshot: gives `before`, its reading if the cells match
    previous: SheetRead | None = None  # the student's last snapshot, already understood
    before: Workbook | None = None   # the sheet as we last left it
    prepare: bool = False            # the backend may make our columns and tab right after the read


def read_student(night: Night, ask: ReadRequest) -> SheetRead | None:
    """Read and understand one student's sheet; None when there is nothing to judge.
    `ask.prepare`: let a backend that can make the owned columns and the summary tab
    right after the read (Google) do so now. `ask.previous`: the student's last
    snapshot, already understood; a sheet read to the same cells keeps its very reading,
    so the judge knows it already (the weekly full read of an unchanged cohort).
    `ask.before`: the sheet as we last left it, to tell a student's note in an owned cell;
    `ask.last`: the newest snapshot (it gives `before`, and its reading if the cells match)."""
    student, outcome, snapshot, last, previous = ask.student, ask.outcome, ask.snapshot, ask.last, ask.previous
    year, report = night.calendar.year, night.report
    try:
        kept = None
        if snapshot is not None:
            workbook, taken_on, fresh = snapshot[2], snapshot[1], False
            kept = snapshot[3]
        else:
            workbook = night.backend.read(student, version=ask.version)
            taken_on, fresh = night.now.isoformat(), True
        key = reading_key(year=year, tab=student.tab, overrides=student.columns, student=student.id)
        with cpu_stage(report, "normalise"):
            if previous is not None and previous.reading_key == key and _same_cells(workbook, previous.workbook):
                reading = previous.reading
            elif kept is None and last is not None and _same_cells(workbook, last[2]):
                reading = load_reading(last[3], key)     # read again to the same cells
            else:
                reading = load_reading(kept, key)
            reused = reading is not None
            if reading is None:
                reading = read_crm(workbook, tab=student.tab, overrides=student.columns, year=year,
                                   student=student.id)
            before = ask.before if ask.before is not None else (snapshot or last or (None, None, None))[2]
            if not workbook.structure_known and before is not None:    # an export's sheet ids
                workbook = workbook.with_structure_of(before) or workbook
            overrides, carried = student.columns, None
            if fresh and reading.tab is not None and before is not None:
                def before_reading(tab):      # unpickled only when the header row changed
                    if previous is not None:
                        known = previous.reading
                    else:
                        known = load_reading(last[3], key) if last is not None else None
                    if known is None or known.tab != tab:
                        known = read_crm(before, tab=tab, overrides=student.columns, year=year,
                                         student=student.id)
                    return known
                carried = _carried_mapping(workbook, reading, before, before_reading)
                if carried and carried.overrides:
                    overrides = {**(student.columns or {}), **carried.overrides}
                    reading = read_crm(workbook, tab=reading.tab, overrides=overrides, year=year,
                                       student=student.id)
        attention = None
        if carried and carried.essential_lost:
            # no publishing a collapse: judged as last night, the student told what vanished
            attention = _attention_message(carried, reading.tab)
            reading, reused = carried.previous, False
        elif reading.tab is not None and fresh and ask.prepare and night.backend.prepares_on_read:
            workbook, reading = _prepare(night, student, workbook, reading, overrides)
        if reading.tab is None:
            outcome.status, outcome.problem = "skipped", "no_tab"
            outcome.message = no_tab_message(workbook, student.tab)
            return None
        norm = reading.normalized
        outcome.tab, outcome.leads = reading.tab, norm.leads
        outcome.understood = reading.report_lines() + (carried.lines if carried else [])
        if attention:
            outcome.attention = outcome.message = attention
        outcome.fields = sorted({c.field for c in norm.columns if c.field})
        outcome.unparsed = [f"{reading.tab}!{p.cell} {p.field} {p.value!r}" for p in norm.problems]
        outcome.unmapped_columns = norm.unmapped
        return SheetRead(student, outcome, workbook, reading, key, taken_on, fresh, reused, before,
                         tuple(h for _, h in carried.essential_lost) if attention else ())
    except SheetsyncError as e:
        outcome.status, outcome.message, outcome.problem = "failed", str(e), problem_of(e)
    except Exception as e:     # a bug must not stop the other students
        log.exception("reading %s", student.id)
        outcome.status, outcome.problem = "failed", "internal"
        outcome.message = f"internal error while reading: {type(e).__name__}: {e}"
    return _as_last_seen(night, ask) if snapshot is None else None


def _as_last_seen(night: Night, ask: ReadRequest) -> SheetRead | None:
    """A sheet that cannot be read tonight counts for the cap, the master and the cohort's
    figures as it was last seen, so no other student's verdict moves because of it; it
    is not written, and its outcome says so. None when it was never seen."""
    outcome, failed = ask.outcome, (ask.outcome.status, ask.outcome.message, ask.outcome.problem)
    if ask.previous is not None:
        seen = replace(ask.previous, outcome=outcome)
    elif ask.last is not None:
        seen = read_student(night, ReadRequest(ask.student, outcome, snapshot=ask.last))
    else:
        return None
    outcome.status, outcome.message, outcome.problem = failed
    if seen is None:
        return None
    outcome.message += (f" (counted by its last good read, {seen.taken_on}, for the cap and the"
                        " master; not written tonight)")
    seen.fresh, seen.stale = False, True
    outcome.tab, outcome.leads = seen.tab, seen.normalized.leads
    return seen


def _same_cells(a: Workbook, b: Workbook) -> bool:
    return a.tabs.keys() == b.tabs.keys() and all(a.tabs[t].rows == b.tabs[t].rows for t in a.tabs)


def _carried_mapping(workbook: Workbook, reading, before: Workbook, before_reading):
    """What last night's mapping carries over a renamed header into tonight's reading
    (None when the header row is as it was); tonight's sheet is then understood again
    with its overrides. `before_reading(tab)`: how `before` was understood (kept, or
    understood now)."""
    tab = reading.tab
    old_tab, new_tab = before.tab(tab), workbook.tabs[tab]
    h = reading.normalized.header_row
    if old_tab is None or h is None or h < 0 or \
            (h < len(old_tab.rows) and h < len(new_tab.rows) and old_tab.rows[h] == new_tab.rows[h]):
        return None
    last_reading = before_reading(tab)
    if last_reading.tab != tab or last_reading.normalized is None:
        return None
    carried = carry_over(last_reading.normalized, old_tab.rows, reading.normalized, new_tab.rows)
    carried.previous = last_reading
    return carried


def _attention_message(carried, tab: str) -> str:
    lost = ", ".join(f"{header!r} ({fld})" for fld, header in carried.essential_lost)
    return (f"the column {lost} in tab {tab!r} is gone since last night and no column holds its"
            " values: flags and numbers kept from last night until it is back (or set"
            " [[students]] columns)")


def _prepare(night: Night, student: Student, workbook: Workbook, reading, overrides=None):
    """The sheet's structure made now; the sheet as it is after. If it shows a student's
    edit since our read (not just our headers and tab), it is understood again."""
    shape = plan_shape(student.id, workbook, reading.tab, reading.normalized.header_row,
                       night.config.language)
    if not shape:
        return workbook, reading
    shaped = night.backend.prepare(student, shape, workbook)
    expected = workbook.with_writes(shape.writes, shape.new_tabs)
    if {t: tab.rows for t, tab in shaped.tabs.items()} == {t: tab.rows for t, tab in expected.tabs.items()}:
        return shaped, reading
    with cpu_stage._lock:
        night.report.edit_retries += 1
    with cpu_stage(night.report, "normalise"):
        return shaped, read_crm(shaped, tab=student.tab, overrides=overrides or student.columns,
                                year=night.calendar.year, student=student.id)


def no_tab_message(workbook: Workbook, configured: str | None) -> str:
    where = f"{workbook.location}"
    if configured:
        return f"configured tab {configured!r} not found in {where} (tabs: {', '.join(workbook.tabs)})"
    if not any(t.rows for t in workbook.tabs.values()):
        return f"the workbook is empty: {where}"
    return (f"no tab with a recognisable header (columns like Företag/Company, Telefon/Phone,"
            f" Status) in {where}; tabs: {', '.join(workbook.tabs)}")
