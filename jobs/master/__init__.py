"""The staff master spreadsheet, wholly owned by the service.

Tabs: Students (one row per student), Companies (held by more than one student),
Feedback (the early-May CRM feedback, sentences staff can send as they are),
Deadlines (who has no LIA at the soft and hard deadlines; the October placement list),
Insight (answer rates per channel and kind of company, this year and this sprint),
Runs (every night's run), and an Overview with charts staff would rather look at than
read: the cohort funnel, progress against the 50, LIA secured over time. No contact
person's details unless `[master] include_contact_details = true`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from sheetsync.engine.insight import CohortInsight
from jobs.master.charts import ChartSpec, overview
from jobs.master.deadlines import deadlines_tab
from jobs.master.feedback import feedback_tab
from jobs.master.insight import insight_tab
from jobs.master.runs import runs_tab
from jobs.master.students import (HEADERS, CohortFacts, companies_tab, contacts_tab, risk_colours,
                                  students_tab)


@dataclass
class Master:
    tabs: dict[str, list[list]]
    charts: list[ChartSpec]
    formats: list = field(default_factory=list)     # risk colours on the Students tab


def build_master(cohort: pd.DataFrame, found: pd.DataFrame, outcomes, links: dict[str, str], *,
                 calendar, now, cap: int, language: str, draws: dict | None = None,
                 history: list[dict] | None = None, current=None,
                 include_contacts: bool = False) -> Master:
    names = HEADERS[language]["tabs"]
    facts = CohortFacts(cohort, found)
    students = students_tab(facts, outcomes, links, target=calendar.quality_target, language=language,
                            now=now, calendar=calendar)
    tabs = {names["overview"]: [], names["students"]: students,
            names["companies"]: companies_tab(cohort, cap, language, draws or {}),
            names["feedback"]: feedback_tab(facts, outcomes, calendar, language),
            names["deadlines"]: deadlines_tab(facts, outcomes, calendar, now, language),
            names["insight"]: insight_tab(CohortInsight.taken(cohort, calendar, now), language),
            names["runs"]: runs_tab(history or [], current, language)}
    if include_contacts:
        tabs[names["contacts"]] = contacts_tab(cohort, outcomes, language)
    tabs[names["overview"]], charts = overview(cohort, tabs, names, calendar, language)
    return Master(tabs, charts, risk_colours(names["students"], students, language))
