"""Taking one student out of what the service keeps: its SQLite files (the store and its
copies) and its JSON reports. The words of other records that name the student (a
drawn order, a run's error line) keep their place with ERASED instead, so the lottery
stays as drawn for everyone else.

SQLite leaves a deleted row's bytes in free pages and in the WAL: `secure_delete`
zeroes them as they are freed, VACUUM rewrites the file, and a TRUNCATE checkpoint
empties the WAL, so no byte of the student is left in the file.
"""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

ERASED = "(erased)"      # never a student id: a drawn place that no one holds any more


class Needles:
    """What names the student in free text: their id and name (as whole words)."""

    def __init__(self, words: list[str]):
        words = sorted({w for w in words if w and w.strip()}, key=len, reverse=True)
        self.words = words
        self._pattern = re.compile("|".join(rf"(?<!\w){re.escape(w)}(?!\w)" for w in words)) if words else None

    def found_in(self, text: str) -> bool:
        return bool(self._pattern and self._pattern.search(text))

    def erase(self, text: str) -> str:
        return self._pattern.sub(ERASED, text) if self._pattern else text


def scrub_value(value, needles: Needles):
    """Any JSON value with the student's words replaced in every string."""
    if isinstance(value, str):
        return needles.erase(value)
    if isinstance(value, list):
        return [scrub_value(v, needles) for v in value]
    if isinstance(value, dict):
        return {k: scrub_value(v, needles) for k, v in value.items()}
    return value


def scrub_report(report: dict, student: str, needles: Needles) -> dict:
    """A run report without the student's entry, and without their words elsewhere."""
    if isinstance(report.get("students"), list):
        report = {**report, "students": [s for s in report["students"]
                                         if not (isinstance(s, dict) and s.get("id") == student)]}
    return scrub_value(report, needles)


def scrub_database(path: Path, student: str, needles: Needles) -> dict[str, int]:
    """The student out of one state store (or a copy of it); what was removed."""
    db = sqlite3.connect(path, timeout=30)
    try:
        db.execute("PRAGMA secure_delete = ON")
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        removed = {}
        with db:
            for table in ("snapshots", "cell_writes", "digests", "digest_refusals", "calendar_events"):
                if table in tables:
                    removed[table] = db.execute(f"DELETE FROM {table} WHERE student = ?", (student,)).rowcount
            if "settings" in tables:
                removed["settings"] = db.execute("DELETE FROM settings WHERE name = ?",
                                                 (f"calendar.{student}",)).rowcount
                for name, value in db.execute("SELECT name, value FROM settings").fetchall():
                    if needles.found_in(value):
                        db.execute("UPDATE settings SET value = ? WHERE name = ?", (needles.erase(value), name))
            if "draws" in tables:
                removed["draws"] = _scrub_draws(db, student)
            if "runs" in tables:
                removed["runs"] = _scrub_runs(db, student, needles)
        db.execute("VACUUM")
        if db.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return removed
    finally:
        db.close()


def _scrub_draws(db, student: str) -> int:
    """Their place in each drawn order becomes ERASED: the order of the others and the
    rounds (each round's seed depends on how many were drawn before) stay as they were,
    and the company goes to the next in order, as if the student had dropped it."""
    changed = 0
    for key, round_, candidates, order in db.execute(
            "SELECT company_key, round, candidates, draw_order FROM draws").fetchall():
        cand, drawn = json.loads(candidates), json.loads(order)
        if student in cand or student in drawn:
            db.execute("UPDATE draws SET candidates = ?, draw_order = ? WHERE company_key = ? AND round = ?",
                       (json.dumps([ERASED if c == student else c for c in cand]),
                        json.dumps([ERASED if s == student else s for s in drawn]), key, round_))
            changed += 1
    return changed


def _scrub_runs(db, student: str, needles: Needles) -> int:
    changed = 0
    for run_id, report, summary in db.execute("SELECT id, report, summary FROM runs").fetchall():
        new = [json.dumps(scrub_report(json.loads(text), student, needles), default=str) if text else text
               for text in (report, summary)]
        if new != [report, summary]:
            db.execute("UPDATE runs SET report = ?, summary = ? WHERE id = ?", (*new, run_id))
            changed += 1
    return changed


def student_name(path: Path, student: str) -> str | None:
    """The student's name as the last run that had them reported it."""
    db = sqlite3.connect(path, timeout=30)
    try:
        for (report,) in db.execute("SELECT report FROM runs WHERE report IS NOT NULL ORDER BY id DESC"):
            for s in json.loads(report).get("students", []):
                if s.get("id") == student and s.get("name"):
                    return s["name"]
        return None
    finally:
        db.close()
