"""`sheetsync serve`: the nightly job, run by itself at the configured local time.

    sheetsync serve --config sheetsync.toml        # runs until SIGTERM / Ctrl-C

- When: every day at `[schedule] time` (default 02:30) in `[cohort] timezone` (default
  Europe/Stockholm), daylight saving included. `schedule` wakes the loop every minute;
  the service decides from the time zone whether tonight's run is due.
- A missed night (the machine was off at 02:30): the service runs once as soon as it is
  up again, judged as of that day. It does not run once per missed night: a run always
  judges the sheets as they are now, so one catch-up run is all the missed nights were
  worth. (`schedule` by itself never runs missed jobs.)
- Never two at once: the run lock (`.sheetsync/run.lock`) is shared with `sheetsync run`;
  a run that finds it held logs who holds it and waits for the next minute.
- Stopping: SIGTERM or SIGINT lets the student being written finish, marks the rest as
  skipped for tonight, skips the master, and exits; the next run does them.
- Quota: every Google call waits out 429s with backoff; a student whose quota never
  recovers fails alone and is retried the next night.
- Several cohorts: jobs.school runs a Service per cohort config, one after the other or
  side by side; one cohort's failure never stops the others.
- Logs: one line per event on stderr, with a timestamp, for journald or a cron mail; as
  JSON lines with `[monitoring] log_format = "json"` (sheetsync.logs).
"""
from __future__ import annotations

import datetime as dt
import logging
import signal
import time
from zoneinfo import ZoneInfo

import schedule

from jobs.nightly import run_nightly
from jobs.night.outcome import WHOLE_NIGHTS
from sheetsync.errors import ConfigError, SheetsyncError
from sheetsync.lock import AlreadyRunning, lock_for
from sheetsync.state import StateStore

log = logging.getLogger("sheetsync.serve")


class Service:
    def __init__(self, config, *, clock=None, backend_factory=None):
        self.config = config
        self.zone = ZoneInfo(config.cohort["timezone"])
        self.at = dt.time.fromisoformat(config.schedule["time"])
        self.clock = clock or (lambda: dt.datetime.now(self.zone))
        self.backend_factory = backend_factory
        self.stopping = False
        self.reports = []
        self.name = config.cohort["name"]       # in the log lines: a school serves several

    def due(self, now: dt.datetime) -> bool:
        """Tonight's run is due once the scheduled time has passed and no whole-cohort
        night has finished for today's date yet (so a missed night is made up once). A run
        for a few students (`run --student`, `watch` at 00:10) or of the master alone is
        no night: the overdue flags, digests and ping of the night are still to come."""
        local = now.astimezone(self.zone)
        if local.time() < self.at:
            return False
        store = StateStore(self.config.state_path)
        try:
            return not any(_a_whole_night(r) for r in store.runs_judged_on(local.date().isoformat()))
        finally:
            store.close()

    def tick(self):
        """Run tonight's job if it is due; the report, or None."""
        now = self.clock()
        if self.stopping or not self.due(now):
            return None
        try:
            with lock_for(self.config):
                log.info("nightly run starting, judged as of %s (cohort %s)",
                         now.astimezone(self.zone).date(), self.name, extra={"cohort": self.name})
                backend = self.backend_factory() if self.backend_factory else None
                try:
                    report = run_nightly(self.config, now=now.astimezone(self.zone).date(),
                                         backend=backend, should_stop=lambda: self.stopping,
                                         on_student=_log_student)
                except SheetsyncError as e:      # run_nightly has told staff (not of a ConfigError)
                    e.told = not isinstance(e, ConfigError)
                    raise
        except AlreadyRunning as e:
            log.warning("not starting (cohort %s): %s", self.name, e, extra={"cohort": self.name})
            return None
        counts = {k: report.count(k) for k in ("ok", "skipped", "failed")}
        log.info("nightly run %s done: %d ok, %d skipped, %d failed (cohort %s)", report.run_id,
                 *counts.values(), self.name, extra={"cohort": self.name, "run_id": report.run_id, **counts})
        for s in report.students:
            if s.status == "failed":
                log.error("student %s failed (cohort %s): %s", s.id, self.name, s.message,
                          extra={"cohort": self.name, "student": s.id, "problem": s.problem})
        self.reports.append(report)
        return report

    def stop(self, *_) -> None:
        log.info("stop requested (cohort %s): finishing the current student", self.name)
        self.stopping = True

    def serve_forever(self, *, sleep=time.sleep, poll_seconds: float = 1.0) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        scheduler = schedule.Scheduler()
        scheduler.every(1).minutes.do(self.tick)
        log.info("serving: nightly at %s %s", self.at.strftime("%H:%M"), self.zone.key)
        self.tick()                                   # a missed night is made up at start
        while not self.stopping:
            scheduler.run_pending()
            sleep(poll_seconds)
        log.info("stopped")


def _a_whole_night(run: dict) -> bool:
    """A finished run of the whole cohort, one a stop cut short included (the next night
    completes it), that wrote: a dry run or a run for some students is not."""
    return bool(run["finished"]) and not run["dry_run"] \
        and (run["report"] or {}).get("kind") in WHOLE_NIGHTS


def _log_student(outcome) -> None:
    log.info("student %s: %s, %d leads, %d flags, %d cells written%s", outcome.id, outcome.status,
             outcome.leads, outcome.flags, outcome.cells_written,
             f" ({outcome.message})" if outcome.message else "",
             extra={"student": outcome.id, "status": outcome.status, "leads": outcome.leads,
                    "flags": outcome.flags, "cells_written": outcome.cells_written})
