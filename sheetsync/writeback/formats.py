"""Colours on the owned columns, as students read them before text (Pipedrive's habit):
red for an overdue follow-up, amber for one due within three days, grey for a lead
that is processed, green for the LIA: each from the state and next step the night wrote. Conditional formats on owned columns only, never on student cells.
"""
from __future__ import annotations

from sheetsync.a1 import column_letter
from sheetsync.i18n import t
from sheetsync.writeback.plan import ColumnLook, FormatRule

RED = (0.96, 0.80, 0.80)
AMBER = (1.0, 0.90, 0.70)
GREY = (0.90, 0.90, 0.90)
GREEN = (0.80, 0.92, 0.80)
WIDTHS = {"flags": (24, 64), "state": (12, 20), "next": (20, 44)}    # (least, most) characters
# The rules compare with our words in the cohort's language, and have changed before (the
# amber of round 3 once came from the viewer's TODAY()): a mark on the flags column says
# which rules a sheet has, and a sheet whose mark is older, or of another language, gets
# them laid again, its old rules on our columns taken away first.
LOOK_VERSION = 3


def look_mark(language: str) -> str:
    """The mark's kind for tonight's rules (a defined name's characters on xlsx)."""
    return f"look{LOOK_VERSION}_{language}"


def is_look_mark(kind: str) -> bool:
    return kind.startswith("look")


def owned_formats(tab: str, cols: dict[str, int], first_row: int, language: str) -> list[FormatRule]:
    state = f"${column_letter(cols['state'])}{first_row}"
    step = f"${column_letter(cols['next'])}{first_row}"
    first, last = min(cols.values()), max(cols.values())
    # the night's judgement, as written in the next step, decides the colour: never the
    # viewer's clock (a TODAY() rule turned every past follow-up amber, whatever we judged)
    overdue = t("next.overdue", language).split(",")[0]
    soon = t("next.soon", language)
    return [
        FormatRule(tab, "overdue", f'=LEFT({step},{len(overdue)})="{overdue}"', first_row, first, last, RED),
        FormatRule(tab, "soon", f'=LEFT({step},{len(soon)})="{soon}"', first_row, first, last, AMBER),
        FormatRule(tab, "processed", f'={state}="{t("state.processed", language)}"', first_row,
                   first, last, GREY),
        FormatRule(tab, "lia", f'={state}="{t("state.lia", language)}"', first_row, first, last, GREEN),
    ]


def owned_looks(tab: str, cols: dict[str, int], header_row: int, per_row: dict[str, dict[int, str]],
                headers: dict[str, str]) -> list[ColumnLook]:
    """Widths that fit the longest text (within bounds; the flags wrap beyond), the
    header bold and frozen. `header_row` is 0-based, -1 for a sheet without a header."""
    looks = []
    for kind, col in cols.items():
        least, most = WIDTHS[kind]
        longest = max([len(v) for v in per_row.get(kind, {}).values()] + [len(headers[kind])], default=0)
        looks.append(ColumnLook(tab, col, max(least, min(most, longest + 2)), kind != "state",
                                header_row + 1 if header_row >= 0 else None,
                                freeze=header_row >= 0 and kind == "flags"))
    return looks


def wrapped_lines(per_row: dict[str, dict[int, str]], cols: dict[str, int], writes) -> dict[int, int]:
    """Lines of wrapped text each written row of the owned columns needs, at the widest
    the owned columns get: a flag to a line, a longer one over two."""
    written = {w.row for w in writes}
    out: dict[int, int] = {}
    for kind in cols:
        width = WIDTHS[kind][1] - 2
        for row, text in per_row.get(kind, {}).items():
            if row in written and isinstance(text, str):
                n = sum(max(1, -(-len(line) // width)) for line in text.split("\n"))
                out[row] = max(out.get(row, 1), n)
    return out
