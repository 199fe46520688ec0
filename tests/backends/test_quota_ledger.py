"""The quota ledger every run on a machine shares (#35): several runs on one identity stay
inside Google's per-user quota together; one run alone paces as before."""
import multiprocessing
import threading
import time
from collections import Counter

from jobs.nightly import run_nightly
from sheetsync.backends.google import GoogleBackend
from sheetsync.backends.ledger import LedgerLimiter, MemoryLedger, SqliteLedger, quota_keys
from sheetsync.demo import generate_cohort
from sheetsync.demo.google import upload_cohort
from sheetsync.testing import FakeGoogle
from tests.conftest import NOW

LIMIT = 6


class TurnClock:
    """One simulated time for the runs, moved only when every run is asleep: to the
    earliest waking. So time never jumps under a run between its ledger count and its
    call (as real time would not by a minute), while the runs still interleave freely
    between their sleeps, each through its own connection to the ledger file."""

    def __init__(self):
        self.t, self._cond = 0.0, threading.Condition()
        self._running, self._asleep = set(), {}

    def now(self):
        return self.t

    def join(self):
        with self._cond:
            self._running.add(threading.get_ident())

    def leave(self):
        with self._cond:
            self._running.discard(threading.get_ident())
            self._wake_earliest()

    def sleep(self, s):
        me = threading.get_ident()
        with self._cond:
            self._running.discard(me)
            self._asleep[me] = self.t + max(s, 0)
            self._wake_earliest()
            self._cond.wait_for(lambda: me in self._running)

    def _wake_earliest(self):
        if not self._running and self._asleep:
            who = min(self._asleep, key=self._asleep.get)
            self.t = max(self.t, self._asleep.pop(who))
            self._running.add(who)
            self._cond.notify_all()


def most_in_a_minute(times: list[float]) -> int:
    times = sorted(times)
    return max((sum(1 for u in times if t <= u < t + 60) for t in times), default=0)


def _take_many(path, key, tries, results):
    ledger = SqliteLedger(path)                    # a process of its own, a connection of its own
    results.put(sum(ledger.take([(key, LIMIT)], time.time()) == 0 for _ in range(tries)))


def test_processes_sharing_the_sqlite_ledger_never_take_more_than_the_limit(tmp_path):
    """Four processes each asking 20 times at once: the file lets exactly LIMIT through
    (BEGIN IMMEDIATE: the count and the insert are one transaction)."""
    path = tmp_path / "quota.db"
    SqliteLedger(path)
    results = multiprocessing.get_context("spawn").Queue()
    procs = [multiprocessing.get_context("spawn").Process(
        target=_take_many, args=(path, "writes|user|a@x", 20, results)) for _ in range(4)]
    for p in procs:
        p.start()
    taken = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=120)
    assert sum(taken) == LIMIT


def test_the_ledger_counts_the_identity_and_the_project_apart():
    ledger = MemoryLedger()
    quota = {"reads_per_minute": 2, "writes_per_minute": 2, "project_per_minute": 3,
             "drive_per_minute": 100, "drive_project_per_minute": 100}
    one = quota_keys(quota, "one@x", "p", "writes")
    two = quota_keys(quota, "two@x", "p", "writes")
    assert [ledger.take(one, 0.0), ledger.take(one, 1.0)] == [0, 0]
    assert ledger.take(one, 2.0) > 0                 # the identity's 2 a minute
    assert ledger.take(two, 2.0) == 0                # another identity: the project's 3rd
    assert ledger.take(two, 3.0) > 0                 # the project's 3 a minute
    assert ledger.take(quota_keys(quota, "two@x", "p", "reads"), 3.0) == 0   # reads apart


def test_two_runs_on_one_identity_stay_inside_the_per_user_quota_together(tmp_path):
    """Two cohorts run at the same time on one service account, each with its own backend
    and its own connection to the ledger file (as two processes would have): in no minute
    of the fake's clock does the identity make more than its quota, and no call meets a 429.
    Each alone would pace to the whole quota; together, without the ledger, they would not."""
    clock = TurnClock()
    with FakeGoogle(quotas=True, reads_per_minute_user=LIMIT, writes_per_minute_user=LIMIT,
                    clock=clock.now, sleep=clock.sleep) as google:
        configs = [upload_cohort(google, generate_cohort(8, seed, NOW), tmp_path / f"cohort{seed}")[0]
                   for seed in (1, 2)]
        reports = {}

        def night(config):
            clock.join()
            try:
                one_night(config)
            finally:
                clock.leave()

        def one_night(config):
            config.quota.update(reads_per_minute=LIMIT, writes_per_minute=LIMIT, workers=1)
            backend = GoogleBackend(config, sleep=clock.sleep, clock=clock.now)
            limiter = LedgerLimiter(SqliteLedger(tmp_path / "quota.db"), config.quota,
                                    backend.members[0].identity, "the project",
                                    clock=clock.now, sleep=clock.sleep)
            backend.members[0].limiter = backend.limiter = limiter
            reports[config.path] = run_nightly(config, now=NOW, backend=backend)

        runs = [threading.Thread(target=night, args=(c,)) for c in configs]
        for r in runs:
            r.start()
        for r in runs:
            r.join()
        assert len(reports) == 2 and all(r.ok for r in reports.values())
        calls = [c for c in google.requests if c.kind in ("read", "write")]
        assert [c for c in google.requests if c.status == 429] == []
        by_kind = Counter(c.kind for c in calls)
        assert by_kind["write"] > 2 * LIMIT and by_kind["read"] > 2 * LIMIT   # they had to share
        for kind in ("read", "write"):
            assert most_in_a_minute([c.at for c in calls if c.kind == kind]) <= LIMIT
