"""Colours on the owned columns, as students read them before text (Pipedrive's habit):
red for an overdue follow-up, amber for one due within three days, grey for a lead
that is processed. Conditional formats on owned columns only, never on student cells.
"""
from __future__ import annotations

from sheetsync.a1 import column_letter
from sheetsync.i18n import t
from sheetsync.writeback.plan import FormatRule

RED = (0.96, 0.80, 0.80)
AMBER = (1.0, 0.90, 0.70)
GREY = (0.90, 0.90, 0.90)
SOON_DAYS = 3


def owned_formats(tab: str, cols: dict[str, int], first_row: int, language: str) -> list[FormatRule]:
    state = f"${column_letter(cols['state'])}{first_row}"
    step = f"${column_letter(cols['next'])}{first_row}"
    first, last = min(cols.values()), max(cols.values())
    overdue = t("next.overdue", language).split(",")[0]
    follow = t("next.follow_up", language)
    return [
        FormatRule(tab, "overdue", f'=LEFT({step},{len(overdue)})="{overdue}"', first_row, first, last, RED),
        FormatRule(tab, "soon", f'=AND(LEFT({step},{len(follow)})="{follow}",'
                                f"DATEVALUE(RIGHT({step},10))-TODAY()<={SOON_DAYS})",
                   first_row, first, last, AMBER),
        FormatRule(tab, "processed", f'={state}="{t("state.processed", language)}"', first_row,
                   first, last, GREY),
    ]
