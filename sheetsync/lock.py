"""One run at a time: an exclusive lock file beside the state store.

The operating system releases the lock when the process ends, however it ends, so a
killed run never leaves a stale lock behind. The file says who holds it, for the message
the second run prints.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import os
from pathlib import Path

from sheetsync.errors import SheetsyncError


EXIT_LOCKED = 75        # EX_TEMPFAIL (sysexits.h): nothing is wrong, try again later


class AlreadyRunning(SheetsyncError):
    """Another sheetsync run holds the lock: the command exits EXIT_LOCKED (not 2, which
    says the configuration is wrong); `serve` and `watch` wait for their next minute/poll."""
    exit_code = EXIT_LOCKED


class RunLock:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self._fd: int | None = None

    def __enter__(self) -> "RunLock":
        try:
            from sheetsync.privacy.files import private_dir
            private_dir(self.path.parent)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as e:               # the state folder: not writable, or the disk full
            from sheetsync.state import state_error
            raise state_error(e, self.path) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 200).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise AlreadyRunning(f"another sheetsync run holds {self.path} ({holder})") from None
        os.ftruncate(fd, 0)
        os.write(fd, f"pid {os.getpid()} since {dt.datetime.now().isoformat(timespec='seconds')}".encode())
        self._fd = fd
        return self

    def __exit__(self, *exc) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


def lock_for(config) -> RunLock:
    return RunLock(config.state_path.parent / "run.lock")
