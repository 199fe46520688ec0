"""The nightly run: read every sheet, normalise, judge the cohort, write back, master.

One student's failure (a sheet gone, a corrupt file, no header) is recorded in the
report and the others go on. Rules see the whole cohort at once, because the
3-per-company cap is about all students together. If a student edits their sheet
between our read and our write, the sheet is read again and judged again (up to
MAX_EDIT_RETRIES times), so a flag never lands on the wrong row; a sheet still changing
after that is left for the next night. A dry run reads and plans but writes nothing,
not even the state store's lottery draws.
"""
from __future__ import annotations

import datetime as dt
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from zoneinfo import ZoneInfo


from jobs.master import build_master
from jobs.report import RunReport, StudentOutcome
from sheetsync.backends import open_backend
from sheetsync.config import Config, Student
from jobs.judging import Judge, Judgement
from sheetsync.engine.context import Calendar
from sheetsync.engine.registry import registry
from sheetsync.errors import SheetChangedError, SheetsyncError
from sheetsync.normalize import Normalized, read_crm
from sheetsync.state import StateStore
from sheetsync.workbook import Workbook, cell_text
from sheetsync.writeback.cleanup import cleanup_writes
from sheetsync.writeback.sheet import plan_student
from sheetsync.writeback.summary import build_summary

log = logging.getLogger("sheetsync.nightly")
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
MAX_EDIT_RETRIES = 3


@dataclass
class _Read:
    student: Student
    outcome: StudentOutcome
    workbook: Workbook
    tab: str
    normalized: Normalized
    taken_on: str = ""             # when the sheet was last read from the backend
    fresh: bool = True             # read tonight (False: tonight's listing showed no change)


def today_in(config: Config) -> dt.date:
    try:
        return dt.datetime.now(ZoneInfo(config.cohort["timezone"])).date()
    except Exception:      # an unknown zone name or no tz database: local date will do
        return dt.date.today()


def run_nightly(config: Config, *, now: dt.date | None = None, dry_run: bool = False,
                backend=None, on_student=None, should_stop=None,
                write_students: bool = True) -> RunReport:
    """Run the whole flow once for every student, then the master. Never raises for one
    student's problem; the report says what happened to each. `should_stop()` is asked
    before each student is written: once it says yes, the rest are skipped for tonight
    and the master is left as it was. With `write_students=False` (`sheetsync master`)
    the cohort is read and judged and only the master is written."""
    now = now or today_in(config)
    backend = backend or open_backend(config)
    calendar = Calendar.from_config(config, now)
    state = StateStore(config.state_path)
    started = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    run_id = None if dry_run else state.start_run(started, now.isoformat(), dry_run)
    report = RunReport(run_id=run_id, judged_on=now.isoformat(), started=started, dry_run=dry_run,
                       students_written=write_students)
    try:
        roster = backend.roster()
        reads = _read_all(backend, roster, config, state, calendar.year, now, report)
        judge = Judge(config, now, calendar, state.draws())
        with _cpu(report, "rules"):
            judged = judge(reads)
        stopped = False
        for i, r in enumerate(reads):
            if should_stop and should_stop():
                for rest in reads[i:]:
                    rest.outcome.status = "skipped"
                    rest.outcome.message = "not written: the service was stopping; the next run does it"
                stopped = True
                break
            if write_students:
                judged = _write_student(backend, reads, i, judge, judged, config, state, report)
            else:
                r.outcome.flags = len(judged.found_of(r.student.id))
            if on_student:
                on_student(reads[i].outcome)
        if not dry_run:
            state.save_draws(judged.new_draws, run_id)
        cap = {**registry()["LC01"].config, **config.rules.get("LC01", {})}["cap"]
        report.lia_secured = int(judged.cohort.loc[judged.cohort["stage"] == "yes", "student"].nunique())
        master = build_master(judged.cohort, judged.found, report.students,
                              {s.id: backend.link(s) for s in roster}, calendar=calendar, now=now,
                              cap=cap, language=config.language,
                              draws={**state.draws(), **{k: d["order"] for k, d in judged.new_draws.items()}},
                              history=state.runs(limit=400), current=report,
                              include_contacts=config.master["include_contact_details"])
        if not dry_run and not stopped:
            try:
                report.master = backend.write_master(master.tabs, master.charts)
            except SheetsyncError as e:
                report.master_error = str(e)
    finally:
        report.api_calls = backend.calls
        report.finished = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        if run_id is not None:
            state.finish_run(run_id, report.finished, report.to_dict(compact=True), report.summary())
            report.saved_to = str(_save_report(config, report))
        state.close()
    return report


def _save_report(config: Config, report: RunReport):
    """The machine-readable report beside the state store, for monitoring."""
    folder = config.state_path.parent / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"run-{report.run_id:05d}.json"
    path.write_text(report.to_json(), encoding="utf-8")
    return path


def _read_all(backend, roster, config: Config, state: StateStore, year: int, now: dt.date,
              report: RunReport) -> list[_Read]:
    """Every student's sheet, read by a small pool of workers (the rate limiter paces
    them). A sheet whose version in tonight's single listing equals the version of the
    snapshot kept last time is not read again, unless that snapshot is older than
    `[quota] full_read_every_days`."""
    try:
        listed = backend.versions()
    except SheetsyncError as e:      # without the listing every sheet is simply read
        log.warning("could not list sheet versions, reading every sheet: %s", e)
        listed = {}
    outcomes = [StudentOutcome(id=s.id, name=s.name) for s in roster]
    report.students.extend(outcomes)
    reuse = {}
    for s in roster:
        snap = state.snapshot(s.id)
        version = listed.get(backend.key(s))
        if snap and version and snap[0] == version and \
                (now - dt.date.fromisoformat(snap[1])).days < config.quota["full_read_every_days"]:
            reuse[s.id] = snap
    jobs = [(s, o, listed.get(backend.key(s)), reuse.get(s.id)) for s, o in zip(roster, outcomes)]
    workers = max(1, config.quota["workers"])
    if workers == 1 or len(jobs) < 2:
        results = [_read(backend, s, year, report, o, version=v, snapshot=snap, today=now)
                   for s, o, v, snap in jobs]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(lambda j: _read(backend, j[0], year, report, j[1], version=j[2],
                                                    snapshot=j[3], today=now), jobs))
    report.unchanged = sum(1 for r in results if r and not r.fresh)
    return [r for r in results if r]


def _read(backend, student: Student, year: int, report: RunReport,
          outcome: StudentOutcome | None = None, *, version: str | None = None,
          snapshot=None, today: dt.date | None = None) -> _Read | None:
    """Read and understand one student's sheet; None when there is nothing to judge."""
    if outcome is None:
        outcome = StudentOutcome(id=student.id, name=student.name)
        report.students.append(outcome)
    try:
        if snapshot is not None:
            workbook, taken_on, fresh = snapshot[2], snapshot[1], False
        else:
            workbook = backend.read(student, version=version)
            taken_on, fresh = (today or dt.date.today()).isoformat(), True
        with _cpu(report, "normalise"):
            reading = read_crm(workbook, tab=student.tab, overrides=student.columns, year=year,
                               student=student.id)
        if reading.tab is None:
            outcome.status = "skipped"
            outcome.message = _no_tab_message(workbook, student.tab)
            return None
        norm = reading.normalized
        outcome.tab, outcome.leads = reading.tab, len(norm.frame)
        outcome.understood = reading.report_lines()
        outcome.fields = sorted({c.field for c in norm.columns if c.field})
        outcome.unparsed = [f"{reading.tab}!{p.cell} {p.field} {p.value!r}" for p in norm.problems]
        outcome.unmapped_columns = norm.unmapped
        return _Read(student, outcome, workbook, reading.tab, norm, taken_on, fresh)
    except SheetsyncError as e:
        outcome.status, outcome.message = "failed", str(e)
    except Exception as e:     # a bug must not stop the other students
        log.exception("reading %s", student.id)
        outcome.status = "failed"
        outcome.message = f"internal error while reading: {type(e).__name__}: {e}"
    return None


def _no_tab_message(workbook: Workbook, configured: str | None) -> str:
    where = f"{workbook.location}"
    if configured:
        return f"configured tab {configured!r} not found in {where} (tabs: {', '.join(workbook.tabs)})"
    if not any(t.rows for t in workbook.tabs.values()):
        return f"the workbook is empty: {where}"
    return (f"no tab with a recognisable header (columns like Företag/Company, Telefon/Phone,"
            f" Status) in {where}; tabs: {', '.join(workbook.tabs)}")


def _write_student(backend, reads: list[_Read], i: int, judge: Judge, judged: Judgement,
                   config: Config, state: StateStore, report: RunReport) -> Judgement:
    """Plan and write one student's sheet; on an edit in between, read and judge again."""
    for attempt in range(MAX_EDIT_RETRIES + 1):
        r = reads[i]
        try:
            with _cpu(report, "plan"):
                plan = _plan(r, judged, judge, config)
            r.outcome.flags = len(judged.found_of(r.student.id))
            if report.dry_run:
                report.plans.append(plan.describe())
                return judged
            if not plan:
                _keep_snapshot(backend, state, r, plan)
                return judged
            r.outcome.cells_written = backend.write(r.student, plan, r.workbook)
            if plan.student_cells:
                state.log_cell_writes(report.run_id, r.student.id,
                                      [(w.tab, w.a1, w.old, cell_text(w.value)) for w in plan.student_cells])
            _keep_snapshot(backend, state, r, plan)
            return judged
        except SheetChangedError:
            if attempt == MAX_EDIT_RETRIES:
                r.outcome.status = "skipped"
                r.outcome.message = (f"the sheet kept changing while we wrote ({attempt + 1} tries);"
                                     " nothing written, next night tries again")
                return judged
            fresh = _read(backend, r.student, judge.calendar.year, report, r.outcome, today=judge.now)
            if fresh is None:
                return judged
            reads[i] = fresh
            judged = judge(reads)
            report.edit_retries += 1
        except SheetsyncError as e:
            r.outcome.status, r.outcome.message = "failed", str(e)
            return judged
        except Exception as e:
            log.exception("writing %s", r.student.id)
            r.outcome.status = "failed"
            r.outcome.message = f"internal error while writing: {type(e).__name__}: {e}"
            return judged
    return judged


class _cpu:
    """Adds the CPU time of a stage (this thread's) to report.cpu[name]."""

    def __init__(self, report: RunReport, name: str):
        self.report, self.name = report, name

    def __enter__(self):
        self.start = time.thread_time()

    def __exit__(self, *exc):
        spent = time.thread_time() - self.start
        self.report.cpu[self.name] = self.report.cpu.get(self.name, 0.0) + spent


def _keep_snapshot(backend, state: StateStore, r: _Read, plan) -> None:
    """The sheet as it now is, with the version it now has, so that tomorrow an
    unchanged sheet costs no read. After our own write the version is asked again; any
    edit that slips in between is caught by the version check before the next write."""
    if plan:
        version = backend.version_now(r.student)
        workbook = r.workbook.with_writes(plan.writes, plan.new_tabs)
    else:
        if not r.fresh:
            return
        version, workbook = r.workbook.version, r.workbook
    if version:
        state.save_snapshot(r.student.id, version, r.taken_on, workbook)


def _plan(r: _Read, judged: Judgement, judge: Judge, config: Config):
    sid, language = r.student.id, config.language
    rule_of = registry()
    leads = judged.leads_of(sid)
    mine = judged.found_of(sid)
    states, steps = judged.per_lead(sid)
    per_row_flags: dict[int, list[tuple]] = {}
    for f in mine[mine["row"].notna()].itertuples():
        text = f"{f.code} {rule_of[f.code].text(language, f.params)}"
        per_row_flags.setdefault(int(f.row), []).append((SEVERITY_ORDER[f.severity], f.code, text))
    flags = {row: "; ".join(t for *_, t in sorted(items)) for row, items in per_row_flags.items()}
    rows = leads["row"].astype(int)
    per_row = {"flags": flags, "state": dict(zip(rows, states)), "next": dict(zip(rows, steps))}
    student_msgs = [f"{f.code} {rule_of[f.code].text(language, f.params)}"
                    for f in mine[mine["row"].isna()].itertuples()]
    lost = [p["company"] for p in mine[mine["code"] == "LC01"]["params"]]
    summary = build_summary(judged.summaries, sid, student_msgs, lost, now=judge.now,
                            calendar=judge.calendar, language=language)
    plan = plan_student(sid, r.workbook, r.tab, r.normalized.header_row, per_row, summary, language)
    if config.cleanup["in_place"]:
        plan.writes += cleanup_writes(r.workbook.tabs[r.tab], r.normalized, judge.calendar.year)
    return plan
