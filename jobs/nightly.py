"""The nightly run: read every sheet, normalise, judge the cohort, write back, master.

One student's failure (a sheet gone, a corrupt file, no header) is recorded in the
report and the others go on. The 3-per-company cap (D1) is about all students together,
so a night either reads everyone before it judges (the first nights, a dry run,
`sheetsync master`), or, once nearly every student has a snapshot from an earlier
night, writes while it reads and settles the cap at the end (jobs.night.stream). If a student
edits their sheet between our read and our write, the sheet is read and judged again
(up to MAX_EDIT_RETRIES times), so a flag never lands on the wrong row. A dry run reads
and plans but writes nothing, not even the state store's lottery draws.
"""
from __future__ import annotations

import datetime as dt
import gc
import threading
import time
from contextlib import contextmanager
from zoneinfo import ZoneInfo

from jobs.night.context import INSIGHT, Night, NightOptions, ReadJob
from jobs.night.judge import Judgement, judge_everyone, open_judge
from jobs.night.outcome import RunReport
from jobs.night.read import plan_reads, read_all, roster as roster_of
from jobs.night.report import finish, interrupted as stopped_by_ctrl_c, master
from jobs.night.stream import can_stream, stream_night
from jobs.night.write import keep, refuse_if_one_cause, write_all
from sheetsync.backends import open_backend
from sheetsync.config import Config
from sheetsync.errors import ConfigError, SheetsyncError
from sheetsync import notify

__all__ = ["INSIGHT", "Interrupted", "ReadJob", "run_nightly", "today_in"]


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
    ones almost never while the night runs; the usual pace comes back when the last night
    running in this process ends (a school's serve runs cohorts side by side)."""
    with _NIGHTS_LOCK:
        if not _NIGHTS_RUNNING:
            _USUAL_PACE[:] = gc.get_threshold()
            gc.set_threshold(50_000, 50, 1000)
        _NIGHTS_RUNNING.append(1)
    try:
        yield
    finally:
        with _NIGHTS_LOCK:
            _NIGHTS_RUNNING.pop()
            if not _NIGHTS_RUNNING:
                gc.set_threshold(*_USUAL_PACE)


_NIGHTS_LOCK = threading.Lock()
_NIGHTS_RUNNING: list[int] = []
_USUAL_PACE: list[int] = []


def run_nightly(config: Config, *, now: dt.date | None = None, dry_run: bool = False,
                backend=None, on_student=None, should_stop=None,
                write_students: bool = True, only: set[str] | None = None,
                kind: str | None = None) -> RunReport:
    """Run the whole flow once for every student, then the master. Never raises for one
    student's problem; the report says what happened to each. `should_stop()` is asked
    before each student is written: once it says yes, the rest are skipped for tonight
    and the master is left as it was. With `write_students=False` (`sheetsync master`)
    the cohort is read and judged and only the master is written. `only` (`run
    --student`): read and write just these students; the others count for the cap by
    their last snapshot and are not read or written (nor those with no snapshot). `kind`
    names the run in its report when the flags do not tell it ("watch"); only a whole
    night (jobs.night.outcome.WHOLE_NIGHTS) is tonight's for `serve`."""
    started = time.monotonic()
    options = NightOptions(dry_run=dry_run, write_students=write_students, only=only,
                           should_stop=should_stop, on_student=on_student, kind=kind)
    tell = options.whole_night       # a dry run, a master refresh or a run for a few students tells no one
    with _few_collections():
        try:
            report = _run(config, now, backend, options)
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


def _run(config: Config, now: dt.date | None, backend, options: NightOptions) -> RunReport:
    """One night from its start in the state store to its end there, whatever happens
    between; Ctrl-C ends it as Interrupted, with the report of how far it got."""
    now = now or today_in(config)
    night = Night(config, now, backend or open_backend(config), options)
    interrupted = False
    try:
        _the_night(night)
    except KeyboardInterrupt:           # Ctrl-C, SIGINT: say how far it got, lose nothing
        interrupted = True
        stopped_by_ctrl_c(night)
    finally:
        finish(night, interrupted)
    if interrupted:
        raise Interrupted(night.report)
    return night.report


def _the_night(night: Night) -> None:
    """Plan the reads, then one of two schedules of the same stages: once nearly everyone
    has a snapshot a whole night streams (jobs.night.stream), else everyone is read first."""
    roster = roster_of(night)
    jobs = plan_reads(night, roster)
    open_judge(night)
    if night.options.whole_night and can_stream(jobs):
        judged, stopped = stream_night(night, jobs)
    else:
        judged, stopped = read_everyone_first(night, jobs)
    keep(night, judged, stopped)
    master(night, judged, roster, stopped)


def read_everyone_first(night: Night, jobs: list[ReadJob]) -> tuple[Judgement, bool]:
    """Read every sheet, judge the cohort at once, write each student in turn;
    (the judgement after any re-reads, stopped early)."""
    reads = read_all(night, jobs)
    judged = judge_everyone(night, reads)
    if refuse_if_one_cause(night):       # no collapse is published: nothing written at all
        return judged, True
    return write_all(night, reads, judged)


class Interrupted(KeyboardInterrupt):
    """The run was stopped by Ctrl-C or SIGINT; the report says how far it got. Still a
    KeyboardInterrupt, so whatever runs the night (serve, a test) stops as it would."""
    exit_code = 130

    def __init__(self, report: RunReport):
        super().__init__(report.interrupted)
        self.report = report
