"""Keeping personal data only as long as it is needed (`[retention]`), pruned at the end
of every night and counted in its report.

- backups of a workbook (and of the master): the last `backups_keep`, none older than
  `backups_days`;
- run reports (the JSON beside the store, the full report in the store) after
  `reports_days`; the undo log after `undo_days` (`sheetsync undo` of such a run then
  says it is past retention);
- copies of the state store: the last `state_copies`;
- the calendar and .eml digest files of students no longer on the roster.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from pathlib import Path

from sheetsync.privacy.files import calendar_folder

log = logging.getLogger("sheetsync.retention")

UNDO_PRUNED = "retention.undo_pruned_through"     # setting: the newest run whose undo log was pruned


def _stamp_of(backup: Path) -> dt.datetime | None:
    """The time in a backup's name (`<stem>-20260512T023001123456.xlsx`), local time."""
    try:
        return dt.datetime.strptime(backup.stem.rsplit("-", 1)[1], "%Y%m%dT%H%M%S%f")
    except (IndexError, ValueError):
        return None


def prune_backups(folder: Path, keep: int, days: int, now: dt.datetime) -> int:
    """In every workbook's backup folder: the newest `keep`, none older than `days`."""
    if not folder.is_dir():
        return 0
    cutoff, removed = now - dt.timedelta(days=days), 0
    for book in sorted(p for p in folder.iterdir() if p.is_dir()):
        copies = sorted(book.glob("*.xlsx"))
        for i, copy in enumerate(copies):
            taken = _stamp_of(copy) or dt.datetime.fromtimestamp(copy.stat().st_mtime)
            if i < len(copies) - keep or taken < cutoff:
                copy.unlink()
                removed += 1
        if not any(book.iterdir()):
            book.rmdir()
    return removed


def _started(text: str | None) -> dt.datetime | None:
    try:
        started = dt.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    return started if started.tzinfo else started.replace(tzinfo=dt.timezone.utc)


def prune_reports(state, folder: Path, days: int, now: dt.datetime) -> int:
    """Reports older than `days`: the JSON files, and the full report kept in the store
    (the few figures of the master's Runs tab stay, without any student in them)."""
    cutoff, removed = now - dt.timedelta(days=days), 0
    if folder.is_dir():
        for path in sorted(folder.glob("run-*.json")):
            if dt.datetime.fromtimestamp(path.stat().st_mtime, dt.timezone.utc) < cutoff:
                path.unlink()
                removed += 1
    # runs are started in UTC ISO text, so the text comparison narrows; the parse decides
    old = [(run_id, summary) for run_id, started, summary in state.db.execute(
        "SELECT id, started, summary FROM runs WHERE report IS NOT NULL AND started < ?",
        (cutoff.isoformat(timespec="seconds"),))
        if (s := _started(started)) is not None and s < cutoff]
    with state.db:
        for run_id, summary in old:
            figures = json.loads(summary) if summary else {}
            figures.pop("students", None)
            state.db.execute("UPDATE runs SET report = NULL, summary = ? WHERE id = ?",
                             (json.dumps(figures), run_id))
    return removed + len(old)


def prune_undo_log(state, days: int, now: dt.datetime) -> int:
    """The undo log of runs older than `days`; the newest such run is remembered, so
    `sheetsync undo` can say the run is past retention."""
    cutoff = now - dt.timedelta(days=days)
    runs = [run_id for run_id, started in state.db.execute(
        "SELECT id, started FROM runs WHERE started < ? AND id IN (SELECT DISTINCT run_id FROM cell_writes)",
        (cutoff.isoformat(timespec="seconds"),))
        if (s := _started(started)) is not None and s < cutoff]
    if not runs:
        return 0
    with state.db:
        marks = ",".join("?" * len(runs))
        removed = state.db.execute(f"DELETE FROM cell_writes WHERE run_id IN ({marks})", runs).rowcount
    through = max(runs + [int(state.setting(UNDO_PRUNED) or 0)])
    state.set_setting(UNDO_PRUNED, str(through))
    return removed


def past_retention(state, run_id: int, days: int, now: dt.datetime) -> str | None:
    """Why a run's undo log is no longer kept, or None."""
    row = state.db.execute("SELECT started FROM runs WHERE id = ?", (run_id,)).fetchone()
    started = _started(row[0]) if row else None
    pruned = run_id <= int(state.setting(UNDO_PRUNED) or 0)
    if pruned or (started is not None and started < now - dt.timedelta(days=days)):
        return (f"run {run_id} ({row[0][:10] if row else 'unknown date'}) is past retention: its undo"
                f" log is kept {days} days ([retention] undo_days) and has been deleted;"
                " its cells can no longer be put back")
    return None


def prune_state_copies(folder: Path, keep: int) -> int:
    """Copies beyond the newest `keep - 1`: the night's own copy makes `keep`."""
    copies = sorted(folder.glob("state-*.db")) if folder.is_dir() else []
    old = copies[:max(len(copies) - (keep - 1), 0)]
    for copy in old:
        copy.unlink()
    return len(old)


def prune_leavers(config, roster_ids: set[str]) -> tuple[int, int]:
    """(calendars, digests): the .ics and .eml files of students no longer on the roster."""
    calendars = digests = 0
    folder = calendar_folder(config)
    if folder.is_dir():
        for path in folder.glob("*.ics"):
            if path.stem not in roster_ids:
                path.unlink()
                calendars += 1
    if config.digest["eml_folder"]:
        emls = config.resolve(config.digest["eml_folder"])
        for path in emls.glob("*/*.eml") if emls.is_dir() else ():
            if path.stem not in roster_ids:
                path.unlink()
                digests += 1
    return calendars, digests


def settings(config) -> dict[str, int]:
    from sheetsync.config import _SCHEMA
    return {**{k: default for k, (_, default) in _SCHEMA["retention"].items()}, **(config.retention or {})}


def prune(config, state, roster_ids: set[str] | None, now: dt.datetime | None = None) -> dict[str, int]:
    """Everything past retention, pruned; how many of each kind. `roster_ids` None: the
    roster could not be listed, so no leaver's files are touched."""
    keep = settings(config)
    now = now or dt.datetime.now(dt.timezone.utc)
    local_now = now.astimezone().replace(tzinfo=None)      # backups are named in local time
    state_dir = config.state_path.parent
    pruned = {"backups": prune_backups(state_dir / "backups", keep["backups_keep"], keep["backups_days"],
                                       local_now),
              "reports": prune_reports(state, state_dir / "reports", keep["reports_days"], now),
              "undo_log_cells": prune_undo_log(state, keep["undo_days"], now),
              "state_copies": prune_state_copies(state.copies_dir, keep["state_copies"])}
    if roster_ids is not None:
        pruned["calendars"], pruned["digests"] = prune_leavers(config, roster_ids)
    return pruned


def prune_after_night(night) -> dict[str, int]:
    """At the end of a night: never a failed night because of pruning (logged instead)."""
    from sheetsync.errors import SheetsyncError
    try:
        roster_ids = {s.id for s in night.backend.roster()}
    except SheetsyncError:
        roster_ids = None
    try:
        return prune(night.config, night.state, roster_ids)
    except OSError as e:
        log.warning("retention: could not prune everything tonight: %s", e)
        return {}
