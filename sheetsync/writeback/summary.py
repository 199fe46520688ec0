"""The summary tab: a student's numbers, next steps and standing, in their language.

The figures are computed once over the whole cohort (`SummaryData`), one grouped pass per
figure, and each student's tab is then assembled from plain values: at 1,000 students,
ten small pandas operations per student would cost more than all the rules together.
It never names another student: lottery losses show the company only.
"""
from __future__ import annotations

import datetime as dt

import pandas as pd

from sheetsync.engine.categories import focus_group
from sheetsync.engine.context import Calendar
from sheetsync.engine.leads import ANSWERED, COUNTS, contacted, counts_per_student, processed
from sheetsync.i18n import t

SPRINT_FOCUS = {
    "sv": {1: "research: företag med långa rekryteringsprocesser", 2: "kontakta: varma leads och"
           " långa processer", 3: "research: små och medelstora företag", 4: "kontakta i högre"
           " takt", 5: "sista push; personalen börjar placera"},
    "en": {1: "research: companies with long hiring processes", 2: "reach out: warm leads and long"
           " processes", 3: "research: small and mid-size companies", 4: "reach out at a higher"
           " pace", 5: "last push; staff start placing students"},
}
WEEK_ROWS = 30


class SummaryData:
    """Every student's summary figures, from one pass over the cohort."""

    def __init__(self, cohort: pd.DataFrame, steps: pd.Series, now: dt.date):
        c = cohort
        done = processed(c)
        group = focus_group(c["category"])
        self._figures = counts_per_student(c, long=group == "long", small=group == "small")
        self._empty = {k: 0 for k in COUNTS + ("long", "small")}
        tried = c[c["channel"].notna() & contacted(c)]
        channels = (pd.DataFrame({"student": tried["student"], "channel": tried["channel"],
                                  "answered": tried["stage"].isin(ANSWERED)})
                    .groupby(["student", "channel"])["answered"].agg(["sum", "count"]))
        self._channels: dict[str, list[tuple[str, int, int]]] = {}
        for (student, channel), answered, count in zip(channels.index, channels["sum"], channels["count"]):
            self._channels.setdefault(student, []).append((channel, int(answered), int(count)))
        horizon = pd.Timestamp(now) + pd.Timedelta(days=7)
        due = c[c["follow_up"].notna() & (c["follow_up"] <= horizon) & ~done]
        due = due.assign(step=steps.loc[due.index]).sort_values(["student", "follow_up", "row"])
        self._week: dict[str, list[tuple[int, str, str, dt.date]]] = {}
        # one pass over plain lists: a group per student cost most of this class
        for student, *item in zip(due["student"].tolist(), due["row"].astype(int).tolist(),
                                  due["company"].tolist(), due["step"].tolist(),
                                  due["follow_up"].dt.date.tolist()):
            week = self._week.setdefault(student, [])
            if len(week) < WEEK_ROWS:
                week.append(tuple(item))

    def of(self, student: str) -> dict:
        return dict(self._figures.get(student, self._empty))

    def channels_of(self, student: str) -> list[tuple[str, int, int]]:
        return self._channels.get(student, [])

    def week_of(self, student: str) -> list[tuple[int, str, str, dt.date]]:
        """(row, company, next step, date) of the leads due within a week, soonest first."""
        return self._week.get(student, [])


def build_summary(data: SummaryData, student: str, student_messages: list[str],
                  lost_companies: list[str], *, now: dt.date, calendar: Calendar,
                  language: str, insight=None) -> list[list]:
    L = language
    f = data.of(student)
    sprint = calendar.sprint(now)
    rows: list[list] = [[t("sum.title", L)],
                        [t("sum.synced", L), now.isoformat()],
                        [t("sum.sprint", L), f"{sprint}: {SPRINT_FOCUS[L][sprint]}"],
                        [],
                        [t("sum.numbers", L)],
                        [t("sum.leads", L), f["leads"]],
                        [t("sum.quality", L, target=calendar.quality_target), f["quality"],
                         progress_bar(f["quality"], calendar.quality_target)],
                        [t("sum.warm", L), f["warm"]],
                        [t("sum.contacted", L), f["contacted"]],
                        [t("sum.processed", L), f["processed"]],
                        [t("sum.dialogue", L), f["dialogue"]],
                        [t("sum.meetings", L), f["meetings"]],
                        [t("sum.offers", L), f["offers"]],
                        [t("sum.lia", L), t("yes" if f["lia"] else "no", L)],
                        [],
                        [t("sum.time", L)],
                        [t("sum.soft", L, date=calendar.soft_deadline.isoformat()),
                         time_left((calendar.soft_deadline - now).days, L)],
                        [t("sum.hard", L, date=calendar.hard_deadline.isoformat()),
                         time_left((calendar.hard_deadline - now).days, L)],
                        [t("sum.mix", L), f"{f['long']} / {f['small']} / {f['leads'] - f['long'] - f['small']}"],
                        []]
    if student_messages:
        rows += [[t("sum.notes", L)]] + [["", m] for m in student_messages] + [[]]
    channels = data.channels_of(student)
    if channels:
        rows += [[t("sum.channels", L)]] + [["", ch, f"{a}/{n}", f"{round(100 * a / n)}%"]
                                            for ch, a, n in channels] + [[]]
    said = insight.sentence(L) if insight is not None else ""
    if said:                  # the cohort's figures, never a classmate's (engine.insight)
        rows += [[t("sum.insight", L)], ["", said], ["", insight.tip(L)], []]
    if lost_companies:
        rows += [[t("sum.lost", L)]] + [["", c] for c in sorted(set(lost_companies))] + [[]]
    rows += [[t("sum.week", L)], [t("sum.row", L), t("sum.company", L), t("sum.step", L)]]
    rows += [[r, c if isinstance(c, str) else "", s] for r, c, s, _ in data.week_of(student)]
    return rows


BAR_WIDTH = 20


def progress_bar(count: int, target: int) -> str:
    """'▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓░░░░░ 78%': plain text, no formula, readable in any program."""
    share = min(count, target) / target if target else 1.0
    filled = round(BAR_WIDTH * share)
    return "▓" * filled + "░" * (BAR_WIDTH - filled) + f" {round(100 * count / target) if target else 100}%"


def time_left(days: int, L: str) -> str:
    """Whole weeks until the last fortnight, then days. A figure that changed every day
    would cost every student's sheet a write every night (see docs/scaling.md)."""
    if days < 0:
        return t("time.passed", L)
    if days > 14:
        return t("time.weeks", L, n=days // 7)
    return t("time.days", L, n=days)
