"""Judging the cohort: the rules, each lead's state and next step, for the students asked.

Only the cap (D1) judges students together; every other rule looks at one student's
leads. So a student's own findings are kept, keyed by the very frame they came from,
and only the cap is run again over everyone when a night judges in batches or a re-read
changes one sheet. A batch's result is then exactly what judging the whole cohort would
give those students (tests/jobs/test_judging.py holds it to that).

Per student, results are kept as plain lists and arrays, not pandas selections: one
selection costs a tenth of a millisecond several times over, seconds at 1,000 students.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import pandas as pd

from sheetsync.config import Config
from sheetsync.engine import findings as F
from sheetsync.engine.context import Calendar
from sheetsync.engine.leads import LOST_IN_DRAW, next_steps, quality_leads, same_company, state_labels
from sheetsync.engine.registry import registry
from sheetsync.engine.run import run_rules
from sheetsync.i18n import t
from sheetsync.normalize.frame import Normalized, joined_frame
from sheetsync.writeback.summary import SummaryData

from jobs.night.context import INSIGHT, Night, cpu_stage
from sheetsync.engine.insight import CohortInsight, week_of


HUNT_ADVICE = ("FU", "PR", "LC")  # rules that push the hunt on (a lost draw: pick another): none once an LIA is secured


class Finding(NamedTuple):
    student: str
    row: int | None           # None: about the student as a whole
    code: str
    severity: str
    params: dict


def finding_list(found: pd.DataFrame) -> list[Finding]:
    if not len(found):
        return []
    rows = found["row"].astype(object)
    rows = rows.where(rows.notna(), None).tolist()        # Python ints, None for the student
    return list(map(Finding, found["student"].tolist(), rows, found["code"].tolist(),
                    found["severity"].tolist(), found["params"].tolist()))


def _by_student(found: list[Finding]) -> dict[str, list[Finding]]:
    out: dict[str, list[Finding]] = {}
    for f in found:
        out.setdefault(f.student, []).append(f)
    return out


class Judgement:
    """The findings, states, next steps and summary figures of some students (all of
    them, or a batch), assembled from each student's kept judgement."""

    def __init__(self, own: dict[str, _Own], found: dict[str, list[Finding]], new_draws: dict,
                 now: dt.date, cohort: pd.DataFrame | None = None, language: str = "sv"):
        self._own, self._found, self.new_draws, self.now = own, found, new_draws, now
        self.language = language
        self._cohort = cohort

    @property
    def cohort(self) -> pd.DataFrame:
        """Every chosen student's leads in one frame (the master's input), joined on demand."""
        if self._cohort is None:
            self._cohort = joined_frame([o.normalized for o in self._own.values()])
        return self._cohort

    @property
    def found(self) -> pd.DataFrame:
        """Every finding, in the findings frame's columns (rule code order)."""
        if not hasattr(self, "_found_frame"):
            flat = sorted((f for fs in self._found.values() for f in fs), key=lambda f: f.code)
            frame = pd.DataFrame(flat, columns=list(F.COLUMNS)) if flat else F.empty()
            frame["row"] = frame["row"].astype("Int64")
            self._found_frame = frame
        return self._found_frame

    def leads_of(self, student: str) -> pd.DataFrame:
        own = self._own.get(student)
        return own.normalized.frame if own is not None else self.cohort.iloc[0:0]

    def found_of(self, student: str) -> list[Finding]:
        return self._found.get(student, [])

    def cap_of(self, student: str) -> set[tuple[int, str]]:
        """The student's lost companies, as (row, company): what judging together decides."""
        return {(int(f.row), f.params["company"]) for f in self.found_of(student) if f.code == "LC01"}

    @property
    def summaries(self) -> _Summaries:
        return _Summaries(self._own, self.cap_of)

    def per_lead(self, student: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The sheet rows of the student's leads, and each one's state and next step: a
        lead lost in the draw is no longer theirs, and its next step is to pick another
        company (the flag, the step and the summary say the same)."""
        own = self._own.get(student)
        if own is None:
            return np.array([], dtype="int64"), np.array([], dtype=object), np.array([], dtype=object)
        lost = {row for row, _ in self.cap_of(student)}
        if not lost:
            return own.rows, own.states, own.steps
        at = np.isin(own.rows, list(lost))
        states, steps = own.states.copy(), own.steps.copy()
        states[at], steps[at] = t("state.lost", self.language), t("next.pick_another", self.language)
        return own.rows, states, steps


@dataclass
class _Own:
    """One student's judgement that needs no one else: kept while their reading is the same."""
    normalized: Normalized        # the reading judged (its leads become a frame only if asked)
    found: list[Finding]          # rule code order
    rows: np.ndarray              # each lead's sheet row
    states: np.ndarray
    steps: np.ndarray
    quality: np.ndarray           # each lead counts toward the target (before the draw)
    keys: list                    # each lead's company key (None for no company)
    summary: SummaryData          # of the pass that judged them (shared with its other students)
    batch: pd.DataFrame           # the leads of that pass, joined; theirs are rows `at`
    at: np.ndarray

    @staticmethod
    def frame_of(owns: list[_Own]) -> pd.DataFrame:
        """The leads of `owns`, in their order: taken from their pass's joined frame when
        one pass judged them all (a night's), else joined again."""
        if owns and all(o.batch is owns[0].batch for o in owns):
            return owns[0].batch.take(np.concatenate([o.at for o in owns])).reset_index(drop=True)
        return joined_frame([o.normalized for o in owns])


class _Summaries:
    """Summary figures per student, each from the pass that judged them."""

    def __init__(self, own: dict[str, _Own], cap_of):
        self._own, self._cap_of = own, cap_of

    def of(self, student: str) -> dict:
        """The figures; quality leads without the companies lost in the draw."""
        own = self._own[student]
        figures = own.summary.of(student)
        lost = {row for row, _ in self._cap_of(student)}
        if lost:       # as engine.leads.same_company, in plain Python: one student's rows
            rows = own.rows.tolist()
            gone = {k for row, k in zip(rows, own.keys) if row in lost and k is not None}
            figures["quality"] -= sum(1 for row, k, q in zip(rows, own.keys, own.quality.tolist())
                                      if q and (row in lost or (k is not None and k in gone)))
        return figures

    def channels_of(self, student: str) -> list[tuple[str, int, int]]:
        return self._own[student].summary.channels_of(student)

    def week_of(self, student: str) -> list[tuple[int, str, str, dt.date]]:
        return self._own[student].summary.week_of(student)


def _shared_columns() -> list[str]:
    return sorted({"student"} | {c for rule in registry().values() if rule.cohort_wide for c in rule.columns})


class Judge:
    """Judges `reads` (objects with .student.id and .normalized, a Normalized)."""

    def __init__(self, config: Config, now: dt.date, calendar: Calendar, draws: dict):
        self.config, self.now, self.calendar, self.draws = config, now, calendar, draws
        self.insight = None      # the cohort's figures the summaries show this week (engine.insight)
        self._own: dict[str, _Own] = {}
        self._pool: pd.DataFrame | None = None      # everyone's shared columns, as last joined
        self._pooled: dict[str, Normalized] = {}    # student -> the reading their pool rows came from
        self._together: tuple | None = None         # (pool, findings, draws) over the whole pool

    def __call__(self, reads: list, focus: set[str] | None = None) -> Judgement:
        """Everyone in `reads` counts for the cap; the judgement covers `focus` (default all)."""
        chosen = reads if focus is None else [r for r in reads if r.student.id in focus]
        # everyone unknown is judged now, in one pass: many small passes cost more, and
        # a sheet read again to the same cells keeps its frame, so stays known
        unknown = [r for r in reads if not self._known(r)]
        batch = self._judge_own(unknown)
        if len(unknown) != len(reads):
            batch = None                  # the joined frame covers only some of them
        pool_before = self._pool
        everyone = self._everyone(reads, batch)
        cap_found, new_draws = self._judge_together(everyone, focus, unchanged=everyone is pool_before)
        capped = _by_student(finding_list(cap_found))
        own = {r.student.id: self._own[r.student.id] for r in chosen}
        after = self._after_draw(own, capped)
        found = {}
        for sid in own:
            mine = sorted(after[sid] + capped.get(sid, []), key=lambda f: f.code)
            if own[sid].summary.of(sid)["lia"]:        # a secured LIA ends the hunt's advice
                mine = [f for f in mine if not f.code.startswith(HUNT_ADVICE)]
            if mine:
                found[sid] = mine
        return Judgement(own, found, new_draws, self.now, batch if focus is None else None,
                         self.config.language)

    def _after_draw(self, own: dict[str, _Own], capped: dict[str, list[Finding]]) -> dict[str, list[Finding]]:
        """Each student's own findings; the rules that count their leads (PR01) judged
        again, with the companies they lost in the draw marked, over the frames of all
        who lost one at once (one pass: per student it cost seconds at 1,000 students).
        Those rules judge each student alone, so one pass gives what each would."""
        codes = tuple(sorted(c for c, rule in registry().items() if rule.counts_after_draw))
        lost = {sid: {f.row for f in capped.get(sid, []) if f.code == "LC01"} for sid in own}
        lost = {sid: rows for sid, rows in lost.items() if rows}
        if not codes or not lost:
            return {sid: o.found for sid, o in own.items()}
        frame = _Own.frame_of([own[sid] for sid in lost])
        on_row = pd.Series([row in lost.get(sid, ()) for sid, row in
                            zip(frame["student"].tolist(), frame["row"].tolist())], index=frame.index, dtype=bool)
        again, _ = run_rules(frame.assign(**{LOST_IN_DRAW: same_company(frame, on_row)}), now=self.now,
                             calendar=self.calendar, settings=self.config.rules, only=codes)
        judged_again = _by_student(finding_list(again))
        return {sid: ([f for f in o.found if f.code not in codes] + judged_again.get(sid, [])
                      if sid in lost else o.found) for sid, o in own.items()}

    def _judge_together(self, everyone: pd.DataFrame, focus: set[str] | None, unchanged: bool):
        """The cohort-wide rules. For a batch, a rule that judges per key (the cap: per
        company) needs only the rows sharing a key with the batch: a fraction of the cohort.
        While the pool stays the same from one call to the next (a weekly full read of an
        unchanged cohort), the whole pool is judged once and each batch takes its part."""
        if self._together is not None and self._together[0] is everyone:
            found, draws = self._together[1], self._together[2]
        elif focus is None or unchanged:
            found, draws = self._run_together(everyone, None)
            self._together = (everyone, found, draws)
        else:
            found, draws = self._run_together(everyone, focus)
        if focus is not None:
            found = found[found["student"].isin(focus)]
        return found, draws

    def _run_together(self, everyone: pd.DataFrame, focus: set[str] | None):
        parts, new_draws = [], {}
        for code, rule in registry().items():
            if not rule.cohort_wide:
                continue
            rows = everyone
            if focus is not None and rule.judged_per in everyone:
                mine = everyone["student"].isin(focus)
                keys = pd.unique(everyone.loc[mine, rule.judged_per])
                rows = everyone[everyone[rule.judged_per].isin(keys)]
            found, draws = run_rules(rows, now=self.now, calendar=self.calendar,
                                     settings=self.config.rules, draws=self.draws, only=(code,))
            parts.append(found)
            new_draws.update(draws)
        return F.concat(parts), new_draws

    def _everyone(self, reads: list, batch: pd.DataFrame | None) -> pd.DataFrame:
        """The shared columns of all `reads`. A night judging in batches asks again and
        again with a few students changed: only their rows are dropped and added."""
        want = {r.student.id: r.normalized for r in reads}
        gone = [sid for sid, frame in self._pooled.items() if want.get(sid) is not frame]
        new = [sid for sid, frame in want.items() if self._pooled.get(sid) is not frame]
        shared = _shared_columns()
        if batch is not None:
            self._pool = batch[shared]
        elif self._pool is None or len(gone) + len(new) > len(want) // 2:
            self._pool = joined_frame(list(want.values()))[shared]
        elif gone or new:
            kept = self._pool[~self._pool["student"].isin(gone)] if gone else self._pool
            self._pool = _concat([kept, joined_frame([want[sid] for sid in new])[shared]])
        self._pooled = want
        return self._pool

    def _known(self, read) -> bool:
        own = self._own.get(read.student.id)
        return own is not None and own.normalized is read.normalized

    def _judge_own(self, reads: list) -> pd.DataFrame | None:
        """The one-student rules, states, steps and summary figures for `reads`, in one
        pass over them all; the frame of their leads joined."""
        if not reads:
            return None
        batch = joined_frame([r.normalized for r in reads])
        found, _ = run_rules(batch, now=self.now, calendar=self.calendar,
                             settings=self.config.rules, cohort_wide=False)
        found = found.sort_values("code", kind="stable")
        language = self.config.language
        states = state_labels(batch, language).to_numpy(dtype=object)
        steps = next_steps(batch, self.now, language)
        summary = SummaryData(batch, steps, self.now)
        steps = steps.to_numpy(dtype=object)
        quality = quality_leads(batch).to_numpy(dtype=bool)
        sheet_rows = batch["row"].to_numpy(dtype="int64")
        keys = batch["company_key"].to_numpy(dtype=object)
        rows_of = batch.groupby("student", sort=False).indices if len(batch) else {}
        found_of = _by_student(finding_list(found))
        for r in reads:
            sid = r.student.id
            at = rows_of.get(sid, np.array([], dtype=int))
            self._own[sid] = _Own(r.normalized, found_of.get(sid, []), sheet_rows[at],
                                  states[at], steps[at], quality[at],
                                  [None if k is None or k != k else k for k in keys[at].tolist()], summary,
                                  batch, at)
        return batch


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    frames = [f for f in frames if len(f)]
    return pd.concat(frames, ignore_index=True) if frames else joined_frame([])


def open_judge(night: Night) -> None:
    """The judge, with the lottery's draws kept so far and this week's cohort figures
    if a whole night of this week has taken them already."""
    night.judge = Judge(night.config, night.now, night.calendar, night.state.draws())
    night.kept_insight = CohortInsight.from_json(night.state.setting(INSIGHT))
    this_week = night.kept_insight.week == week_of(night.now)
    night.judge.insight = night.kept_insight if this_week else None


# -- judge -----------------------------------------------------------------------
def judge_everyone(night: Night, reads: list) -> Judgement:
    """The whole cohort judged at once; on a new week's first whole read, the cohort's
    figures for the summaries are taken from it."""
    with cpu_stage(night.report, "rules"):
        judged = night.judge(reads)
        if night.judge.insight is None and night.options.only is None:   # a new week: everyone is read
            night.judge.insight = CohortInsight.taken(judged.cohort, night.calendar, night.now)
    return judged
