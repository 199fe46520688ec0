"""`sheetsync undo RUN_ID`: put back the student cells a cleanup run changed.

A cell is restored only if it still holds what the run wrote; a cell the student has
changed since is left alone and reported, because their newer value wins.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sheetsync.a1 import split_cell
from sheetsync.backends import open_backend
from sheetsync.config import Config
from sheetsync.errors import SheetsyncError
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
    backend = backend or open_backend(config)
    state = StateStore(config.state_path)
    try:
        logged = state.cell_writes(run_id)
    finally:
        state.close()
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
    return report
