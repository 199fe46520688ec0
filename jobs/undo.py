"""`sheetsync undo RUN_ID`: put back the student cells a cleanup run changed.

A cell is restored only if it still holds what the run wrote; a cell the student has
changed since is left alone and reported, because their newer value wins.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sheetsync.a1 import split_cell
from sheetsync.backends import open_backend
from sheetsync.config import Config
from sheetsync.errors import ConfigError, SheetsyncError
from sheetsync.privacy.retention import past_retention, settings as retention
from sheetsync.state import StateStore
from sheetsync.writeback.plan import CellWrite, WritePlan


@dataclass
class UndoReport:
    run_id: int
    restored: int = 0
    kept: list[str] = field(default_factory=list)       # "student tab!A1: changed since to 'x'"
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def table(self) -> str:
        lines = [f"run {self.run_id}: {self.restored} cell(s) restored"]
        lines += [f"  kept (changed since): {k}" for k in self.kept]
        lines += [f"  FAILED: {e}" for e in self.errors]
        return "\n".join(lines)


def undo_run(config: Config, run_id: int, *, backend=None) -> UndoReport:
    """Raises ConfigError for a run that does not exist or was undone already: the
    command line then says so and exits 2, instead of "0 cell(s) restored"."""
    state = StateStore(config.state_path)
    try:
        if not state.run_exists(run_id):
            last = state.runs(limit=1)
            raise ConfigError(f"no run {run_id} in {config.state_path}"
                              + (f" (the latest is run {last[0]['id']})" if last else " (no runs yet)"))
        past = past_retention(state, run_id, retention(config)["undo_days"],
                              dt.datetime.now(dt.timezone.utc))
        if past:
            raise ConfigError(past)
        if (at := state.undone_at(run_id)) is not None:
            raise ConfigError(f"run {run_id} was already undone ({at}); nothing to do")
        logged = state.cell_writes(run_id)
    finally:
        state.close()
    backend = backend or open_backend(config)
    report = UndoReport(run_id)
    by_student: dict[str, list[dict]] = {}
    for entry in logged:
        by_student.setdefault(entry["student"], []).append(entry)
    roster = {s.id: s for s in backend.roster()}
    for sid, entries in by_student.items():
        student = roster.get(sid)
        if student is None:
            report.errors.append(f"{sid}: no longer in the roster; {len(entries)} cell(s) not restored")
            continue
        try:
            workbook = backend.read(student)
            writes = []
            for e in reversed(entries):          # the last write to a cell is undone first
                row, col = split_cell(e["cell"])
                tab = workbook.tab(e["tab"])
                now = tab.value(row, col) if tab else None
                if now == e["new"]:
                    writes.append(CellWrite(e["tab"], row, col, e["old"], old=now))
                else:
                    report.kept.append(f"{sid} {e['tab']}!{e['cell']}: changed since to {now!r}")
            backend.write(student, WritePlan(sid, writes), workbook)
            report.restored += len(writes)
        except SheetsyncError as e:
            report.errors.append(f"{sid}: {e}")
    if report.ok:
        state = StateStore(config.state_path)
        try:
            state.mark_undone(run_id, dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                              report.restored)
        finally:
            state.close()
    return report
