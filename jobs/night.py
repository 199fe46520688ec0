"""One night's run as one object: what every stage shares, and the stages themselves.

A `Night` holds what a run shares (config, backend, state store, report, calendar,
judge, the date it judges by and what the caller asked for) so that the stages read as
the flow they are: plan the reads, read, judge, write, the master. The two schedules of
these stages, reading everyone before judging (jobs.nightly) and writing while reading
(jobs.stream), both drive a Night. The per-sheet steps are in jobs.student_steps.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter
import time
import logging
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

from jobs.beyond import reach_students
from jobs.judging import Judge, Judgement
from jobs.master import MasterContext, build_master
from jobs.report import RunReport, StudentOutcome, run_kind
from jobs import student_steps
from jobs.student_steps import ReadRequest, SheetRead, cpu_stage
from sheetsync.config import Config, Student
from sheetsync.engine.context import Calendar
from sheetsync.engine.insight import CohortInsight, week_of
from sheetsync.engine.registry import registry
from sheetsync.errors import ConfigError, SheetsyncError
from sheetsync.privacy.files import private_dir, write_private
from sheetsync.privacy.retention import prune_after_night, settings as retention
from sheetsync.state import StateStore, state_error

log = logging.getLogger("sheetsync.nightly")

INSIGHT = "insight.cohort"
MIN_SHARED_FAILURES = 3           # fewer failed students are each their own problem        # the state store's setting that keeps the week's cohort figures


@dataclass(frozen=True)
class NightOptions:
    """What the caller asked of tonight (run_nightly's flags)."""
    dry_run: bool = False
    write_students: bool = True
    only: set[str] | None = None          # `run --student`: just these students
    should_stop: Callable[[], bool] | None = None
    on_student: Callable[[StudentOutcome], None] | None = None
    kind: str | None = None               # as the caller names the run ("watch"); else by the flags

    @property
    def writes_students(self) -> bool:
        return self.write_students and not self.dry_run

    @property
    def whole_night(self) -> bool:
        """Everyone read and written: a dry run, a master refresh or a run for a few
        students is not (it tells no one, and it does not stream)."""
        return self.writes_students and self.only is None

    def stop_now(self) -> bool:
        return bool(self.should_stop and self.should_stop())


@dataclass
class ReadJob:
    """What tonight does about one student's sheet, decided before any read."""
    student: Student
    outcome: StudentOutcome
    version: str | None          # tonight's listed version, if the backend lists them
    reuse: tuple | None          # the snapshot to judge from instead of reading (unchanged)
    last: tuple | None           # the newest snapshot, even a stale one (the stream's view)


class Night:
    """One run: opened on the state store (a run id unless dry), then its stages."""

    def __init__(self, config: Config, now: dt.date, backend, options: NightOptions):
        self.config, self.now, self.backend, self.options = config, now, backend, options
        self.calendar = Calendar.from_config(config, now)
        self.state = StateStore(config.state_path)
        started = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        try:
            run_id = None if options.dry_run else self.state.start_run(started, now.isoformat(),
                                                                         options.dry_run)
        except sqlite3.OperationalError as e:
            self.state.close()
            raise state_error(e, config.state_path) from None
        self.report = RunReport(run_id=run_id, judged_on=now.isoformat(), started=started,
                                dry_run=options.dry_run, students_written=options.write_students,
                                state_warning=self.state.recovered,
                                kind=run_kind(options.kind, options.write_students, options.only))
        self.judge: Judge | None = None          # made by open_judge(), once the roster is known
        self._kept_insight: CohortInsight | None = None

    # -- before any read -------------------------------------------------------------
    def roster(self) -> list[Student]:
        groups = self.state.group_sheets()        # a career group's sheet is no student's
        roster = [s for s in self.backend.roster() if self.backend.key(s) not in groups]
        only = self.options.only
        if only is not None:
            unknown = sorted(only - {s.id for s in roster})
            if unknown:
                raise ConfigError(f"no student {', '.join(map(repr, unknown))} in the roster")
        return roster

    def plan_reads(self, roster: list[Student]) -> list[ReadJob]:
        """One Drive listing gives every sheet's version: a sheet whose version equals the
        snapshot kept last time is not read again, unless that snapshot is older than
        `[quota] full_read_every_days`, or our last write to it may have raced an edit."""
        try:
            listed = self.backend.versions()
        except SheetsyncError as e:      # without the listing every sheet is simply read
            log.warning("could not list sheet versions, reading every sheet: %s", e)
            listed = {}
        only, report = self.options.only, self.report
        jobs = []
        for s in roster:
            outcome = StudentOutcome(id=s.id, name=s.name)
            report.students.append(outcome)
            snap = self.state.snapshot(s.id)
            version = listed.get(self.backend.key(s))
            fresh_enough = snap and (self.now - dt.date.fromisoformat(snap[1])).days \
                < self.config.quota["full_read_every_days"]
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

    def open_judge(self) -> None:
        """The judge, with the lottery's draws kept so far and this week's cohort figures
        if a whole night of this week has taken them already."""
        self.judge = Judge(self.config, self.now, self.calendar, self.state.draws())
        self._kept_insight = CohortInsight.from_json(self.state.setting(INSIGHT))
        this_week = self._kept_insight.week == week_of(self.now)
        self.judge.insight = self._kept_insight if this_week else None

    # -- read ------------------------------------------------------------------------
    def read(self, request: ReadRequest) -> SheetRead | None:
        return student_steps.read_student(self, request)

    def read_all(self, jobs: list[ReadJob]) -> list[SheetRead]:
        """Every student's sheet (or unchanged snapshot), by a small pool of workers: the
        rate limiter paces them. A night that writes students lets a sheet that lacks the
        owned columns or the summary tab get them right after its read (on Google: while
        the others are read)."""
        prepare = self.options.writes_students

        clock = getattr(self.backend, "clock", time.monotonic)
        sleep = getattr(self.backend, "sleep", time.sleep)
        start, ends = clock(), []

        def one(j: ReadJob):
            # on a simulated clock (benchmarks/) each thread keeps its own time: a worker
            # starts when the pool did, and the night goes on once the last read is done;
            # on the real clock both waits are zero
            if clock() < start:
                sleep(start - clock())
            read = self.read(ReadRequest(j.student, j.outcome, version=j.version, snapshot=j.reuse,
                                         last=j.last, prepare=prepare))
            ends.append(clock())
            return read
        workers = max(1, self.config.quota["workers"])
        if workers == 1 or len(jobs) < 2:
            results = [one(j) for j in jobs]
        else:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                results = list(pool.map(one, jobs))
            if max(ends, default=start) > clock():
                sleep(max(ends) - clock())
        self.report.unchanged = sum(1 for r in results if r and not r.fresh and not r.stale)
        return [r for r in results if r]

    # -- judge -----------------------------------------------------------------------
    def judge_everyone(self, reads: list[SheetRead]) -> Judgement:
        """The whole cohort judged at once; on a new week's first whole read, the cohort's
        figures for the summaries are taken from it."""
        with cpu_stage(self.report, "rules"):
            judged = self.judge(reads)
            if self.judge.insight is None and self.options.only is None:   # a new week: everyone is read
                self.judge.insight = CohortInsight.taken(judged.cohort, self.calendar, self.now)
        return judged

    # -- write -----------------------------------------------------------------------
    def write_student(self, reads: list[SheetRead], i: int, judged: Judgement,
                      focus: set[str] | None = None) -> Judgement:
        return student_steps.write_student(self, reads, i, judged, focus)

    def write_all(self, reads: list[SheetRead], judged: Judgement) -> tuple[Judgement, bool]:
        """Each student written in turn; (the judgement after any re-reads, stopped early)."""
        only, on_student = self.options.only, self.options.on_student
        for i, r in enumerate(reads):
            if self.options.stop_now():
                self.skip_as_stopping(rest.outcome for rest in reads[i:])
                return judged, True
            if self.options.write_students and (only is None or r.student.id in only) and not r.stale:
                judged = self.write_student(reads, i, judged)
            else:
                r.outcome.flags = len(judged.found_of(r.student.id))
            reads[i].outcome.done = True
            if on_student:
                on_student(reads[i].outcome)
        return judged, False

    def refuse_if_one_cause(self) -> bool:
        """Most students failing for one cause is the operator's or Google's problem (a
        key revoked, a share removed, a broken sync of the folder), not theirs: nothing
        is published, the master and every sheet stay as they were, and the report says
        why in one line. True when refused."""
        outcomes = self.report.students
        failed = [o for o in outcomes if o.status == "failed"]
        causes = Counter(o.problem for o in failed).most_common(1)
        if len(failed) < MIN_SHARED_FAILURES or not causes or causes[0][1] * 2 <= len(outcomes):
            return False
        problem, n = causes[0]
        example = next(o for o in failed if o.problem == problem)
        self.report.refused = (f"{n} of {len(outcomes)} students failed for one cause ({problem};"
                               f" {example.name}: {example.message}); nothing was written and the"
                               " master is as it was: fix the cause and run again")
        for o in outcomes:
            if o.status == "ok":
                o.status, o.message = "skipped", "not written: most of the cohort failed tonight"
        return True

    @staticmethod
    def skip_as_stopping(outcomes) -> None:
        for o in outcomes:
            o.status, o.problem = "skipped", "stopped"
            o.message = "not written: the service was stopping; the next run does it"

    def keep(self, judged: Judgement, stopped: bool) -> None:
        """What the night decided that later nights rely on: the lottery's draws, and on
        a week's first whole night the cohort's figures. A dry run keeps nothing."""
        if self.options.dry_run or self.report.refused:
            return
        self.state.save_draws(judged.new_draws, self.report.run_id)
        if self.options.only is None and not stopped and self._kept_insight.week != week_of(self.now):
            insight = self.judge.insight or CohortInsight.taken(judged.cohort, self.calendar, self.now)
            # taken from everyone's sheets on the first whole night of a week: the summaries
            # show them all week, so they cost no write on the other nights
            self.state.set_setting(INSIGHT, insight.to_json())

    # -- master ----------------------------------------------------------------------
    def master(self, judged: Judgement, roster: list[Student], stopped: bool) -> None:
        """The staff master sheet, then the digests and calendars. Built even when stopped
        or dry (the report's figures), written only by a night that went to the end."""
        config, report, backend = self.config, self.report, self.backend
        cap = {**registry()["LC01"].config, **config.rules.get("LC01", {})}["cap"]
        report.lia_secured = int(judged.cohort.loc[judged.cohort["stage"] == "yes", "student"].nunique())
        with cpu_stage(report, "master"):
            about = MasterContext(
                calendar=self.calendar, now=self.now, cap=cap, language=config.language,
                draws={**self.state.draws(), **{k: d["order"] for k, d in judged.new_draws.items()}},
                history=self.state.runs(limit=400), current=report,
                include_contacts=config.master["include_contact_details"],
                triage=config.triage, calls=backend.calls)
            master = build_master(judged.cohort, judged.found, report.students,
                                  {s.id: backend.link(s) for s in roster}, about)
        if self.options.dry_run or stopped or report.refused or self.refuse_if_one_cause():
            return
        try:
            report.master = backend.write_master(master.tabs, master.charts, master.formats,
                                                 looks=master.looks, links=master.links)
        except SheetsyncError as e:
            report.master_error = str(e)
        if self.options.write_students:
            only = self.options.only
            reach_students(self, judged, [s for s in roster if only is None or s.id in only],
                           digests=only is None)

    # -- the end ---------------------------------------------------------------------
    def interrupted(self) -> None:
        """Ctrl-C, SIGINT: say how far it got, lose nothing."""
        report = self.report
        done = sum(1 for o in report.students if o.done)
        report.interrupted = (f"interrupted after {done} of {len(report.students)} students;"
                              " the next run completes the night")
        for o in report.students:
            if not o.done and o.status == "ok":
                o.status, o.message = "skipped", "not done: the run was interrupted"

    def finish(self, interrupted: bool) -> None:
        """The run closed in the state store, its report saved beside it; a copy of the
        store kept after a night that went to its end."""
        report = self.report
        report.api_calls = self.backend.calls
        report.finished = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        try:
            if report.run_id is not None:
                if not interrupted:
                    report.pruned = prune_after_night(self)
                self.state.finish_run(report.run_id, report.finished, report.to_dict(compact=True),
                                      report.summary())
                report.saved_to = str(self._save_report())
                if not interrupted:
                    self.state.keep_copy(retention(self.config)["state_copies"])
        except (sqlite3.OperationalError, OSError) as e:
            self.state.close()
            raise state_error(e, self.config.state_path) from None
        self.state.close()

    def _save_report(self):
        """The machine-readable report beside the state store, for monitoring."""
        folder = private_dir(self.config.state_path.parent / "reports")
        return write_private(folder / f"run-{self.report.run_id:05d}.json", self.report.to_json())
