"""The staff master spreadsheet, wholly owned by the service.

Tabs: Students (one row per student), Companies (held by more than one student),
Feedback (the early-May CRM feedback, sentences staff can send as they are),
Deadlines (who has no LIA at the soft and hard deadlines; the October placement list),
Insight (answer rates per channel and kind of company, this year and this sprint),
Runs (every night's run, tonight's figures as far as they are known), and an Overview with charts staff would rather look at than
read: the cohort funnel, progress against the 50, LIA secured over time. No contact
person's details unless `[master] include_contact_details = true`.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from sheetsync.engine.context import Calendar
from sheetsync.engine.insight import CohortInsight
from jobs.master.charts import ChartSpec, overview
from jobs.master.deadlines import deadlines_tab
from jobs.master.feedback import feedback_tab
from jobs.master.insight import insight_tab
from jobs.master.layout import TabLook, looks
from jobs.master.runs import runs_tab
from jobs.master.students import (HEADERS, SHEET_HEADER, CohortFacts, companies_tab, contacts_tab, risk_colours,
                                  students_tab)


@dataclass
class Master:
    tabs: dict[str, list[list]]
    charts: list[ChartSpec]
    formats: list = field(default_factory=list)     # risk colours on the Students tab
    looks: dict[str, TabLook] = field(default_factory=dict)    # widths, wraps, lines per tab
    links: dict[str, dict] = field(default_factory=dict)       # tab -> {(row, col): link}, 1-based


@dataclass
class MasterContext:
    """What the master is made with besides the cohort and its findings: plain data."""
    calendar: Calendar
    now: dt.date
    cap: int
    language: str
    draws: dict = field(default_factory=dict)       # company key -> the drawn order of students
    history: list[dict] = field(default_factory=list)   # earlier runs, for the Runs tab
    current: object = None                          # tonight's RunReport
    include_contacts: bool = False
    triage: dict = field(default_factory=dict)      # [triage] thresholds (jobs/master/triage.py)
    calls: dict = field(default_factory=dict)       # tonight's API calls so far (backend.calls)


def build_master(cohort: pd.DataFrame, found: pd.DataFrame, outcomes, links: dict[str, str],
                 about: MasterContext) -> Master:
    calendar, now, language = about.calendar, about.now, about.language
    names = HEADERS[language]["tabs"]
    facts = CohortFacts(cohort, found)
    students, sheet_links = students_tab(facts, outcomes, links, about)
    tabs = {names["overview"]: [], names["students"]: students,
            names["companies"]: companies_tab(cohort, about.cap, language, about.draws or {}),
            names["feedback"]: feedback_tab(facts, outcomes, calendar, language),
            names["deadlines"]: deadlines_tab(facts, outcomes, calendar, now, language),
            names["insight"]: insight_tab(CohortInsight.taken(cohort, calendar, now), language),
            names["runs"]: runs_tab(about.history or [], about.current, language, about.calls)}
    if about.include_contacts:
        tabs[names["contacts"]] = contacts_tab(cohort, outcomes, language)
    tabs[names["overview"]], charts = overview(cohort, tabs, names, calendar, language)
    sheet_col = HEADERS[language]["students"].index(SHEET_HEADER[language]) + 1
    return Master(tabs, charts, risk_colours(names["students"], students, language), looks(tabs),
                  {names["students"]: {(row + 1, sheet_col): link for row, link in sheet_links.items()}})
