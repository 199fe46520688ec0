"""The summary tab: a student's numbers, next steps and standing, in their language.

The figures are computed once over the whole cohort (`SummaryData`), one grouped pass per
figure, and each student's tab is then assembled from plain values: at 1,000 students,
ten small pandas operations per student would cost more than all the rules together.
It never names another student: lottery losses show the company only.
"""
from __future__ import annotations

import datetime as dt
import textwrap
from dataclasses import dataclass, field

import pandas as pd

from sheetsync.engine.categories import focus_group
from sheetsync.engine.context import Calendar
from sheetsync.engine.leads import ANSWERED, COUNTS, contacted, counts_per_student, processed
from sheetsync.i18n import TEXT, t

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
        due = due.assign(step=steps.loc[due.index])
        due = due[due["step"] != ""].sort_values(["student", "follow_up", "row"])   # "": nothing to do
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


class Heading(str):
    """A section heading of the summary tab: written as text, shown bold."""


@dataclass
class ToDo:
    """What a student is to do, in words, from their own judgement (jobs.night.write)."""
    lost: list[str] = field(default_factory=list)          # companies lost in the draw
    duplicates: list[str] = field(default_factory=list)    # "rad 5 och rad 3 (DD02)"
    messages: list[str] = field(default_factory=list)      # about the whole CRM, code last
    legend: list[tuple[str, str]] = field(default_factory=list)    # (code, full explanation)


def build_summary(data: SummaryData, student: str, todo: ToDo, *, now: dt.date, calendar: Calendar,
                  language: str, insight=None) -> list[list]:
    """The tab, top to bottom: the week's to-do list (overdue follow-ups, companies lost in
    the draw to replace, possible duplicates, what the whole CRM lacks), then the numbers
    and the time left, the cohort's figures, and a legend of the flags. A secured LIA ends
    the hunt's advice; an empty CRM is told first."""
    L = language
    f = data.of(student)
    sprint = calendar.sprint(now)
    rows: list[list] = [[t("sum.title", L)],
                        [t("sum.synced", L), now.isoformat()],
                        [t("sum.sprint", L), f"{sprint}: {SPRINT_FOCUS[L][sprint]}"],
                        [],
                        [Heading(t("sum.todo", L))]]
    todo_rows: list[list] = []
    if f["lia"]:
        todo_rows.append([t("todo.lia", L)])
    elif not f["leads"]:
        late = now > calendar.research_deadline
        todo_rows.append([t("todo.empty_late" if late else "todo.empty", L, target=calendar.quality_target,
                            date=short_date(calendar.research_deadline))])
    if not f["lia"]:
        week = data.week_of(student)
        if week:
            todo_rows.append([t("todo.week", L)])
            todo_rows += [["   " + (c if isinstance(c, str) else ""), step] for _, c, step, _ in week]
        if todo.lost:
            todo_rows.append([t("todo.lost", L)])
            todo_rows += [["   " + c] for c in sorted(set(todo.lost))]
    if todo.duplicates:
        todo_rows.append([t("todo.duplicates", L)])
        todo_rows += [["   " + d] for d in todo.duplicates]
    todo_rows += [[m] for m in todo.messages]
    rows += todo_rows or [[t("todo.nothing", L)]]
    rows += [[],
             [Heading(t("sum.numbers", L))],
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
             [t("sum.mix_long", L), f["long"]],
             [t("sum.mix_small", L), f["small"]],
             [t("sum.mix_unknown", L), f["leads"] - f["long"] - f["small"]],
             [],
             [Heading(t("sum.time", L))],
             [t("sum.soft", L, date=calendar.soft_deadline.isoformat()),
              time_left((calendar.soft_deadline - now).days, L)],
             [t("sum.hard", L, date=calendar.hard_deadline.isoformat()),
              time_left((calendar.hard_deadline - now).days, L)],
             []]
    channels = data.channels_of(student)
    if channels:
        rows += [[Heading(t("sum.channels", L))]] + [[t(f"channel.{ch}", L) if f"channel.{ch}" in TEXT else ch,
                                                      f"{a}/{n}", f"{round(100 * a / n)} %"]
                                                     for ch, a, n in channels] + [[]]
    said = insight.sentence(L) if insight is not None else ""
    if said:                  # the cohort's figures, never a classmate's (engine.insight)
        rows += [[Heading(t("sum.insight", L))], [said]]
        if not f["lia"]:
            rows += [[insight.tip(L)]]
        rows += [[]]
    if todo.legend:           # wrapped by hand: a row of text runs over the empty cells beside it
        rows += [[Heading(t("sum.legend", L))]]
        for code, text in todo.legend:
            rows += [[line] for line in textwrap.wrap(f"{code}: {text}", LINE, subsequent_indent="      ")]
    return rows


LINE = 90          # characters of a line that runs across the summary's three columns


def short_date(day: dt.date) -> str:
    return f"{day.day}/{day.month}"


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
