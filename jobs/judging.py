"""Judging the cohort: the rules, each lead's state and next step, for the students asked.

Only the cap (D1) judges students together; every other rule looks at one student's
leads. So a student's own findings are kept, keyed by the very frame they came from,
and only the cap is run again over everyone when a night judges in batches or a re-read
changes one sheet. A batch's result is then exactly what judging the whole cohort would
give those students (tests/jobs/test_judging.py holds it to that).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sheetsync.config import Config
from sheetsync.engine import findings as F
from sheetsync.engine.context import Calendar
from sheetsync.engine.leads import next_steps, state_labels
from sheetsync.engine.registry import registry
from sheetsync.engine.run import run_rules
from sheetsync.normalize import normalize
from sheetsync.writeback.summary import SummaryData


class Judgement:
    """The findings, states and next steps of some students (all of them, or a batch)."""

    def __init__(self, cohort: pd.DataFrame, found: pd.DataFrame, states: pd.Series,
                 steps: pd.Series, new_draws: dict, now: dt.date):
        self.cohort, self.found, self.states, self.steps = cohort, found, states, steps
        self.new_draws, self.now = new_draws, now
        # split once: filtering 100,000 rows again for each of 1,000 students costs seconds
        self._leads = cohort.groupby("student", sort=False).indices if len(cohort) else {}
        self._found = found.groupby("student", sort=False).indices if len(found) else {}

    def leads_of(self, student: str) -> pd.DataFrame:
        return self.cohort.iloc[self._leads.get(student, [])]

    def found_of(self, student: str) -> pd.DataFrame:
        return self.found.iloc[self._found.get(student, [])]

    def cap_of(self, student: str) -> set[tuple[int, str]]:
        """The student's lost companies, as (row, company): what judging together decides."""
        mine = self.found_of(student)
        mine = mine[mine["code"] == "LC01"]
        return {(int(r), p["company"]) for r, p in zip(mine["row"], mine["params"])}

    @property
    def summaries(self) -> SummaryData:
        if not hasattr(self, "_summaries"):
            self._summaries = SummaryData(self.cohort, self.steps, self.now)
        return self._summaries

    def per_lead(self, student: str) -> tuple[pd.Series, pd.Series]:
        rows = self._leads.get(student, [])
        return self.states.iloc[rows], self.steps.iloc[rows]


@dataclass
class _Own:
    """One student's judgement that needs no one else: kept while their frame is the same."""
    frame: pd.DataFrame
    found: pd.DataFrame
    states: np.ndarray
    steps: np.ndarray
    shared: pd.DataFrame          # the few columns the cohort-wide rules read


def _shared_columns() -> list[str]:
    return sorted({c for rule in registry().values() if rule.cohort_wide for c in rule.columns})


class Judge:
    """Judges `reads` (objects with .student.id and .normalized.frame)."""

    def __init__(self, config: Config, now: dt.date, calendar: Calendar, draws: dict):
        self.config, self.now, self.calendar, self.draws = config, now, calendar, draws
        self._own: dict[str, _Own] = {}

    def __call__(self, reads: list, focus: set[str] | None = None) -> Judgement:
        """Everyone in `reads` counts for the cap; the judgement covers `focus` (default all)."""
        chosen = reads if focus is None else [r for r in reads if r.student.id in focus]
        self._judge_own([r for r in reads if not self._known(r)])
        everyone = _concat([self._own[r.student.id].shared for r in reads])
        cap_found, new_draws = self._judge_together(everyone, chosen, focus)
        cohort = _concat([r.normalized.frame for r in chosen])
        own = [self._own[r.student.id] for r in chosen]
        if focus is not None:
            cap_found = cap_found[cap_found["student"].isin(focus)]
        found = F.concat([o.found for o in own] + [cap_found])
        found = found.sort_values("code", kind="stable", ignore_index=True)
        states = pd.Series(_join([o.states for o in own]), index=cohort.index, dtype=object)
        steps = pd.Series(_join([o.steps for o in own]), index=cohort.index, dtype=object)
        return Judgement(cohort, found, states, steps, new_draws, self.now)

    def _judge_together(self, everyone: pd.DataFrame, chosen: list, focus: set[str] | None):
        """The cohort-wide rules. For a batch, a rule that judges per key (the cap: per
        company) needs only the rows sharing a key with the batch: a fraction of the cohort."""
        parts, new_draws = [], {}
        for code, rule in registry().items():
            if not rule.cohort_wide:
                continue
            rows = everyone
            if focus is not None and rule.judged_per in everyone:
                keys = pd.unique(_concat([self._own[r.student.id].shared for r in chosen])[rule.judged_per])
                rows = everyone[everyone[rule.judged_per].isin(keys)]
            found, draws = run_rules(rows, now=self.now, calendar=self.calendar,
                                     settings=self.config.rules, draws=self.draws, only=(code,))
            parts.append(found)
            new_draws.update(draws)
        return F.concat(parts), new_draws

    def _known(self, read) -> bool:
        own = self._own.get(read.student.id)
        return own is not None and own.frame is read.normalized.frame

    def _judge_own(self, reads: list) -> None:
        """The one-student rules, states and steps for `reads`, in one pass over them all."""
        if not reads:
            return
        batch = _concat([r.normalized.frame for r in reads])
        found, _ = run_rules(batch, now=self.now, calendar=self.calendar,
                             settings=self.config.rules, cohort_wide=False)
        language = self.config.language
        states = state_labels(batch, language).to_numpy(dtype=object)
        steps = next_steps(batch, self.now, language).to_numpy(dtype=object)
        rows_of = batch.groupby("student", sort=False).indices if len(batch) else {}
        found_of = found.groupby("student", sort=False).indices if len(found) else {}
        shared = _shared_columns()
        for r in reads:
            sid = r.student.id
            rows = rows_of.get(sid, np.array([], dtype=int))
            mine = found.iloc[found_of.get(sid, [])].reset_index(drop=True)
            self._own[sid] = _Own(r.normalized.frame, mine, states[rows], steps[rows],
                                  r.normalized.frame[shared])


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else normalize([["Företag", "Status"]]).frame


def _join(parts: list[np.ndarray]) -> np.ndarray:
    return np.concatenate(parts) if parts else np.array([], dtype=object)
