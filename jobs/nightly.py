"""The nightly run: read every sheet, normalise, judge the cohort, write back, master.

One student's failure (a sheet gone, a corrupt file, no header) is recorded in the
report and the others go on. The 3-per-company cap (D1) is about all students together,
so a night either reads everyone before it judges (the first nights, a dry run,
`sheetsync master`), or, once nearly every student has a snapshot from an earlier
night, writes while it reads and settles the cap at the end (jobs.stream). If a student
edits their sheet between our read and our write, the sheet is read and judged again
(up to MAX_EDIT_RETRIES times), so a flag never lands on the wrong row. A dry run reads
and plans but writes nothing, not even the state store's lottery draws.
"""
from __future__ import annotations

import datetime as dt
import gc
import sqlite3
import time
import logging
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from jobs.beyond import reach_students
from jobs.judging import Judge, Judgement
from jobs.master import build_master
from jobs.report import RunReport, StudentOutcome
from jobs.stream import can_stream, stream_night
from jobs.student_steps import SheetRead, cpu_stage, read_student, write_student
from sheetsync.backends import open_backend
from sheetsync.config import Config, Student
from sheetsync.engine.context import Calendar
from sheetsync.engine.insight import CohortInsight, week_of
from sheetsync.engine.registry import registry
from sheetsync.errors import ConfigError, SheetsyncError
from sheetsync import notify
from sheetsync.state import StateStore, state_error

log = logging.getLogger("sheetsync.nightly")


@dataclass
class ReadJob:
    """What tonight does about one student's sheet, decided before any read."""
    student: Student
    outcome: StudentOutcome
    version: str | None          # tonight's listed version, if the backend lists them
    reuse: tuple | None          # the snapshot to judge from instead of reading (unchanged)
    last: tuple | None           # the newest snapshot, even a stale one (the stream's view)


def today_in(config: Config) -> dt.date:
    try:
        return dt.datetime.now(ZoneInfo(config.cohort["timezone"])).date()
    except Exception:      # an unknown zone name or no tz database: local date will do
        return dt.date.today()


@contextmanager
def _few_collections():
    """A night holds a million or so long-lived objects (every sheet's cells and frames);
    Python's default collector walks them again and again as the night allocates, which
    cost a third of its CPU at 1,000 students. Collect young objects rarely and the old
    ones almost never while the night runs; the usual pace comes back when it ends."""
    before = gc.get_threshold()
    gc.set_threshold(50_000, 50, 1000)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def run_nightly(config: Config, *, now: dt.date | None = None, dry_run: bool = False,
                backend=None, on_student=None, should_stop=None,
                write_students: bool = True, only: set[str] | None = None) -> RunReport:
    """Run the whole flow once for every student, then the master. Never raises for one
    student's problem; the report says what happened to each. `should_stop()` is asked
    before each student is written: once it says yes, the rest are skipped for tonight
    and the master is left as it was. With `write_students=False` (`sheetsync master`)
    the cohort is read and judged and only the master is written. `only` (`run
    --student`): read and write just these students; the others count for the cap by
    their last snapshot and are not read or written (nor those with no snapshot)."""
    started = time.monotonic()
    tell = not dry_run and write_students and only is None   # a dry run, a master refresh or a
    # run for a few students tells no one
    with _few_collections():
        try:
            report = _run(config, now=now, dry_run=dry_run, backend=backend, on_student=on_student,
                          should_stop=should_stop, write_students=write_students, only=only)
        except Interrupted as e:
            if tell:
                notify.after_night(config, e.report, duration_s=time.monotonic() - started)
            raise
        except SheetsyncError as e:     # the night did not run at all (state store, roster)
            if tell and not isinstance(e, ConfigError):      # a typo on the command line is not news
                notify.after_night(config, error=str(e), duration_s=time.monotonic() - started)
            raise
    if tell:
        notify.after_night(config, report, duration_s=time.monotonic() - started)
    return report


def _run(config: Config, *, now: dt.date | None, dry_run: bool, backend, on_student, should_stop,
         write_students: bool, only: set[str] | None = None) -> RunReport:
    now = now or today_in(config)
    backend = backend or open_backend(config)
    calendar = Calendar.from_config(config, now)
    state = StateStore(config.state_path)
    started = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    try:
        run_id = None if dry_run else state.start_run(started, now.isoformat(), dry_run)
    except sqlite3.OperationalError as e:
        state.close()
        raise state_error(e, config.state_path) from None
    report = RunReport(run_id=run_id, judged_on=now.isoformat(), started=started, dry_run=dry_run,
                       students_written=write_students, state_warning=state.recovered)
    interrupted = False
    try:
        groups = state.group_sheets()        # a career group's sheet is no student's
        roster = [s for s in backend.roster() if backend.key(s) not in groups]
        if only is not None:
            unknown = sorted(only - {s.id for s in roster})
            if unknown:
                raise ConfigError(f"no student {', '.join(map(repr, unknown))} in the roster")
        jobs = _plan_reads(backend, roster, config, state, now, report, only)
        judge = Judge(config, now, calendar, state.draws())
        kept = CohortInsight.from_json(state.setting(INSIGHT))
        judge.insight = kept if kept.week == week_of(now) else None
        if write_students and not dry_run and only is None and can_stream(jobs):
            judged, stopped = stream_night(backend, jobs, judge, config, state, report,
                                           should_stop=should_stop)
            for o in report.students:
                if on_student:
                    on_student(o)
        else:
            reads = _read_all(backend, jobs, config, calendar.year, now, report,
                              prepare=write_students and not dry_run)
            with cpu_stage(report, "rules"):
                judged = judge(reads)
                if judge.insight is None and only is None:   # a new week: everyone is read
                    judge.insight = CohortInsight.taken(judged.cohort, calendar, now)
            stopped, judged = _write_all(backend, reads, judge, judged, config, state, report,
                                         write_students, should_stop, on_student, only)
        if not dry_run:
            state.save_draws(judged.new_draws, run_id)
            if only is None and not stopped and kept.week != week_of(now):
                _keep_insight(state, judge.insight or CohortInsight.taken(judged.cohort, calendar, now))
        cap = {**registry()["LC01"].config, **config.rules.get("LC01", {})}["cap"]
        report.lia_secured = int(judged.cohort.loc[judged.cohort["stage"] == "yes", "student"].nunique())
        with cpu_stage(report, "master"):
            master = build_master(judged.cohort, judged.found, report.students,
                                  {s.id: backend.link(s) for s in roster}, calendar=calendar, now=now,
                                  cap=cap, language=config.language,
                                  draws={**state.draws(), **{k: d["order"] for k, d in judged.new_draws.items()}},
                                  history=state.runs(limit=400), current=report,
                                  include_contacts=config.master["include_contact_details"])
        if not dry_run and not stopped:
            try:
                report.master = backend.write_master(master.tabs, master.charts, master.formats)
            except SheetsyncError as e:
                report.master_error = str(e)
            if write_students:
                reach_students(config, backend, judged, judge, [s for s in roster if only is None or s.id in only],
                               state, report, digests=only is None)
    except KeyboardInterrupt:           # Ctrl-C, SIGINT: say how far it got, lose nothing
        interrupted = True
        done = sum(1 for o in report.students if o.done)
        report.interrupted = (f"interrupted after {done} of {len(report.students)} students;"
                              " the next run completes the night")
        for o in report.students:
            if not o.done and o.status == "ok":
                o.status, o.message = "skipped", "not done: the run was interrupted"
    finally:
        report.api_calls = backend.calls
        report.finished = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        try:
            if run_id is not None:
                state.finish_run(run_id, report.finished, report.to_dict(compact=True), report.summary())
                report.saved_to = str(_save_report(config, report))
                if not interrupted:
                    state.keep_copy()
        except (sqlite3.OperationalError, OSError) as e:
            state.close()
            raise state_error(e, config.state_path) from None
        state.close()
    if interrupted:
        raise Interrupted(report)
    return report


class Interrupted(KeyboardInterrupt):
    """The run was stopped by Ctrl-C or SIGINT; the report says how far it got. Still a
    KeyboardInterrupt, so whatever runs the night (serve, a test) stops as it would."""
    exit_code = 130

    def __init__(self, report: RunReport):
        super().__init__(report.interrupted)
        self.report = report


def _save_report(config: Config, report: RunReport):
    """The machine-readable report beside the state store, for monitoring."""
    folder = config.state_path.parent / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"run-{report.run_id:05d}.json"
    path.write_text(report.to_json(), encoding="utf-8")
    return path


INSIGHT = "insight.cohort"


def _keep_insight(state: StateStore, insight: CohortInsight) -> None:
    """The cohort's figures, taken from everyone's sheets on the first whole night of a
    week: the summaries show them all week, so they cost no write on the other nights."""
    state.set_setting(INSIGHT, insight.to_json())


def _plan_reads(backend, roster, config: Config, state: StateStore, now: dt.date,
                report: RunReport, only: set[str] | None = None) -> list[ReadJob]:
    """One Drive listing gives every sheet's version: a sheet whose version equals the
    snapshot kept last time is not read again, unless that snapshot is older than
    `[quota] full_read_every_days`, or our last write to it may have raced an edit."""
    try:
        listed = backend.versions()
    except SheetsyncError as e:      # without the listing every sheet is simply read
        log.warning("could not list sheet versions, reading every sheet: %s", e)
        listed = {}
    jobs = []
    for s in roster:
        outcome = StudentOutcome(id=s.id, name=s.name)
        report.students.append(outcome)
        snap = state.snapshot(s.id)
        version = listed.get(backend.key(s))
        fresh_enough = snap and (now - dt.date.fromisoformat(snap[1])).days < config.quota["full_read_every_days"]
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


def _read_all(backend, jobs: list[ReadJob], config: Config, year: int, now: dt.date,
              report: RunReport, prepare: bool) -> list[SheetRead]:
    """Every student's sheet (or unchanged snapshot), by a small pool of workers: the
    rate limiter paces them. With `prepare`, a sheet that lacks the owned columns or the
    summary tab gets them right after its read (on Google: while the others are read)."""
    language = config.language if prepare else None

    def one(j: ReadJob):
        return read_student(backend, j.student, year, report, j.outcome, version=j.version,
                            snapshot=j.reuse, today=now, prepare_in=language,
                            last=j.last)
    workers = max(1, config.quota["workers"])
    if workers == 1 or len(jobs) < 2:
        results = [one(j) for j in jobs]
    else:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(one, jobs))
    report.unchanged = sum(1 for r in results if r and not r.fresh)
    return [r for r in results if r]


def _write_all(backend, reads: list[SheetRead], judge: Judge, judged: Judgement, config: Config,
               state: StateStore, report: RunReport, write_students: bool, should_stop,
               on_student, only: set[str] | None = None) -> tuple[bool, Judgement]:
    """Each student written in turn; (stopped early, the judgement after any re-reads)."""
    for i, r in enumerate(reads):
        if should_stop and should_stop():
            for rest in reads[i:]:
                rest.outcome.status, rest.outcome.problem = "skipped", "stopped"
                rest.outcome.message = "not written: the service was stopping; the next run does it"
            return True, judged
        if write_students and (only is None or r.student.id in only):
            judged = write_student(backend, reads, i, judge, judged, config, state, report)
        else:
            r.outcome.flags = len(judged.found_of(r.student.id))
        reads[i].outcome.done = True
        if on_student:
            on_student(reads[i].outcome)
    return False, judged
