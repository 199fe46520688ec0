"""One quota ledger for every run on a machine, so that together they stay inside Google's
per-minute limits.

Google counts per user (each service account, each person) and per project, for Sheets
reads and writes and Drive apart. A run alone paces to those limits (ratelimit's sliding
window); two cohorts started at 02:30, `watch` and a `run --student` each doing so would
together send several times the quota and collect 429s. So every call is first counted
here, under its identity's key and its project's key, and waits while either has had its
limit in the last minute.

- `SqliteLedger`: a small SQLite file that the processes on the machine share (path in
  `[quota] ledger`, default ~/.cache/sheetsync/quota.db, $SHEETSYNC_QUOTA_LEDGER over
  both). Each count is one BEGIN IMMEDIATE transaction: a process reads the window and
  adds its call while holding the write lock, so two can never both take the last slot.
  Times are wall-clock seconds (time.time), the only clock processes share.
- `MemoryLedger`: the same window in memory, for runs on a simulated clock (the
  benchmarks, tests): every backend on one clock object shares one (`ledger_for`).
"""
from __future__ import annotations

import collections
import logging
import os
import sqlite3
import threading
import time
import weakref
from pathlib import Path

WINDOW = 60.0
log = logging.getLogger(__name__)
LEDGER_ENV = "SHEETSYNC_QUOTA_LEDGER"
DEFAULT_LEDGER = "~/.cache/sheetsync/quota.db"
ORDERED_KINDS = ("reads", "writes")    # see MemoryLedger


def quota_keys(quota: dict, identity: str, project: str, kind: str) -> list[tuple[str, int]]:
    """The (key, limit a minute) pairs one call of `kind` is counted under."""
    if kind == "drive":
        user, whole = quota["drive_per_minute"], quota["drive_project_per_minute"]
    else:
        user = quota["reads_per_minute" if kind == "reads" else "writes_per_minute"]
        whole = quota["project_per_minute"]
    return [(f"{kind}|user|{identity}", user), (f"{kind}|project|{project}", whole)]


class MemoryLedger:
    """Sliding one-minute windows in memory. A simulated clock keeps a timeline per thread
    (benchmarks.nightly.VirtualClock), so a thread may ask at a moment before a call
    another thread already counted; for the Sheets keys, which are spent near their limit,
    such a call first waits until that moment, so each window stays a window in time order
    (in real time that is always so). Drive's keys (325,000 a minute) are never near it."""

    def __init__(self):
        self._calls: dict[str, collections.deque] = collections.defaultdict(collections.deque)
        self._lock = threading.Lock()

    def take(self, keys: list[tuple[str, int]], now: float) -> float:
        """0 if the call was counted under every key; else the seconds to wait first."""
        with self._lock:
            wait = 0.0
            for key, limit in keys:
                calls = self._calls[key]
                if calls and now < calls[-1] and key.split("|", 1)[0] in ORDERED_KINDS:
                    wait = max(wait, calls[-1] - now)
                    continue
                while calls and now - calls[0] >= WINDOW:
                    calls.popleft()
                if len(calls) >= limit:
                    wait = max(wait, WINDOW - (now - calls[0]) + 0.001)
            if wait > 0:
                return wait
            for key, _ in keys:
                self._calls[key].append(now)
            return 0.0


class SqliteLedger:
    """The same windows in a SQLite file shared by every process of the user."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()       # a connection per thread (sqlite3's rule)
        with self._db() as db:
            db.execute("CREATE TABLE IF NOT EXISTS calls (key TEXT NOT NULL, t REAL NOT NULL)")
            db.execute("CREATE INDEX IF NOT EXISTS calls_by_key ON calls (key, t)")

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=60, isolation_level=None)
            for attempt in range(50):   # switching to WAL is refused, not waited, while another opens it
                try:
                    db.execute("PRAGMA journal_mode=WAL")       # readers never wait on the writer
                    break
                except sqlite3.OperationalError:
                    time.sleep(0.05 * (attempt + 1))
            db.execute("PRAGMA synchronous=NORMAL")     # a lost count after a power cut is harmless
            self._local.db = db
        return db

    def take(self, keys: list[tuple[str, int]], now: float) -> float:
        db = self._db()
        db.execute("BEGIN IMMEDIATE")
        try:
            wait = 0.0
            for key, limit in keys:
                db.execute("DELETE FROM calls WHERE key = ? AND t <= ?", (key, now - WINDOW))
                count, oldest = db.execute("SELECT count(*), min(t) FROM calls WHERE key = ?",
                                           (key,)).fetchone()
                if count >= limit:
                    wait = max(wait, WINDOW - (now - oldest) + 0.001)
            if wait == 0.0:
                db.executemany("INSERT INTO calls (key, t) VALUES (?, ?)", [(k, now) for k, _ in keys])
            db.execute("COMMIT")
            return wait
        except BaseException:
            db.execute("ROLLBACK")
            raise


_SHARED = weakref.WeakKeyDictionary()     # a simulated clock's owner -> its MemoryLedger
_FILES: dict[Path, SqliteLedger] = {}
_GUARD = threading.Lock()


def ledger_path(quota: dict, resolve=Path) -> Path | None:
    """Where the machine's ledger is: $SHEETSYNC_QUOTA_LEDGER, `[quota] ledger`, or the
    per-user default; "none" in either keeps a run's pacing to itself."""
    setting = os.environ.get(LEDGER_ENV) or quota.get("ledger") or DEFAULT_LEDGER
    if setting.strip().lower() == "none":
        return None
    return resolve(setting)


def ledger_for(clock, path: Path | None):
    """The ledger a backend counts in: the machine's file on the real clock, else one
    in-memory ledger per simulated clock (all backends on it share it)."""
    with _GUARD:
        if clock in (time.monotonic, time.time) and path is not None:
            path = Path(path).expanduser().resolve()
            if path not in _FILES:
                try:
                    _FILES[path] = SqliteLedger(path)
                except (OSError, sqlite3.Error) as e:     # a read-only home under systemd, say
                    log.warning("quota ledger %s cannot be used (%s): this run paces itself"
                                " alone; set [quota] ledger to a folder it may write", path, e)
                    _FILES[path] = MemoryLedger()
            return _FILES[path], time.time
        owner = getattr(clock, "__self__", clock)
        try:
            ledger = _SHARED.get(owner)
            if ledger is None:
                ledger = _SHARED[owner] = MemoryLedger()
        except TypeError:                     # not weak-referenceable: a ledger of its own
            ledger = MemoryLedger()
        return ledger, clock


class LedgerLimiter:
    """A RateLimiter's face (acquire, waited) over the shared ledger, for one identity."""

    def __init__(self, ledger, quota: dict, identity: str, project: str, *, clock, sleep):
        self.ledger, self.quota, self.identity, self.project = ledger, quota, identity, project
        self.clock, self.sleep = clock, sleep
        self.waited = 0.0

    def acquire(self, kind: str) -> None:
        kind = "writes" if kind == "structural" else kind
        if kind not in ("reads", "writes", "drive"):
            return
        keys = quota_keys(self.quota, self.identity, self.project, kind)
        while True:
            wait = self.ledger.take(keys, self.clock())
            if not wait:
                return
            self.waited += wait
            self.sleep(wait)
