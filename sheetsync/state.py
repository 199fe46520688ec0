"""The state store: an embedded SQLite file (WAL mode, one transaction per change).

Holds the runs, the cap lottery's draws (made once, kept), every write to a student's
own cells with its old value (for `sheetsync undo`), and each sheet's last snapshot with
how it was understood (so an unchanged sheet is neither read nor normalised again).
The understanding is a pickle: the store is the service's own file, as trusted as its
config; a pickle from another normaliser version is ignored by its key, not loaded.
"""
from __future__ import annotations

import datetime as dt
import errno
import json
import os
import pickle
import sqlite3
import zlib
from pathlib import Path

from sheetsync.errors import SheetsyncError
from sheetsync.privacy.files import copy_private, new_sqlite_file, private_dir

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT NOT NULL, finished TEXT,
    judged_on TEXT NOT NULL, dry_run INTEGER NOT NULL, report TEXT, summary TEXT);
CREATE TABLE IF NOT EXISTS draws (
    company_key TEXT NOT NULL, round INTEGER NOT NULL, seed TEXT NOT NULL,
    candidates TEXT NOT NULL, draw_order TEXT NOT NULL, run_id INTEGER,
    PRIMARY KEY (company_key, round));
CREATE TABLE IF NOT EXISTS snapshots (
    student TEXT PRIMARY KEY, version TEXT NOT NULL, taken_on TEXT NOT NULL, data BLOB NOT NULL,
    reading_key TEXT, reading BLOB);
CREATE TABLE IF NOT EXISTS undone (
    run_id INTEGER PRIMARY KEY, at TEXT NOT NULL, restored INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS cell_writes (
    run_id INTEGER NOT NULL, student TEXT NOT NULL, tab TEXT NOT NULL, cell TEXT NOT NULL,
    old_value TEXT, new_value TEXT);
CREATE TABLE IF NOT EXISTS settings (
    name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS digests (
    student TEXT NOT NULL, week TEXT NOT NULL, how TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (student, week, how));
CREATE TABLE IF NOT EXISTS digest_refusals (
    student TEXT NOT NULL, week TEXT NOT NULL, address TEXT NOT NULL, code INTEGER NOT NULL,
    answer TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (student, week, address));
CREATE TABLE IF NOT EXISTS calendar_events (
    student TEXT NOT NULL, uid TEXT NOT NULL, sequence INTEGER NOT NULL, fingerprint TEXT NOT NULL,
    PRIMARY KEY (student, uid));
CREATE TABLE IF NOT EXISTS group_sheets (
    sheet_key TEXT PRIMARY KEY, first_used TEXT NOT NULL);
"""


KEEP_COPIES = 7             # consistent copies of the store, one per finished night


class StateError(SheetsyncError):
    """The state store cannot be used: its folder is not writable, or the disk is full."""

    def __init__(self, message: str, exit_code: int):
        super().__init__(message)
        self.exit_code = exit_code


EXIT_UNWRITABLE, EXIT_DISK_FULL = 3, 4


def disk_full(e: BaseException) -> bool:
    """No space left, as the OS or SQLite says it."""
    text = str(e).lower()
    return isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT) or \
        isinstance(e, sqlite3.OperationalError) and ("disk is full" in text or "disk full" in text)


def state_error(e: Exception, path: Path) -> StateError:
    if disk_full(e):
        return StateError(f"the disk holding the state store {path} is full; nothing was lost:"
                          " free some space and run again", EXIT_DISK_FULL)
    return StateError(f"the state folder {path.parent} is not writable ({e.__class__.__name__});"
                      " nothing was written: give the service write access and run again", EXIT_UNWRITABLE)


class StateStore:
    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.recovered: str | None = None      # what happened to a damaged store, for the report
        try:
            private_dir(self.path.parent)
            self._open()
        except sqlite3.DatabaseError as e:
            if _is_damage(e):
                self.recovered = self._restore(e)
            else:
                raise state_error(e, self.path) from None
        except OSError as e:
            raise state_error(e, self.path) from None

    @property
    def copies_dir(self) -> Path:
        return self.path.parent / "state-copies"

    def _open(self) -> None:
        # the night's writers may share it, one at a time (jobs.night.context.Night.one_at_a_time)
        self.db = sqlite3.connect(new_sqlite_file(self.path), timeout=30, check_same_thread=False)
        try:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.executescript(_SCHEMA)
            if self.db.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("database disk image is malformed (quick_check)")
            self._migrate()
        except Exception:
            self.db.close()
            raise

    def _restore(self, error: Exception) -> str:
        """Set the damaged file aside (renamed, never deleted) and open the newest good
        copy, or a new store when there is none; say which."""
        stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        os.replace(self.path, aside)
        for suffix in ("-wal", "-shm"):
            extra = self.path.with_name(self.path.name + suffix)
            if extra.exists():
                os.replace(extra, aside.with_name(aside.name + suffix))
        for copy in sorted(self.copies_dir.glob("state-*.db"), reverse=True):
            copy_private(copy, self.path)
            try:
                self._open()
                return (f"the state store {self.path} was damaged ({error}); it was set aside as"
                        f" {aside.name} and the copy {copy.name} restored")
            except sqlite3.DatabaseError:
                self.path.unlink()
        self._open()
        return (f"the state store {self.path} was damaged ({error}) and no good copy was found;"
                f" it was set aside as {aside.name} and a new store started; every sheet is read"
                " in full tonight. Bring the lottery's draws back from the master first:"
                " sheetsync state rebuild")

    def keep_copy(self, keep: int = KEEP_COPIES) -> Path | None:
        """A consistent copy of the store (SQLite's backup API), the last `keep` kept
        (`[retention] state_copies`)."""
        private_dir(self.copies_dir)
        stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
        target = self.copies_dir / f"state-{stamp}.db"
        dst = sqlite3.connect(new_sqlite_file(target))
        try:
            self.db.backup(dst)
        finally:
            dst.close()
        for old in sorted(self.copies_dir.glob("state-*.db"))[:-max(keep, 1)]:
            old.unlink()
        return target

    def _migrate(self) -> None:
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(runs)")}
        if "summary" not in columns:          # a state store from before summaries were kept
            with self.db:
                self.db.execute("ALTER TABLE runs ADD COLUMN summary TEXT")
        columns = {row[1] for row in self.db.execute("PRAGMA table_info(snapshots)")}
        if "reading" not in columns:          # ...and from before readings were kept
            with self.db:
                self.db.execute("ALTER TABLE snapshots ADD COLUMN reading_key TEXT")
                self.db.execute("ALTER TABLE snapshots ADD COLUMN reading BLOB")

    def __enter__(self) -> "StateStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def start_run(self, started: str, judged_on: str, dry_run: bool) -> int:
        with self.db:
            cur = self.db.execute("INSERT INTO runs (started, judged_on, dry_run) VALUES (?,?,?)",
                                  (started, judged_on, int(dry_run)))
        return int(cur.lastrowid)

    def finish_run(self, run_id: int, finished: str, report: dict, summary: dict | None = None) -> None:
        with self.db:
            self.db.execute("UPDATE runs SET finished=?, report=?, summary=? WHERE id=?",
                            (finished, json.dumps(report, default=str),
                             json.dumps(summary or report, default=str), run_id))

    def runs(self, limit: int = 50) -> list[dict]:
        """The latest runs, newest first, each with its small summary (not its full report)."""
        rows = self.db.execute("SELECT id, started, finished, judged_on, dry_run, summary FROM runs"
                               " ORDER BY id DESC LIMIT ?", (limit,)).fetchall()
        return [_run_row(r) for r in rows]

    def runs_judged_on(self, day: str) -> list[dict]:
        """Every run judged as of `day` (YYYY-MM-DD), newest first, as `runs()` gives them:
        all of them, however many `watch` made that day."""
        rows = self.db.execute("SELECT id, started, finished, judged_on, dry_run, summary FROM runs"
                               " WHERE judged_on = ? ORDER BY id DESC", (day,)).fetchall()
        return [_run_row(r) for r in rows]

    def report(self, run_id: int) -> dict | None:
        row = self.db.execute("SELECT report FROM runs WHERE id=?", (run_id,)).fetchone()
        return json.loads(row[0]) if row and row[0] else None

    def draws(self) -> dict[str, list[str]]:
        """company key -> the full drawn order, rounds concatenated."""
        out: dict[str, list[str]] = {}
        for key, order in self.db.execute(
                "SELECT company_key, draw_order FROM draws ORDER BY company_key, round"):
            out.setdefault(key, []).extend(json.loads(order))
        return out

    def save_draws(self, new: dict[str, dict], run_id: int | None) -> None:
        stored = self.draws()
        with self.db:
            for key, d in new.items():
                self.db.execute(
                    "INSERT INTO draws (company_key, round, seed, candidates, draw_order, run_id)"
                    " VALUES (?,?,?,?,?,?)",
                    (key, len(stored.get(key, [])), d["seed"], json.dumps(d["candidates"]),
                     json.dumps(d["order"]), run_id))

    def snapshot(self, student: str):
        """(version, date read, Workbook, kept reading) of the last snapshot kept for a
        student, or None. The kept reading is (key, pickled Reading) or None."""
        row = self.db.execute("SELECT version, taken_on, data, reading_key, reading FROM snapshots"
                              " WHERE student=?", (student,)).fetchone()
        if row is None:
            return None
        from sheetsync.workbook import Workbook
        kept = (row[3], row[4]) if row[4] is not None else None
        return row[0], row[1], Workbook.from_json(json.loads(zlib.decompress(row[2])), row[0]), kept

    def snapshot_version(self, student: str) -> str | None:
        """The version of the student's last snapshot, without loading the workbook."""
        row = self.db.execute("SELECT version FROM snapshots WHERE student=?", (student,)).fetchone()
        return row[0] if row else None

    def save_snapshot(self, student: str, version: str, taken_on: str, workbook,
                      reading: tuple[str, object] | None = None) -> None:
        """`reading`: (key, Reading) of how this very workbook was understood, if known."""
        data = zlib.compress(json.dumps(workbook.to_json(), ensure_ascii=False).encode(), 6)
        key, blob = (reading[0], zlib.compress(pickle.dumps(reading[1], pickle.HIGHEST_PROTOCOL), 1)) \
            if reading else (None, None)
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO snapshots (student, version, taken_on, data,"
                            " reading_key, reading) VALUES (?,?,?,?,?,?)",
                            (student, version, taken_on, data, key, blob))

    def setting(self, name: str) -> str | None:
        """A value the service keeps between runs (`watch`'s changes token)."""
        row = self.db.execute("SELECT value FROM settings WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def set_setting(self, name: str, value: str) -> None:
        self.set_settings({name: value})

    def set_settings(self, values: dict[str, str]) -> None:
        """Several settings in one transaction: all of them kept, or none."""
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO settings VALUES (?, ?)", list(values.items()))

    def digest_sent(self, student: str, week: str, how: str) -> bool:
        return self.db.execute("SELECT 1 FROM digests WHERE student = ? AND week = ? AND how = ?",
                               (student, week, how)).fetchone() is not None

    def mark_digest(self, student: str, week: str, how: str, at: str) -> None:
        """Recorded as each one goes: a restart mid-way sends only the rest."""
        with self.db:
            self.db.execute("INSERT OR IGNORE INTO digests VALUES (?, ?, ?, ?)", (student, week, how, at))

    def digest_refused(self, student: str, week: str, address: str) -> bool:
        """The SMTP server refused this address for this student this week: not tried again
        before next week."""
        return self.db.execute("SELECT 1 FROM digest_refusals WHERE student = ? AND week = ? AND address = ?",
                               (student, week, address)).fetchone() is not None

    def mark_digest_refused(self, student: str, week: str, address: str, code: int, answer: str,
                            at: str) -> None:
        """The server's answer (code and text) kept with the refusal."""
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO digest_refusals VALUES (?, ?, ?, ?, ?, ?)",
                            (student, week, address, code, answer, at))

    def digest_refusals(self, week: str) -> list[dict]:
        rows = self.db.execute("SELECT student, address, code, answer, at FROM digest_refusals"
                               " WHERE week = ? ORDER BY student", (week,)).fetchall()
        return [{"student": r[0], "address": r[1], "code": r[2], "answer": r[3], "at": r[4]} for r in rows]

    def calendar_events(self, student: str) -> dict[str, tuple[int, str]]:
        """uid -> (SEQUENCE, fingerprint of the date and summary it was last given with)."""
        return {r[0]: (r[1], r[2]) for r in self.db.execute(
            "SELECT uid, sequence, fingerprint FROM calendar_events WHERE student = ?", (student,))}

    def save_calendar_events(self, student: str, events: dict[str, tuple[int, str]]) -> None:
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO calendar_events VALUES (?, ?, ?, ?)",
                                [(student, uid, seq, fp) for uid, (seq, fp) in events.items()])

    def add_group_sheet(self, key: str, at: str) -> None:
        """A career group's sheet (`distribute --group`): never a student's in the nightly roster."""
        with self.db:
            self.db.execute("INSERT OR IGNORE INTO group_sheets VALUES (?, ?)", (key, at))

    def group_sheets(self) -> set[str]:
        return {row[0] for row in self.db.execute("SELECT sheet_key FROM group_sheets")}

    def run_exists(self, run_id: int) -> bool:
        return self.db.execute("SELECT 1 FROM runs WHERE id=?", (run_id,)).fetchone() is not None

    def undone_at(self, run_id: int) -> str | None:
        """When `sheetsync undo` put this run's cells back, or None."""
        row = self.db.execute("SELECT at FROM undone WHERE run_id=?", (run_id,)).fetchone()
        return row[0] if row else None

    def mark_undone(self, run_id: int, at: str, restored: int) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO undone (run_id, at, restored) VALUES (?,?,?)",
                            (run_id, at, restored))

    def cell_writes(self, run_id: int) -> list[dict]:
        rows = self.db.execute("SELECT student, tab, cell, old_value, new_value FROM cell_writes"
                               " WHERE run_id=? ORDER BY rowid", (run_id,)).fetchall()
        return [{"student": r[0], "tab": r[1], "cell": r[2], "old": r[3], "new": r[4]} for r in rows]

    def log_cell_writes(self, run_id: int, student: str, rows: list[tuple[str, str, str, str]]) -> None:
        with self.db:
            self.db.executemany(
                "INSERT INTO cell_writes (run_id, student, tab, cell, old_value, new_value)"
                " VALUES (?,?,?,?,?,?)", [(run_id, student, *r) for r in rows])


def _run_row(r: tuple) -> dict:
    return {"id": r[0], "started": r[1], "finished": r[2], "judged_on": r[3],
            "dry_run": bool(r[4]), "report": json.loads(r[5]) if r[5] else None}


def _is_damage(e: sqlite3.DatabaseError) -> bool:
    text = str(e).lower()
    return any(w in text for w in ("not a database", "malformed", "file is encrypted", "corrupt"))


def load_reading(kept: tuple[str, bytes] | None, key: str):
    """The kept Reading if it was made under `key` (same normaliser, year, settings), else None."""
    if kept is None or kept[0] != key:
        return None
    try:
        return pickle.loads(zlib.decompress(kept[1]))
    except Exception:           # a pickle from an older pandas, say: normalise again
        return None
