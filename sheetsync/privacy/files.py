"""Owner-only files and folders, whatever the umask.

Everything the service writes (the state store and its copies, backups, reports,
calendars, .eml digests, the master workbook) holds students' and their contacts'
names and numbers: it is created 0600 (folders 0700) from the start, never made
private afterwards, so there is no moment another user of the machine could read it.
"""
from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

FILE_MODE, DIR_MODE = 0o600, 0o700


def private_dir(path: Path | str) -> Path:
    """`mkdir -p`, every folder it makes owner-only; folders that existed are left as
    they are (`sheetsync check` names any that others can read)."""
    path = Path(path)
    missing, up = [], path
    while not up.exists() and up != up.parent:
        missing.append(up)
        up = up.parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, DIR_MODE)
        except FileExistsError:          # made meanwhile by another process: fine
            continue
        os.chmod(folder, DIR_MODE)       # mkdir's mode is narrowed by the umask, never widened
    return path


def create_private(path: Path | str) -> Path:
    """An empty owner-only file (truncated if it existed), for a writer that opens the
    path itself (openpyxl, SQLite): it keeps the mode of the file it finds."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return Path(path)


def write_private(path: Path | str, data: bytes | str) -> Path:
    """Write a whole file owner-only (text as UTF-8)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        with os.fdopen(fd, "wb", closefd=False) as f:
            f.write(data)
    finally:
        os.close(fd)
    return Path(path)


def copy_private(source: Path | str, target: Path | str) -> Path:
    """A copy that is owner-only whatever the source's mode, with the source's times."""
    create_private(target)
    shutil.copyfile(source, target)
    st = os.stat(source)
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))
    return Path(target)


def new_sqlite_file(path: Path | str) -> Path:
    """Make a new SQLite database file owner-only before SQLite opens it: SQLite gives
    its -wal and -shm files the database file's mode."""
    path = Path(path)
    if not path.exists():
        create_private(path)
    return path


def readable_by_others(path: Path) -> bool:
    try:
        return bool(stat.S_IMODE(path.lstat().st_mode) & 0o077)
    except OSError:
        return False


def exposed(paths: list[Path]) -> list[Path]:
    """Of these paths and everything under the folders among them, those another user
    of the machine could read or enter (any group or other permission bit)."""
    found: dict[Path, None] = {}          # in order, each once
    for top in paths:
        if not top.exists() or top.is_symlink():
            continue
        if readable_by_others(top):
            found[top] = None
        if top.is_dir():
            for root, dirs, files in os.walk(top):
                for name in sorted(dirs) + sorted(files):
                    p = Path(root) / name
                    if not p.is_symlink() and readable_by_others(p):
                        found[p] = None
    return list(found)


def calendar_folder(config) -> Path:
    given = config.calendars["folder"]
    return config.resolve(given) if given else config.state_path.parent / "calendars"


def service_paths(config) -> list[Path]:
    """Every file and folder the service writes personal data to (those that exist):
    the state store with its WAL, damaged copies set aside and state copies, backups,
    reports, calendars, .eml digests, the lock file and, on the xlsx backend, the master."""
    store = config.state_path
    state_dir = store.parent
    paths = [state_dir, *sorted(state_dir.glob(store.name + "*")),
             *(state_dir / name for name in ("state-copies", "backups", "reports", "run.lock")),
             calendar_folder(config)]
    if config.digest["eml_folder"]:
        paths.append(config.resolve(config.digest["eml_folder"]))
    if config.backend["kind"] == "xlsx":
        paths.append(config.resolve(config.master["path"]))
    seen, out = set(), []
    for p in paths:
        if p.exists() and p not in seen:
            seen.add(p)
            out.append(p)
    return out


def privacy_warnings(config, limit: int = 10) -> list[str]:
    """`sheetsync check`'s lines for service files others can read (at most `limit`)."""
    state_dir = config.state_path.parent
    # a state folder of its own is the service's through and through; when the store
    # sits in the config's folder, only the service's own files there count
    tops = [p for p in service_paths(config) if p != state_dir or state_dir != config.root]
    found = exposed(tops)
    lines = [f"{p} can be read by other users of this machine (mode {stat.S_IMODE(p.lstat().st_mode):04o})"
             f" and holds personal data: chmod {'700' if p.is_dir() else '600'} {p}" for p in found[:limit]]
    if len(found) > limit:
        lines.append(f"...and {len(found) - limit} more service files or folders readable by others"
                     f" (chmod -R go-rwx {state_dir})")
    return lines
