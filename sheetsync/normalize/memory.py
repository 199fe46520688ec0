"""Mapping memory: how a student's sheet was understood last night carries over a rename.

A column that was mapped last night and has no column tonight (a header renamed from
"Arbetsgivare" to "Vem", say) is looked for by its content: tonight's column holding
mostly the same values is read as that field again, and the report says why. When none
does and the lost field is the company (no company, no leads), the night must not publish
the collapse: the caller keeps last night's reading and tells the student which header
disappeared.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sheetsync.normalize.text import fold

SAME_CONTENT = 0.6        # share of values two columns must have in common to be one
ESSENTIAL = ("company",)  # without it a sheet has no leads at all


@dataclass
class Carried:
    overrides: dict[str, str] = field(default_factory=dict)    # tonight's header -> field
    lines: list[str] = field(default_factory=list)             # why, for the report
    lost: list[tuple[str, str]] = field(default_factory=list)  # (field, last night's header)
    previous: object = None                                    # last night's Reading

    @property
    def essential_lost(self) -> list[tuple[str, str]]:
        return [(f, h) for f, h in self.lost if f in ESSENTIAL]


def _values(rows: list[list], header_row: int, index: int) -> set[str]:
    return {fold(str(r[index])).strip() for r in rows[header_row + 1:]
            if index < len(r) and str(r[index]).strip()}


def _overlap(a: set[str], b: set[str]) -> float:
    return len(a & b) / min(len(a), len(b)) if a and b else 0.0


def carry_over(previous, previous_rows: list[list], tonight, rows: list[list]) -> Carried:
    """Compare last night's reading (Normalized, with its tab's rows) with tonight's."""
    out = Carried()
    if previous is None or previous.header_row is None or tonight.header_row is None:
        return out
    now_fields = {c.field: c for c in tonight.columns if c.field}
    old_values = {c.field: _values(previous_rows, previous.header_row, c.index)
                  for c in previous.columns if c.field}
    new_values = {c.index: _values(rows, tonight.header_row, c.index) for c in tonight.columns}

    def free(c) -> bool:          # tonight's column is not still doing last night's job
        if c.field is None or c.field not in old_values:
            return True
        return _overlap(old_values[c.field], new_values[c.index]) < SAME_CONTENT
    for old in previous.columns:
        if not old.field or old.field in now_fields or old.field in out.overrides.values():
            continue
        best, best_score = None, 0.0
        for c in tonight.columns:
            if c.header in out.overrides or not free(c):
                continue
            score = _overlap(old_values[old.field], new_values[c.index]) + 0.01 * (c.index == old.index)
            if score > best_score:
                best, best_score = c, score
        if best is not None and best_score >= SAME_CONTENT:
            out.overrides[best.header] = old.field
            out.lines.append(f"  {best.header!r:<32} -> {old.field}: last night's {old.header!r},"
                             f" same values ({min(best_score, 1.0):.0%})")
        else:
            out.lost.append((old.field, old.header))
    return out
