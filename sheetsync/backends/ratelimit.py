"""Pacing Google calls so a run stays inside the quota instead of collecting 429s.

Google counts requests per minute: 60 reads and 60 writes per user (a service account is
one user) and 300 of each per project. A token bucket would allow a full bucket plus a
minute's refill inside one minute, up to twice the quota, so this limiter keeps the
times of recent calls instead (a sliding one-minute window per kind) and waits until
the oldest leaves the window. Thread-safe; clock and sleep can be replaced (the
benchmark runs on a virtual clock). The Google backend counts in the same kind of window
kept in the machine's quota ledger (ledger.py), per identity and per project, so that
several runs pace together; this one-process limiter is what a caller may hand it instead.
"""
from __future__ import annotations

import collections
import threading
import time

WINDOW = 60.0


class RateLimiter:
    def __init__(self, per_minute: dict[str, int], *, clock=time.monotonic, sleep=time.sleep,
                 same_as: dict[str, str] | None = None):
        self.per_minute = dict(per_minute)
        self.same_as = same_as or {}          # kinds counted in another's window
        self.clock, self.sleep = clock, sleep
        self._calls = {kind: collections.deque() for kind in per_minute}
        self._lock = threading.Lock()
        self.waited = 0.0                     # seconds spent waiting, for the report

    def acquire(self, kind: str) -> None:
        """Block until one more `kind` call fits in the last minute, then count it."""
        kind = self.same_as.get(kind, kind)
        if kind not in self.per_minute:
            return
        while True:
            with self._lock:
                now = self.clock()
                calls = self._calls[kind]
                while calls and now - calls[0] >= WINDOW:
                    calls.popleft()
                if len(calls) < self.per_minute[kind]:
                    calls.append(now)
                    return
                wait = WINDOW - (now - calls[0]) + 0.001
            self.waited += wait
            self.sleep(wait)
