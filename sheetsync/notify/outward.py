"""What every outward call shares (webhook, ping, SMTP): a deadline for the WHOLE exchange,
a budget for a night's outward work, and redaction of secrets from any error text.

A socket timeout bounds one read, not an exchange: a peer that accepts and then sends a
byte a second keeps a plain `requests`/`smtplib` call alive for ever, holding the run
lock. Here a watchdog timer shuts the exchange's socket down at its deadline, which wakes
any read blocked on it; the exchange then fails as `OutwardTimeout`.
"""
from __future__ import annotations

import base64
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
        self.fired = False
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
        with self._lock:
            self.fired = True
            watched = list(self._sockets)
        for current in watched:
            self._shut(current)

    @staticmethod
    def _shut(current_socket) -> None:
        sock = current_socket()
        if sock is None:
            return
        try:   # on the plain socket: an SSL socket's own shutdown() would drop its TLS state
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:
            pass


@contextmanager
def exchange(seconds: float, what: str) -> Iterator[_Guard]:
    """Run one exchange (`with exchange(5, "webhook") as guard: guard.watch(...)`); at
    `seconds` its socket is shut down and the exchange fails as OutwardTimeout, whatever
    it raised or returned: a read cut short by the shutdown can look like a whole answer
    (an HTTP header section ends at EOF), so a cut exchange is never taken as done."""
    if seconds <= 0:
        raise OutwardTimeout(f"{what}: no time left for it")
    guard = _Guard()
    timer = threading.Timer(seconds, guard.fire)
    timer.daemon = True
    timer.start()
    timed_out = OutwardTimeout(f"{what}: not done within {seconds:.0f} s")
    try:
        yield guard
    except Exception:
        if guard.fired:
            raise timed_out from None
        raise
    finally:
        timer.cancel()
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
