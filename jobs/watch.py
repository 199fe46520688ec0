"""`sheetsync watch --every 5m`: a student who fixes their CRM sees the flags minutes later.

Each poll asks the backend which files changed since the last poll (on Google, Drive's
changes feed: its own, large quota, and no Sheets read for an unchanged cohort; on a
folder, the files' modification times), and runs `--student` for the changed students
only: their sheets are read and written, everyone else counts for the cap by their last
snapshot. The feed's position is kept in the state store, so a restart misses nothing.
Our own writes are in Drive's feed too; Drive says who changed a file last, and ours
are passed over. A poll that finds a run going (the nightly one) leaves the position
where it was, so the next poll sees the same changes.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
import signal
import time
from zoneinfo import ZoneInfo

from jobs.nightly import run_nightly
from jobs.report import RunReport
from sheetsync.backends import open_backend
from sheetsync.config import Config
from sheetsync.lock import AlreadyRunning, lock_for
from sheetsync.state import StateStore

log = logging.getLogger("sheetsync.watch")
TOKEN = "watch.changes_token"


def parse_every(text: str) -> float:
    """'30s', '5m', '1h' (or plain seconds) -> seconds; at least 10 s, Drive is not a stream."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smh]?)\s*", text)
    if not m:
        raise ValueError(f"--every {text!r}: write it as 30s, 5m or 1h")
    seconds = float(m[1]) * {"": 1, "s": 1, "m": 60, "h": 3600}[m[2]]
    if seconds < 10:
        raise ValueError(f"--every {text!r}: poll at most every 10 seconds")
    return seconds


class Watch:
    def __init__(self, config: Config, backend=None, *, today=None):
        self.config = config
        self.backend = backend or open_backend(config)
        self.today = today or (lambda: dt.datetime.now(ZoneInfo(config.cohort["timezone"])).date())
        self.stopping = False

    def poll(self) -> RunReport | None:
        """One look at the changes; the run for the students whose sheets changed, if any."""
        with StateStore(self.config.state_path) as state:
            token, groups = state.setting(TOKEN), state.group_sheets()
        if token is None:                 # the first poll only marks where the feed stands
            self._save(self.backend.changes_token())
            log.info("watching for changes from now on")
            return None
        changed, following = self.backend.changed_since(token)
        by_key = {self.backend.key(s): s.id for s in self.backend.roster()}
        students = sorted({by_key[k] for k in changed if k in by_key and k not in groups})
        if not students:
            self._save(following)
            return None
        try:
            with lock_for(self.config):
                log.info("changed: %s", ", ".join(students))
                report = run_nightly(self.config, now=self.today(), backend=self.backend,
                                     only=set(students))
        except AlreadyRunning as e:
            log.warning("not now: %s; the next poll sees the same changes", e)
            return None
        if self.backend.kind != "google":  # a listing cannot tell our writes from theirs
            following = self.backend.changes_token()
        self._save(following)
        for o in report.students:
            if "not in this run" not in o.message:
                log.info("student %s: %s, %d flags, %d cells written", o.id, o.status, o.flags,
                         o.cells_written, extra={"student": o.id, "status": o.status,
                                                 "flags": o.flags, "cells_written": o.cells_written})
        return report

    def _save(self, token: str) -> None:
        with StateStore(self.config.state_path) as state:
            state.set_setting(TOKEN, token)

    def stop(self, *_) -> None:
        self.stopping = True

    def forever(self, every: float, *, sleep=time.sleep) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        log.info("watching every %.0f s", every)
        while not self.stopping:
            self.poll()
            waited = 0.0
            while waited < every and not self.stopping:
                sleep(min(1.0, every - waited))
                waited += 1.0
        log.info("stopped")
