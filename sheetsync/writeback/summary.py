"""The summary tab: a student's numbers, next steps and standing, in their language.

It never names another student: lottery losses show the company only.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from sheetsync.engine.categories import focus_group
from sheetsync.engine.context import Calendar
from sheetsync.engine.leads import IN_DIALOGUE, contacted, processed, quality_mask
from sheetsync.i18n import t

SPRINT_FOCUS = {
    "sv": {1: "research: företag med långa rekryteringsprocesser", 2: "kontakta: varma leads och"
           " långa processer", 3: "research: små och medelstora företag", 4: "kontakta i högre"
           " takt", 5: "sista push; personalen börjar placera"},
    "en": {1: "research: companies with long hiring processes", 2: "reach out: warm leads and long"
           " processes", 3: "research: small and mid-size companies", 4: "reach out at a higher"
           " pace", 5: "last push; staff start placing students"},
}


def build_summary(leads: pd.DataFrame, student_messages: list[str], next_steps: pd.Series,
                  lost_companies: list[str], *, now: dt.date, calendar: Calendar,
                  language: str) -> list[list]:
    L = language
    done = processed(leads)
    rows: list[list] = [[t("sum.title", L)],
                        [t("sum.synced", L), now.isoformat()],
                        [t("sum.sprint", L), f"{calendar.sprint(now)}: {SPRINT_FOCUS[L][calendar.sprint(now)]}"],
                        [],
                        [t("sum.leads", L), len(leads)],
                        [t("sum.quality", L, target=calendar.quality_target), int(quality_mask(leads).sum())],
                        [t("sum.warm", L), int((leads["temperature"] == "warm").sum())],
                        [t("sum.contacted", L), int(contacted(leads).sum())],
                        [t("sum.processed", L), int(done.sum())],
                        [t("sum.dialogue", L), int(leads["stage"].isin(IN_DIALOGUE).sum())],
                        [t("sum.meetings", L), int(leads["stage"].isin(("meeting", "offer")).sum())],
                        [t("sum.offers", L), int((leads["stage"] == "offer").sum())],
                        [t("sum.lia", L), t("yes" if (leads["stage"] == "yes").any() else "no", L)],
                        [t("sum.soft", L, date=calendar.soft_deadline.isoformat()),
                         (calendar.soft_deadline - now).days],
                        [t("sum.hard", L, date=calendar.hard_deadline.isoformat()),
                         (calendar.hard_deadline - now).days],
                        _mix(leads, L),
                        []]
    if student_messages:
        rows += [[t("sum.notes", L)]] + [["", m] for m in student_messages] + [[]]
    rows += _channel_rates(leads, L)
    if lost_companies:
        rows += [[t("sum.lost", L)]] + [["", c] for c in sorted(set(lost_companies))] + [[]]
    rows += _this_week(leads, next_steps, now, L)
    return rows


def _mix(leads: pd.DataFrame, L: str) -> list:
    """D3: how the leads split between the two research focuses, from their category."""
    groups = focus_group(leads["category"]).value_counts()
    unknown = len(leads) - int(groups.sum())
    return [t("sum.mix", L), f"{int(groups.get('long', 0))} / {int(groups.get('small', 0))} / {unknown}"]


def _channel_rates(leads: pd.DataFrame, L: str) -> list[list]:
    tried = leads[leads["channel"].notna() & contacted(leads)]
    if tried.empty:
        return []
    answered = tried["stage"].isin(("in_dialogue", "meeting", "offer", "yes", "no"))
    rates = answered.groupby(tried["channel"]).agg(["sum", "count"])
    rows = [[t("sum.channels", L)]]
    for channel, r in rates.iterrows():
        rows.append(["", channel, f"{int(r['sum'])}/{int(r['count'])}",
                     f"{round(100 * r['sum'] / r['count'])}%"])
    return rows + [[]]


def _this_week(leads: pd.DataFrame, next_steps: pd.Series, now: dt.date, L: str) -> list[list]:
    horizon = pd.Timestamp(now) + pd.Timedelta(days=7)
    due = leads[leads["follow_up"].notna() & (leads["follow_up"] <= horizon) & ~processed(leads)]
    due = due.sort_values(["follow_up", "row"])
    rows = [[t("sum.week", L)], [t("sum.row", L), t("sum.company", L), t("sum.step", L)]]
    for idx, lead in due.head(30).iterrows():
        rows.append([int(lead["row"]), lead["company"] or "", next_steps.get(idx, "")])
    return rows
