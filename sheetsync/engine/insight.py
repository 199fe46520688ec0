"""What only the whole cohort can tell a student (D5): which channel gets answers, and
which kinds of company answer, this sprint and so far this year.

A lead counts as tried on the channel it was last reached on once it has been contacted,
and as answered once the company replied (a dialogue, a meeting, an offer, a Yes or a
No). Figures are of the cohort, never of one student: a channel or kind is shown only
when at least MIN_STUDENTS students and MIN_TRIED leads stand behind it, so no figure
can be traced to a classmate.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field

import pandas as pd

from sheetsync.engine.leads import ANSWERED, contacted
from sheetsync.i18n import t

MIN_STUDENTS = 3
MIN_TRIED = 10
CHANNELS = ("phone", "email", "linkedin")


@dataclass(frozen=True)
class Rate:
    tried: int
    answered: int
    students: int

    @property
    def share(self) -> float:
        return self.answered / self.tried if self.tried else 0.0


@dataclass
class CohortInsight:
    channels: dict[str, Rate] = field(default_factory=dict)          # so far this year
    sprint_channels: dict[str, Rate] = field(default_factory=dict)   # since the sprint began
    kinds: dict[str, Rate] = field(default_factory=dict)             # company category
    sprint: int = 0
    week: str = ""            # the ISO week it was taken in: summaries change once a week

    @classmethod
    def taken(cls, cohort: pd.DataFrame, calendar, now: dt.date) -> "CohortInsight":
        """The cohort's figures as of `now`, this sprint's from the day it began."""
        insight = cls.of(cohort, calendar.sprint(now), calendar.sprint_start(now))
        insight.week = week_of(now)
        return insight

    @classmethod
    def of(cls, cohort: pd.DataFrame, sprint: int = 0, sprint_began: dt.date | None = None) -> "CohortInsight":
        if not len(cohort):
            return cls(sprint=sprint)
        tried = cohort[contacted(cohort) & cohort["company"].notna()]
        tried = tried.assign(answered=tried["stage"].isin(ANSWERED))
        recent = tried
        if sprint_began is not None:
            recent = tried[tried["last_contact"].notna() & (tried["last_contact"] >= pd.Timestamp(sprint_began))]
        return cls(_rates(tried, "channel", CHANNELS), _rates(recent, "channel", CHANNELS),
                   _rates(tried, "category"), sprint)

    def shown(self, rates: dict[str, Rate]) -> dict[str, Rate]:
        """Only what enough students and leads stand behind (see the module's note)."""
        return {k: r for k, r in rates.items() if r.students >= MIN_STUDENTS and r.tried >= MIN_TRIED}

    def best_and_worst(self) -> tuple[str, str] | None:
        shown = self.shown(self.channels)
        if len(shown) < 2:
            return None
        ranked = sorted(shown, key=lambda k: (-shown[k].share, k))
        best, worst = ranked[0], ranked[-1]
        return (best, worst) if shown[best].share > shown[worst].share else None

    def sentence(self, language: str) -> str:
        """'In your cohort phone gets an answer 2.4x as often as e-mail (41% against 17%).'"""
        pair = self.best_and_worst()
        if pair is None:
            return ""
        best, worst = (self.channels[k] for k in pair)
        if not worst.share:
            return t("insight.only", language, best=t(f"channel.{pair[0]}", language),
                     worst=t(f"channel.{pair[1]}", language), best_pct=round(100 * best.share))
        ratio = f"{best.share / worst.share:.1f}"
        if language == "sv":
            ratio = ratio.replace(".", ",")
        return t("insight.ratio", language, best=t(f"channel.{pair[0]}", language),
                 worst=t(f"channel.{pair[1]}", language), ratio=ratio,
                 best_pct=round(100 * best.share), worst_pct=round(100 * worst.share))

    def tip(self, language: str) -> str:
        """A next step: the channel that answers most in the cohort."""
        pair = self.best_and_worst()
        return t(f"insight.tip.{pair[0]}", language) if pair else ""

    def to_json(self) -> str:
        def plain(rates):
            return {k: [r.tried, r.answered, r.students] for k, r in rates.items()}
        return json.dumps({"channels": plain(self.channels), "sprint_channels": plain(self.sprint_channels),
                           "kinds": plain(self.kinds), "sprint": self.sprint, "week": self.week})

    @classmethod
    def from_json(cls, text: str | None) -> "CohortInsight":
        if not text:
            return cls()
        data = json.loads(text)

        def rates(d):
            return {k: Rate(*v) for k, v in d.items()}
        return cls(rates(data["channels"]), rates(data["sprint_channels"]), rates(data["kinds"]),
                   data.get("sprint", 0), data.get("week", ""))


def week_of(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _rates(tried: pd.DataFrame, column: str, keep: tuple[str, ...] | None = None) -> dict[str, Rate]:
    rows = tried[tried[column].notna()]
    if keep:
        rows = rows[rows[column].isin(keep)]
    if not len(rows):
        return {}
    grouped = rows.groupby(column).agg(tried=("answered", "size"), answered=("answered", "sum"),
                                       students=("student", "nunique"))
    return {str(k): Rate(int(r.tried), int(r.answered), int(r.students)) for k, r in grouped.iterrows()}
