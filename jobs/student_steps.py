"""One student's steps in a night: read and understand the sheet, plan and write it.

Shared by the night that reads everyone before judging (jobs.nightly) and the night that
writes while it reads (jobs.stream); each step takes the `Night` (jobs.night) for what
the run shares. Nothing here raises for one student's problem: it is put in their
outcome, naming the sheet and the cell.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from jobs.judging import Judgement
from jobs.report import RunReport, StudentOutcome, problem_of
from sheetsync.config import Student
from sheetsync.engine.registry import registry
from sheetsync.errors import SheetBusy, SheetChangedError, SheetsyncError
from sheetsync.normalize import Normalized, Reading, read_crm, reading_key
from sheetsync.normalize.memory import carry_over
from sheetsync.state import disk_full, load_reading, state_error
from sheetsync.workbook import Workbook, cell_text
from sheetsync.writeback.cleanup import cleanup_writes
from sheetsync.i18n import t
from sheetsync.writeback.plan import WritePlan
from sheetsync.writeback.sheet import plan_shape, plan_student, plan_summary
from sheetsync.writeback.summary import ToDo, build_summary

if TYPE_CHECKING:
    from jobs.night import Night

log = logging.getLogger("sheetsync.nightly")
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
MAX_EDIT_RETRIES = 3


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


def write_student(night: Night, reads: list[SheetRead], i: int, judged: Judgement,
                  focus: set[str] | None = None) -> Judgement:
    """Plan and write one student's sheet; on an edit in between, read and judge again
    (`focus`: the students the judgement covers, default all)."""
    backend, report = night.backend, night.report
    for attempt in range(MAX_EDIT_RETRIES + 1):
        r = reads[i]
        try:
            with cpu_stage(report, "plan"):
                wanted = what_to_write(night, r, judged)
                plan = plan_for(night, r, wanted)
            if plan and not r.workbook.structure_known and not report.dry_run:
                # read from an export: its sheet ids and our marks first; planned again
                # only if the marks differ (nothing else a plan depends on can)
                exported, r.workbook = r.workbook, backend.complete(r.student, r.workbook)
                if _marks_of(r.workbook) != _marks_of(exported):
                    with cpu_stage(report, "plan"):
                        plan = plan_for(night, r, wanted)
            r.outcome.flags = len(judged.found_of(r.student.id))
            if report.dry_run:
                report.plans.append(plan.describe())
                return judged
            if not plan:
                keep_snapshot(night, r, plan)
                return judged
            r.outcome.cells_written = backend.write(r.student, plan, r.workbook)
            if plan.student_cells:
                night.state.log_cell_writes(report.run_id, r.student.id,
                                            [(w.tab, w.a1, w.old, cell_text(w.value)) for w in plan.student_cells])
            keep_snapshot(night, r, plan)
            return judged
        except SheetChangedError:
            if attempt == MAX_EDIT_RETRIES:
                r.outcome.status, r.outcome.problem = "skipped", "changing"
                r.outcome.message = (f"the sheet kept changing while we wrote ({attempt + 1} tries);"
                                     " nothing written, next night tries again")
                return judged
            fresh = read_student(night, ReadRequest(r.student, r.outcome, before=r.before))
            if fresh is None:
                return judged
            reads[i] = fresh
            judged = night.judge(reads, focus)
            report.edit_retries += 1
        except SheetBusy as e:            # open in Excel, read-only: tomorrow
            r.outcome.status, r.outcome.message, r.outcome.problem = "skipped", str(e), "busy"
            return judged
        except SheetsyncError as e:
            r.outcome.status, r.outcome.message, r.outcome.problem = "failed", str(e), problem_of(e)
            return judged
        except Exception as e:
            if disk_full(e):         # no student's problem: the night stops with one line
                raise state_error(e, night.config.state_path) from None
            log.exception("writing %s", r.student.id)
            r.outcome.status, r.outcome.problem = "failed", "internal"
            r.outcome.message = f"internal error while writing: {type(e).__name__}: {e}"
            return judged
    return judged


def _marks_of(workbook: Workbook) -> dict:
    """What of a sheet's structure a write plan depends on (writeback.sheet): the owned
    columns' marks and which tab is our summary. Sheet ids, grids and frozen rows only
    shape the requests made from the plan."""
    return {title: (tab.marks, tab.ours) for title, tab in workbook.tabs.items()}


class cpu_stage:
    """Adds the CPU time of a stage (this thread's) to report.cpu[name]."""
    _lock = threading.Lock()           # read workers add to the same report

    def __init__(self, report: RunReport, name: str):
        self.report, self.name = report, name

    def __enter__(self):
        self.start = time.thread_time()

    def __exit__(self, *exc):
        spent = time.thread_time() - self.start
        with self._lock:
            self.report.cpu[self.name] = self.report.cpu.get(self.name, 0.0) + spent


def keep_snapshot(night: Night, r: SheetRead, plan) -> None:
    """The sheet as it now is, with the version it now has, so that tomorrow an
    unchanged sheet costs no read. After our own write the version is asked again; any
    edit that slips in between is caught by the version check before the next write.
    `r` then stands for the sheet as written, for a second write the same night.
    The reading is kept with it unless our write changed the student's own cells
    (cleanup in place): owned columns and the summary tab are not read as leads."""
    if r.lost_headers:          # last night's snapshot stays the memory of the lost column
        return
    reading = (r.reading_key, r.reading)
    backend = night.backend
    if plan:
        version = backend.version_now(r.student)
        workbook = r.workbook.with_writes(plan.writes, plan.new_tabs, plan.marks, plan.tab_ids)
        workbook.version = version
        workbook.written = not backend.wrote_alone(r.student, r.workbook.version, version)
        r.workbook = workbook
        if any(not w.owned for w in plan.student_cells):    # cleanup changed what was read
            reading = None
    else:
        if not r.fresh and r.reading_kept:
            return
        version, workbook = r.workbook.version, r.workbook
    if version:
        night.state.save_snapshot(r.student.id, version, r.taken_on, workbook, reading)
        r.reading_kept = reading is not None


@dataclass
class WhatToWrite:
    """One student's flags, lead states, next steps and summary: what their judgement
    says, before it is laid out on their sheet as it now is."""
    per_row: dict
    summary: list[list]      # the summary tab's rows


def what_to_write(night: Night, r: SheetRead, judged: Judgement) -> WhatToWrite:
    """Worked out once per write: laying it out again on a sheet whose shape an export
    left out costs only plan_for. Each flag is a short phrase in words with its rule code
    after it, one to a line, most important first; the summary explains each code once."""
    sid, language, judge = r.student.id, night.config.language, night.judge
    rule_of = registry()
    rows, states, steps = judged.per_lead(sid)
    per_row_flags: dict[int, list[tuple]] = {}
    todo, explained = ToDo(), {}
    for f in judged.found_of(sid):
        rule = rule_of[f.code]
        text = f"{rule.text(language, f.params)} ({f.code})"
        explained.setdefault(f.code, rule.explanation(language, f.params))
        if f.row is None:
            todo.messages.append(text)
        else:
            per_row_flags.setdefault(int(f.row), []).append((SEVERITY_ORDER[f.severity], f.code, text))
        if f.code == "LC01":
            todo.lost.append(f.params["company"])
        elif f.code in ("DD01", "DD02"):
            todo.duplicates.append(t("todo.duplicate", language, row=int(f.row),
                                     other=f.params.get("first_row", "?"), code=f.code))
    todo.legend = sorted(explained.items())
    flags = {row: "\n".join(t for *_, t in sorted(items)) for row, items in per_row_flags.items()}
    rows = rows.tolist()
    per_row = {"flags": flags, "state": dict(zip(rows, states)), "next": dict(zip(rows, steps))}
    summary = build_summary(judged.summaries, sid, todo, now=judge.now, calendar=judge.calendar,
                            language=language, insight=judge.insight)
    return WhatToWrite(per_row, summary)


def plan_for(night: Night, r: SheetRead, wanted: WhatToWrite) -> WritePlan:
    """The owned columns, the summary tab and (with `[cleanup] in_place`) the cleaned
    cells for one student's sheet as it now is."""
    sid, language, summary, per_row = r.student.id, night.config.language, wanted.summary, wanted.per_row
    if r.lost_headers:          # the CRM is as the student left it; only the summary says why
        notice = t("sum.column_gone", language, header=", ".join(repr(h) for h in r.lost_headers))
        return plan_summary(WritePlan(sid), r.workbook, summary, language, notice=notice)
    plan = plan_student(sid, r.workbook, r.tab, r.normalized.header_row, per_row, summary, language,
                        before=r.before)
    if night.config.cleanup["in_place"]:
        plan.writes += cleanup_writes(r.workbook.tabs[r.tab], r.normalized, night.calendar.year)
    return plan
