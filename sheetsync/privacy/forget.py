"""`sheetsync student forget STUDENT_ID`: erase everything the service holds about a
student outside their own sheet (GDPR art. 17).

The state store and its copies (rows deleted, the bytes gone: privacy.scrub), the
backups of their workbook, their entries in the run reports, their calendar (on Google
the Drive file too) and .eml digests, and their rows in the master (and the master's
backups that still hold them). The lottery stays fair for the others: each company the
student held goes to the next in its drawn order.

It refuses while the student is on the roster: the next night would read them again.
"""
from __future__ import annotations

import json
import os
import sqlite3
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from sheetsync.config import Config
from sheetsync.errors import ConfigError, SheetsyncError
from sheetsync.privacy.files import calendar_folder, create_private, write_private
from sheetsync.privacy.scrub import Needles, scrub_database, scrub_report, student_name


@dataclass
class ForgetReport:
    student: str
    done: list[str] = field(default_factory=list)        # "state store: 1 snapshot, 12 undo cells, ..."
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def table(self) -> str:
        lines = [f"{self.student}: erased from"] + [f"  {line}" for line in self.done]
        lines += [f"  NOT DONE: {p}" for p in self.problems]
        return "\n".join(lines)


def where_listed(config: Config, student: str) -> list[str]:
    """Where the roster still lists the student: a [[students]] entry, or a workbook in the
    students folder (the folder is the roster when there are no entries)."""
    found = [f"a [[students]] entry (students[{i}]) in {config.path}"
             for i, s in enumerate(config.students) if s.id == student]
    if config.backend["kind"] == "xlsx":
        folder = config.resolve(config.backend["folder"])
        for s in config.students:
            if s.id == student and s.file and (folder / s.file).exists():
                found.append(f"the workbook {folder / s.file}")
        book = folder / f"{student}.xlsx"
        if book.exists():
            found.append(f"the workbook {book} in the students folder")
    return found


def _state_files(config: Config) -> list[Path]:
    """The store, its copies and any damaged store set aside beside it."""
    store = config.state_path
    files = [store] if store.exists() else []
    files += sorted(p for p in store.parent.glob(f"{store.name}.damaged-*")
                    if not p.name.endswith(("-wal", "-shm")))
    copies = store.parent / "state-copies"
    return files + (sorted(copies.glob("state-*.db")) if copies.is_dir() else [])


def _last_known(config: Config, student: str) -> tuple[str | None, str | None]:
    """(where their sheet was, their calendar's Drive file) from the store, if known."""
    if not config.state_path.exists():
        return None, None
    db = sqlite3.connect(config.state_path, timeout=30)
    try:
        location = None
        row = db.execute("SELECT data FROM snapshots WHERE student = ?", (student,)).fetchone()
        if row:
            import zlib
            location = json.loads(zlib.decompress(row[0])).get("location")
        kept = db.execute("SELECT value FROM settings WHERE name = ?", (f"calendar.{student}",)).fetchone()
        return location, (json.loads(kept[0]).get("file") if kept else None)
    except sqlite3.DatabaseError:
        return None, None
    finally:
        db.close()


def forget_student(config: Config, student: str, *, backend=None, name: str | None = None,
                   remove_from_sheet: bool = False, sheet: str | None = None) -> ForgetReport:
    """Erase the student everywhere the service keeps them; one run at a time.
    `remove_from_sheet`: first take our columns and summary tab out of their own sheet,
    `sheet` (a path or spreadsheet id/URL) or else where the service last read it."""
    from sheetsync.lock import lock_for
    listed = where_listed(config, student)
    if listed:
        raise ConfigError(f"student {student!r} is still on the roster ({'; '.join(listed)}): the next"
                          " night would read them again. Take them off the roster first, then forget them")
    with lock_for(config):
        return _forget(config, student, backend, name, remove_from_sheet, sheet)


def _forget(config: Config, student: str, backend, name: str | None, remove_from_sheet: bool,
            sheet: str | None) -> ForgetReport:
    report = ForgetReport(student)
    name = name or (student_name(config.state_path, student) if config.state_path.exists() else None)
    location, calendar_file = _last_known(config, student)
    needles = Needles([student, name or ""])
    state_dir = config.state_path.parent
    if remove_from_sheet:
        from sheetsync.privacy.unmark import remove_ours
        try:
            backend = backend or _open(config)
            report.done.append(remove_ours(backend, student, name or student,
                                           str(config.resolve(sheet)) if sheet and config.backend["kind"] == "xlsx"
                                           else sheet or location))
        except SheetsyncError as e:
            report.problems.append(f"their sheet: {e}")

    # the master first: on the xlsx backend rewriting it leaves a backup, removed below
    try:
        rows = _forget_in_master(config, needles, backend)
        report.done.append(f"master: {rows} row(s) removed")
    except (SheetsyncError, OSError) as e:
        report.problems.append(f"the master: {e}")
    if calendar_file and config.backend["kind"] == "google":
        try:
            backend = backend or _open(config)
            backend.delete_file(calendar_file)
            report.done.append(f"calendar on Google Drive: file {calendar_file} deleted")
        except SheetsyncError as e:
            report.problems.append(f"the calendar's Drive file {calendar_file}: {e}")

    for path in _state_files(config):
        try:
            removed = scrub_database(path, student, needles)
            what = ", ".join(f"{n} {table}" for table, n in removed.items() if n) or "nothing held"
            report.done.append(f"{path.relative_to(state_dir)}: {what}")
        except sqlite3.DatabaseError as e:      # a damaged store set aside: it cannot be cleaned
            path.unlink()
            report.done.append(f"{path.relative_to(state_dir)}: deleted (unreadable, {e})")

    backups = state_dir / "backups"
    stems = {student} | ({Path(location).stem} if location and config.backend["kind"] == "xlsx" else set())
    gone = 0
    for stem in stems:
        for copy in sorted((backups / stem).glob("*")) if (backups / stem).is_dir() else []:
            copy.unlink()
            gone += 1
        if (backups / stem).is_dir():
            (backups / stem).rmdir()
    holding = [p for p in sorted(backups.glob("*/*.xlsx")) if _xlsx_holds(p, needles)] if backups.is_dir() else []
    for copy in holding:                   # the master's backups, mostly
        copy.unlink()
    report.done.append(f"backups: {gone} of their workbook, {len(holding)} other(s) that named them")

    reports = state_dir / "reports"
    changed = 0
    for path in sorted(reports.glob("run-*.json")) if reports.is_dir() else []:
        text = path.read_text(encoding="utf-8")
        if needles.found_in(text):
            data = scrub_report(json.loads(text), student, needles)
            st = path.stat()
            write_private(path, json.dumps(data, ensure_ascii=False, indent=2, default=str))
            os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))     # its age decides its retention
            changed += 1
    report.done.append(f"reports: their entries removed from {changed} run report(s)")

    files = [calendar_folder(config) / f"{student}.ics"]
    if config.digest["eml_folder"]:
        files += sorted(config.resolve(config.digest["eml_folder"]).glob(f"*/{student}.eml"))
    deleted = [f for f in files if f.exists()]
    for f in deleted:
        f.unlink()
    report.done.append(f"calendar and digest files: {len(deleted)} deleted")
    return report


def _open(config: Config):
    from sheetsync.backends import open_backend
    return open_backend(config)


def _xlsx_holds(path: Path, needles: Needles) -> bool:
    """Whether any part of a workbook names the student (its XML, shared strings...)."""
    try:
        with zipfile.ZipFile(path) as z:
            return any(needles.found_in(z.read(m).decode("utf-8", "replace")) for m in z.namelist())
    except (zipfile.BadZipFile, OSError):
        return False


def _scrub_rows(rows: list[list], needles: Needles) -> tuple[list[list], int]:
    """A tab's rows without those that name the student in a cell of their own (their
    row); a name inside a longer text (a drawn order, a list) is replaced instead."""
    kept, dropped = [], 0
    for row in rows:
        texts = ["" if v is None else str(v) for v in row]
        if any(t.strip() in needles.words for t in texts):
            dropped += 1
            continue
        kept.append([needles.erase(v) if isinstance(v, str) else v for v in row])
    return kept, dropped


def _forget_in_master(config: Config, needles: Needles, backend) -> int:
    if config.backend["kind"] == "xlsx":
        return _forget_in_xlsx_master(config.resolve(config.master["path"]), needles)
    if not config.master.get("sheet"):
        return 0
    backend = backend or _open(config)
    master = backend.read_master()
    if master is None:
        return 0
    tabs, dropped = {}, 0
    for title, tab in master.tabs.items():
        rows, n = _scrub_rows(tab.rows, needles)
        width = max((len(r) for r in tab.rows), default=0)
        # rows that moved up leave the old last rows empty, cleared by the write
        tabs[title] = rows + [[""] * width for _ in range(n)]
        dropped += n
    if dropped or any(tabs[t] != master.tabs[t].rows for t in tabs):
        backend.write_master(tabs)
    return dropped


def _forget_in_xlsx_master(path: Path, needles: Needles) -> int:
    """The master workbook with the student's rows gone (openpyxl drops its charts: the
    next night draws them again)."""
    if not path.exists():
        return 0
    from openpyxl import load_workbook
    book = load_workbook(path)
    dropped = 0
    for ws in book.worksheets:
        for r in range(ws.max_row, 0, -1):
            cells = list(ws[r])
            if any(c.value is not None and str(c.value).strip() in needles.words for c in cells):
                ws.delete_rows(r)
                dropped += 1
                continue
            for c in cells:
                if isinstance(c.value, str) and needles.found_in(c.value):
                    c.value = needles.erase(c.value)
    tmp = path.with_name(f".{path.name}.tmp")
    create_private(tmp)
    book.save(tmp)
    os.replace(tmp, path)
    return dropped
