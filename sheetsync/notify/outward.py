"""What every outward call shares (webhook, ping, SMTP): a deadline for the WHOLE exchange,
a budget for a night's outward work, and redaction of secrets from any error text.

A socket timeout bounds one read, not an exchange: a peer that accepts and then sends a
byte a second keeps a plain `requests`/`smtplib` call alive for ever, holding the run
lock. Here a watchdog timer shuts the exchange's socket down at its deadline, which wakes
any read blocked on it; the exchange then fails as `OutwardTimeout`.
"""
from __future__ import annotations

import base64
import heapq
import itertools
import re
import socket
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator
from urllib.parse import urlsplit


class OutwardTimeout(OSError):
    """An outward exchange did not end within its deadline."""


class Undelivered(Exception):
    """The peer answered, and the answer means the message did not arrive (a 500, a 301)."""


class Budget:
    """A night's time for outward work (alerts + digests), started at its first use."""

    def __init__(self, seconds: float, call_seconds: float):
        self.seconds, self.call_seconds = seconds, call_seconds
        self._ends: float | None = None

    def start(self) -> "Budget":
        if self._ends is None:
            self._ends = time.monotonic() + self.seconds
        return self

    def remaining(self) -> float:
        self.start()
        return max(0.0, self._ends - time.monotonic())

    def spent(self, keep: float = 0.0) -> bool:
        """No time left, or less than `keep` (time held back for later calls)."""
        return self.remaining() <= keep

    def call(self) -> float:
        """The deadline of the next exchange: its own limit, or what is left if less."""
        return min(self.call_seconds, self.remaining())


class _Guard:
    """Shuts the watched socket down when the deadline passes (see `exchange`)."""

    def __init__(self) -> None:
        self.fired = self.finished = False
        self._sockets: list[Callable[[], socket.socket | None]] = []
        self._lock = threading.Lock()

    def watch(self, current_socket: Callable[[], socket.socket | None]) -> None:
        """`current_socket()` is asked at the deadline: STARTTLS replaces the socket object."""
        with self._lock:
            self._sockets.append(current_socket)
            fired = self.fired
        if fired:
            self._shut(current_socket)

    def fire(self) -> None:
        with self._lock:             # held while shutting: finish() then means no shutdown after it
            if self.finished:        # too late: the connection may be serving the next exchange
                return
            self.fired = True
            for current in self._sockets:
                self._shut(current)

    def finish(self) -> None:
        with self._lock:
            self.finished = True

    @staticmethod
    def _shut(current_socket) -> None:
        sock = current_socket()
        if sock is None:
            return
        try:   # on the plain socket: an SSL socket's own shutdown() would drop its TLS state
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass


class _Watchdog:
    """One daemon thread for every exchange of the process: it fires each guard whose
    deadline passed (a timer thread per exchange cost 0.2 ms a Google call)."""

    def __init__(self) -> None:
        self._wake = threading.Condition()
        self._due: list[list] = []            # heap of [deadline, n, guard or None when done]
        self._numbers = itertools.count()
        self._thread: threading.Thread | None = None

    def add(self, seconds: float, guard: _Guard) -> list:
        entry = [time.monotonic() + seconds, next(self._numbers), guard]
        with self._wake:
            heapq.heappush(self._due, entry)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="sheetsync-watchdog", daemon=True)
                self._thread.start()
            self._wake.notify()
        return entry

    def done(self, entry: list) -> None:
        with self._wake:
            entry[2] = None                   # left in the heap, dropped when it comes up

    def _run(self) -> None:
        while True:
            due = []
            with self._wake:
                while not due:
                    while self._due and self._due[0][2] is None:
                        heapq.heappop(self._due)
                    if not self._due:
                        self._wake.wait()
                        continue
                    wait = self._due[0][0] - time.monotonic()
                    if wait > 0:
                        self._wake.wait(wait)
                        continue
                    due.append(heapq.heappop(self._due)[2])
            for guard in due:                 # outside the watchdog's lock
                guard.fire()


_WATCHDOG = _Watchdog()


@contextmanager
def exchange(seconds: float, what: str) -> Iterator[_Guard]:
    """Run one exchange (`with exchange(5, "webhook") as guard: guard.watch(...)`); at
    `seconds` its socket is shut down and the exchange fails as OutwardTimeout, whatever
    it raised or returned: a read cut short by the shutdown can look like a whole answer
    (an HTTP header section ends at EOF), so a cut exchange is never taken as done."""
    if seconds <= 0:
        raise OutwardTimeout(f"{what}: no time left for it")
    guard = _Guard()
    entry = _WATCHDOG.add(seconds, guard)
    timed_out = OutwardTimeout(f"{what}: not done within {seconds:.0f} s")
    try:
        yield guard
    except Exception:
        if guard.fired:
            raise timed_out from None
        raise
    finally:
        guard.finish()
        _WATCHDOG.done(entry)
    if guard.fired:
        raise timed_out


# -- secrets out of text ---------------------------------------------------------------
_URL = re.compile(r"(?P<scheme>[a-zA-Z][a-zA-Z0-9+.-]*)://(?P<netloc>[^/\s?#'\"<>]+)(?P<rest>[^\s'\"<>]*)")


def _shown(match: re.Match) -> str:
    host = match["netloc"].rpartition("@")[2]
    return f"{match['scheme']}://{host}/…"


def secrets_of(url: str) -> list[str]:
    """The parts of a URL that may be a credential: its path segments, query values,
    user and password (longer than a short word, so "/hook" is left readable)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return [url]
    found = [parts.path] if len(parts.path) >= 6 else []
    found += [parts.query] if parts.query else []
    found += [s for s in parts.path.split("/") if len(s) >= 6]
    found += [v for pair in parts.query.split("&") for v in pair.split("=")[1:] if len(v) >= 4]
    if parts.password:
        found.append(parts.password)
    if parts.username:
        found.append(parts.username)
    return [s for s in found if s]


def redact(text: str, *secrets: str) -> str:
    """`text` with every URL shown as scheme://host/… and each of `secrets` (URLs, whose
    parts are then hidden wherever they appear, or a password) replaced by "…". A library
    may put the URL in its error (requests' "for url: ..."), or its path alone (urllib3's
    "with url: /services/..."), so both are hidden."""
    text = _URL.sub(_shown, str(text))
    hidden: list[str] = []
    for secret in secrets:
        if not secret:
            continue
        if "://" in secret:
            hidden += secrets_of(secret)
        else:                   # a password, also as an AUTH exchange would carry it
            hidden += [secret, base64.b64encode(secret.encode()).decode()]
    for secret in sorted(set(hidden), key=len, reverse=True):
        text = text.replace(secret, "…")
    return text
