"""What a rule may know besides the cohort frame: the date, the calendar, its settings."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd


@dataclass
class Calendar:
    """The cohort year's dates (DOMAIN.md's calendar; configurable)."""
    year: int
    research_deadline: dt.date
    soft_deadline: dt.date
    hard_deadline: dt.date
    placement_start: dt.date
    quality_target: int = 50

    @classmethod
    def from_config(cls, config, now: dt.date) -> "Calendar":
        return cls(year=config.cohort_year(now),
                   research_deadline=config.deadline("research_deadline", now),
                   soft_deadline=config.deadline("soft_deadline", now),
                   hard_deadline=config.deadline("hard_deadline", now),
                   placement_start=config.deadline("placement_start", now),
                   quality_target=config.calendar["quality_target"])

    @classmethod
    def default(cls, year: int) -> "Calendar":
        return cls(year, dt.date(year, 4, 30), dt.date(year, 6, 30), dt.date(year, 9, 30),
                   dt.date(year, 10, 1))

    def sprint(self, day: dt.date) -> int:
        """1 April research, 2 May-June reach-out, 3 July research, 4 Aug-Sept, 5 October on."""
        if day.year < self.year or day < dt.date(self.year, 5, 1):
            return 1
        if day <= self.soft_deadline:
            return 2
        if day < dt.date(self.year, 8, 1):
            return 3
        if day <= self.hard_deadline:
            return 4
        return 5


    def sprint_start(self, day: dt.date) -> dt.date:
        """The first day of the sprint `day` falls in (sprint 1: the year's start)."""
        return {1: dt.date(self.year, 1, 1), 2: dt.date(self.year, 5, 1),
                3: self.soft_deadline + dt.timedelta(days=1), 4: dt.date(self.year, 8, 1),
                5: self.hard_deadline + dt.timedelta(days=1)}[self.sprint(day)]


@dataclass
class RuleContext:
    now: dt.date
    calendar: Calendar
    settings: dict                      # this rule's settings, defaults filled in
    draws: dict[str, list[str]] = field(default_factory=dict)   # LC lottery: key -> order
    new_draws: dict[str, dict] = field(default_factory=dict)    # made this run, to store

    @property
    def today(self) -> pd.Timestamp:
        return pd.Timestamp(self.now)
