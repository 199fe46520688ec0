"""What one night shares, opened on the state store: the config, the date it judges by,
the backend, the state store, the run's report, the calendar, the judge (once the
roster is known) and what the caller asked for. Every stage of the night takes it:

    read (jobs.night.read) -> judge (jobs.night.judge) -> write (jobs.night.write)
    -> reach out (jobs.night.reach_out) -> report (jobs.night.report)

jobs.nightly runs them in one of two schedules: everyone read before anyone is judged,
or written while read (jobs.night.stream).
"""
from __future__ import annotations

import datetime as dt
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable

from jobs.night.outcome import RunReport, StudentOutcome, run_kind
from sheetsync.config import Config, Student
from sheetsync.engine.context import Calendar
from sheetsync.state import StateStore, state_error

INSIGHT = "insight.cohort"        # the state store's setting that keeps the week's cohort figures


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
    """One run: opened on the state store (a run id unless dry); the stages take it."""

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
        self.judge = None            # a jobs.night.judge.Judge, made by open_judge once the roster is known
        self.one_at_a_time = threading.RLock()   # the judge and the state store, when students are written side by side
        self.kept_insight = None     # this week's cohort figures as kept, if any (open_judge)


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


CALLS_AT_ONCE_PER_IDENTITY = 4     # through a pool: sheets read or written at once per identity


def through_a_pool(night: Night) -> bool:
    """The night reads and writes through several identities (google_pool): its writes
    then go side by side, each identity's by its own workers."""
    return len(getattr(night.backend, "members", ())) > 1


def workers(night: Night) -> int:
    """How many sheets a night reads or writes at once: `[quota] workers`, or through a
    pool of identities enough to keep every identity's quota busy (a sheet is a few
    calls in a row, about a second; the ledger paces them all)."""
    pool = CALLS_AT_ONCE_PER_IDENTITY * len(night.backend.members) if through_a_pool(night) else 0
    return max(1, night.config.quota["workers"], pool)


def side_by_side(night: Night, items: list, student_of: Callable, one: Callable) -> list:
    """one(item) for every item, by workers(night) at once; the results in the items'
    order. Through a pool of identities each identity has workers of its own, fed only
    its own students' sheets: a worker waiting for its identity's quota never holds up
    a sheet another identity could do now (with one shared queue, a minute's free
    calls of one identity went unused while every worker slept on another's).
    On a simulated clock (benchmarks/) each thread keeps its own time: a worker starts
    when the pool did, and the night goes on once the last item is done; on the real
    clock both waits are zero."""
    clock = getattr(night.backend, "clock", time.monotonic)
    sleep = getattr(night.backend, "sleep", time.sleep)
    start, ends, results = clock(), [], [None] * len(items)

    def run(i: int) -> None:
        if clock() < start:
            sleep(start - clock())
        results[i] = one(items[i])
        ends.append(clock())

    at_once = workers(night)
    if at_once == 1 or len(items) < 2:
        for i in range(len(items)):
            run(i)
        return results
    identity_for = getattr(night.backend, "identity_for", None)
    lanes: dict[str, list[int]] = {}
    for i, item in enumerate(items):
        lanes.setdefault(identity_for(student_of(item).id) if identity_for else "", []).append(i)
    per_lane = CALLS_AT_ONCE_PER_IDENTITY if len(lanes) > 1 else at_once
    executors = [ThreadPoolExecutor(max_workers=per_lane) for _ in lanes]
    try:
        futures = [ex.submit(run, i) for ex, lane in zip(executors, lanes.values()) for i in lane]
        for f in futures:
            f.result()
    finally:
        for ex in executors:
            ex.shutdown(wait=True, cancel_futures=True)
    if max(ends, default=start) > clock():
        sleep(max(ends) - clock())
    return results
