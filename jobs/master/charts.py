"""The master's Overview tab and its charts, described once and drawn by each backend
natively (Sheets charts on Google, openpyxl charts in a workbook)."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from jobs.master.students import HEADERS
from sheetsync.engine.leads import IN_DIALOGUE, contacted

STUDENT_COLUMNS = HEADERS["en"]["students"]      # the same places in every language


@dataclass(frozen=True)
class ChartSpec:
    title: str
    kind: str                     # "column" or "line"
    data_tab: str
    domain_col: int               # 0-based column of the labels
    series_cols: tuple[int, ...]  # 0-based columns of the values
    first_row: int                # 0-based header row; data follow it
    last_row: int                 # 0-based, exclusive
    anchor_tab: str
    anchor_row: int               # 0-based cell the chart's top-left corner sits on
    anchor_col: int
    line_cols: tuple[int, ...] = ()   # drawn as a line over the columns (a target, say)


TEXT = {"sv": {"title": "Kohorten i siffror", "stage": "Steg", "leads": "Leads",
               "contacted": "Kontaktade", "dialogue": "Nått dialog", "meetings": "Nått möte",
               "offers": "Nått erbjudande", "lia": "LIA (leads)", "funnel": "Tratten: alla leads",
               "progress": "Kvalitetsleads mot målet", "over_time": "Studenter med LIA över tid"},
        "en": {"title": "The cohort in numbers", "stage": "Stage", "leads": "Leads",
               "contacted": "Contacted", "dialogue": "Reached dialogue", "meetings": "Reached a meeting",
               "offers": "Reached an offer", "lia": "LIA (leads)", "funnel": "Funnel: all leads",
               "progress": "Quality leads against the target",
               "over_time": "Students with LIA over time"}}


def overview(cohort: pd.DataFrame, tabs: dict, names: dict, calendar, language: str):
    T = TEXT[language]
    stage = cohort["stage"]
    # a funnel counts every lead that got at least this far ("reached"), unlike the
    # Students tab's present-stage counts: hence its own labels
    funnel = [(T["leads"], len(cohort)), (T["contacted"], int(contacted(cohort).sum())),
              (T["dialogue"], int(stage.isin(IN_DIALOGUE + ("yes",)).sum())),
              (T["meetings"], int(stage.isin(("meeting", "offer", "yes")).sum())),
              (T["offers"], int(stage.isin(("offer", "yes")).sum())), (T["lia"], int((stage == "yes").sum()))]
    rows = [[T["title"]], [], [T["stage"], T["leads"]]] + [list(f) for f in funnel]
    students, runs = tabs[names["students"]], tabs[names["runs"]]
    quality = STUDENT_COLUMNS.index("Quality leads")      # its target beside it
    charts = [
        ChartSpec(T["funnel"], "column", names["overview"], 0, (1,), 2, 2 + 1 + len(funnel),
                  names["overview"], 0, 3),
        # the target is a line across the bars: as bars it was a red block at 300 students
        ChartSpec(T["progress"], "column", names["students"], 0, (quality,), 0, len(students),
                  names["overview"], 20, 3, line_cols=(quality + 1,)),
        ChartSpec(T["over_time"], "line", names["runs"], 2, (7,), 0, len(runs),
                  names["overview"], 40, 3),
    ]
    return rows, charts
