"""`sheetsync watch --every 5m`: a student who fixes their CRM sees the flags minutes later.

Each poll asks the backend which files changed since the last poll (on Google, Drive's
changes feed: its own, large quota, and no Sheets read for an unchanged cohort; on a
folder, the files' modification times), and runs `--student` for the changed students
only: their sheets are read and written, everyone else counts for the cap by their last
snapshot. Such a run is of kind "watch": never tonight's night for `serve`.

No edit is dropped between nights. The place in the feed is kept in the state store
(a restart misses nothing) and moves only past changes that were processed: a student
whose run did not succeed (the workbook open in Excel, a Google 503, a sheet that cannot
be read) stays pending in the state store and is run again, at the next poll, then
after 1, 3, 7, 15 polls (doubling, at most MAX_WAIT_POLLS), until their run succeeds;
a workbook that was only open elsewhere (its `~$` lock file) is tried at every poll,
as the check costs no quota. Our own writes are in Drive's feed too; Drive says who
changed a file last, and ours are passed over. A folder's file times cannot tell who
saved, so the place kept is the listing taken BEFORE the run, with each file the run
processed at the version the run left it (after our write): a save made during the run
is seen by the next poll. A poll that finds a run going (the nightly one) leaves the
position where it was, so the next poll sees the same changes.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
import signal
import time
from zoneinfo import ZoneInfo

from jobs.nightly import run_nightly
from jobs.night.outcome import WATCH, RunReport, StudentOutcome
from sheetsync.backends import open_backend
from sheetsync.config import Config
from sheetsync.errors import SheetsyncError
from sheetsync.lock import AlreadyRunning, lock_for
from sheetsync.state import StateStore

log = logging.getLogger("sheetsync.watch")
TOKEN = "watch.changes_token"
PENDING = "watch.pending"      # {student id: {"failures", "wait" (polls left), "why"}}
MAX_WAIT_POLLS = 15            # the longest wait between two tries of a pending student
# problems that end at an unknown moment and cost nothing to look at again (a workbook
# open in Excel: its lock file is checked before the write): tried at every poll
RETRY_EVERY_POLL = ("busy",)
# outcomes that are the sheet's answer, not a failed try: a workbook with no CRM tab is
# skipped until the student changes it, and that change is in the feed again
ANSWERED = ("no_tab",)


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
        """One look at the changes; the run for the students whose sheets changed, and
        for those still pending whose wait is over, if any."""
        with StateStore(self.config.state_path) as state:
            token, groups = state.setting(TOKEN), state.group_sheets()
            pending = json.loads(state.setting(PENDING) or "{}")
        if token is None:                 # the first poll only marks where the feed stands
            self._save(self.backend.changes_token(), pending)
            log.info("watching for changes from now on")
            return None
        try:
            changed, following = self.backend.changed_since(token)
            roster = [s for s in self.backend.roster() if self.backend.key(s) not in groups]
        except SheetsyncError as e:      # Drive's bad minute: the place stays, the next poll asks again
            log.warning("could not look for changes: %s; the next poll asks again", e)
            return None
        by_key = {self.backend.key(s): s.id for s in roster}
        pending = {sid: p for sid, p in pending.items() if sid in by_key.values()}
        edited = {by_key[k] for k in changed if k in by_key}
        again = {sid for sid, p in pending.items() if p["wait"] <= 0}
        students = sorted(edited | again)
        for sid in pending.keys() - set(students):
            pending[sid]["wait"] -= 1
        if not students:
            self._save(following, pending)
            return None
        try:
            with lock_for(self.config):
                log.info("changed: %s", ", ".join(students) + (
                    f" (pending, again: {', '.join(sorted(again - edited))})" if again - edited else ""))
                report = run_nightly(self.config, now=self.today(), backend=self.backend,
                                     only=set(students), kind=WATCH)
        except AlreadyRunning as e:
            log.warning("not now: %s; the next poll sees the same changes", e)
            return None
        except SheetsyncError as e:      # the run could not be made: all of them stay pending
            log.error("the run for %s failed: %s", ", ".join(students), e)
            for sid in students:
                _stays_pending(pending, sid, "internal", str(e))
            self._save(following, pending)
            return None
        outcomes = {o.id: o for o in report.students if o.id in students}
        for sid in students:
            o = outcomes.get(sid)
            if o is not None and (o.status == "ok" or o.problem in ANSWERED):
                pending.pop(sid, None)
            else:
                _stays_pending(pending, sid, o.problem if o else "internal",
                               o.message if o else "not in the run")
        self._save(self._place_after(following, roster, outcomes), pending)
        for o in outcomes.values():
            log.info("student %s: %s, %d flags, %d cells written", o.id, o.status, o.flags,
                     o.cells_written, extra={"student": o.id, "status": o.status,
                                             "flags": o.flags, "cells_written": o.cells_written})
        return report

    def _place_after(self, following: str, roster, outcomes: dict[str, StudentOutcome]) -> str:
        """Where the next poll looks from. Drive's feed: the token taken before the run
        (our writes are told apart by who made them). A folder's listing, also taken
        before the run, with each student the run did at the version it left their file:
        our own write is then no change, a save made meanwhile is one."""
        if self.backend.kind == "google":
            return following
        listing = json.loads(following) if following else {}
        with StateStore(self.config.state_path) as state:
            for s in roster:
                o = outcomes.get(s.id)
                # a sheet judged on last night's reading (a column gone) keeps no new
                # snapshot: its listed version stands, our write then runs it once more
                if o is not None and o.status == "ok" and not o.attention:
                    version = state.snapshot_version(s.id)
                    if version:
                        listing[self.backend.key(s)] = version
        return json.dumps(listing, sort_keys=True)

    def _save(self, token: str, pending: dict) -> None:
        """The place and the pending students together: a crash keeps both or neither."""
        with StateStore(self.config.state_path) as state:
            state.set_settings({TOKEN: token, PENDING: json.dumps(pending, sort_keys=True)})

    def pending(self) -> dict[str, dict]:
        """The students whose last change is not yet processed, with why and the wait."""
        with StateStore(self.config.state_path) as state:
            return json.loads(state.setting(PENDING) or "{}")

    def stop(self, *_) -> None:
        self.stopping = True

    def forever(self, every: float, *, sleep=time.sleep) -> None:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        log.info("watching every %.0f s", every)
        while not self.stopping:
            try:
                self.poll()
            except SheetsyncError as e:     # the state folder, say: one line, then the next poll
                log.error("poll failed: %s", e)
            waited = 0.0
            while waited < every and not self.stopping:
                sleep(min(1.0, every - waited))
                waited += 1.0
        log.info("stopped")


def _stays_pending(pending: dict, sid: str, problem: str, why: str) -> None:
    """A student whose run did not succeed: tried again at the next poll, then after a
    wait that doubles with each failure (1, 3, 7, 15 polls); at every poll when the
    sheet was only open in another program."""
    failures = pending.get(sid, {}).get("failures", 0) + 1
    wait = 0 if problem in RETRY_EVERY_POLL else min(2 ** (failures - 1) - 1, MAX_WAIT_POLLS)
    pending[sid] = {"failures": failures, "wait": wait, "why": why}
    log.warning("student %s stays pending (%s); tried again %s", sid, why,
                "at the next poll" if wait == 0 else f"after {wait} poll(s)",
                extra={"student": sid, "problem": problem})
