"""The nightly run: read every sheet, normalise, judge the cohort, write back, master.

One student's failure (a sheet gone, a corrupt file, no header) is recorded in the
report and the others go on. Rules see the whole cohort at once, because the
3-per-company cap is about all students together. A dry run reads and plans but
writes nothing, not even the state store's lottery draws.
"""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import pandas as pd

from jobs.master import build_master
from jobs.report import RunReport, StudentOutcome
from sheetsync.backends import open_backend
from sheetsync.config import Config, Student
from sheetsync.engine.context import Calendar
from sheetsync.engine.leads import next_steps, state_labels
from sheetsync.engine.registry import registry
from sheetsync.engine.run import run_rules
from sheetsync.errors import SheetsyncError
from sheetsync.normalize import Normalized, normalize, read_crm
from sheetsync.state import StateStore
from sheetsync.workbook import Workbook
from sheetsync.writeback.sheet import plan_student
from sheetsync.writeback.summary import build_summary

log = logging.getLogger("sheetsync.nightly")
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


@dataclass
class _Read:
    student: Student
    outcome: StudentOutcome
    workbook: Workbook
    tab: str
    normalized: Normalized


def today_in(config: Config) -> dt.date:
    try:
        return dt.datetime.now(ZoneInfo(config.cohort["timezone"])).date()
    except Exception:      # an unknown zone name or no tz database: local date will do
        return dt.date.today()


def run_nightly(config: Config, *, now: dt.date | None = None, dry_run: bool = False,
                backend=None, on_student=None) -> RunReport:
    """Run the whole flow once for every student, then the master. Never raises for one
    student's problem; the report says what happened to each."""
    now = now or today_in(config)
    backend = backend or open_backend(config)
    calendar = Calendar.from_config(config, now)
    language = config.language
    state = StateStore(config.state_path)
    started = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    run_id = None if dry_run else state.start_run(started, now.isoformat(), dry_run)
    report = RunReport(run_id=run_id, judged_on=now.isoformat(), started=started, dry_run=dry_run)
    try:
        roster = backend.roster()
        reads = _read_all(backend, roster, calendar.year, report, on_student)
        frames = [r.normalized.frame for r in reads if len(r.normalized.frame)]
        cohort = pd.concat(frames, ignore_index=True) if frames else _empty_cohort()
        found, new_draws = run_rules(cohort, now=now, calendar=calendar, settings=config.rules,
                                     draws=state.draws())
        states = state_labels(cohort, language)
        steps = next_steps(cohort, now, language)
        for r in reads:
            _write_student(backend, r, cohort, found, states, steps, now, calendar, language,
                           dry_run, report)
        if not dry_run:
            state.save_draws(new_draws, run_id)
        cap = {**registry()["LC01"].config, **config.rules.get("LC01", {})}["cap"]
        master = build_master(cohort, found, report.students,
                              {s.id: backend.link(s) for s in roster},
                              target=calendar.quality_target, cap=cap, language=language)
        if not dry_run:
            try:
                report.master = backend.write_master(master)
            except SheetsyncError as e:
                report.master_error = str(e)
    finally:
        report.api_calls = backend.calls
        report.finished = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        if run_id is not None:
            state.finish_run(run_id, report.finished, report.to_dict())
        state.close()
    return report


def _read_all(backend, roster, year, report, on_student) -> list[_Read]:
    reads = []
    for student in roster:
        outcome = StudentOutcome(id=student.id, name=student.name)
        report.students.append(outcome)
        try:
            workbook = backend.read(student)
            reading = read_crm(workbook, tab=student.tab, overrides=student.columns, year=year,
                               student=student.id)
            if reading.tab is None:
                outcome.status = "skipped"
                outcome.message = _no_tab_message(workbook, student.tab)
                continue
            tab, norm = reading.tab, reading.normalized
            outcome.tab, outcome.leads = tab, len(norm.frame)
            outcome.understood = reading.report_lines()
            outcome.unparsed = [f"{tab}!{p.cell} {p.field} {p.value!r}" for p in norm.problems
                                if p.kind not in ("no_header",)]
            outcome.unmapped_columns = norm.unmapped
            reads.append(_Read(student, outcome, workbook, tab, norm))
        except SheetsyncError as e:
            outcome.status, outcome.message = "failed", str(e)
        except Exception as e:     # a bug must not stop the other students
            log.exception("reading %s", student.id)
            outcome.status = "failed"
            outcome.message = f"internal error while reading: {type(e).__name__}: {e}"
        finally:
            if on_student:
                on_student(outcome)
    return reads


def _no_tab_message(workbook: Workbook, configured: str | None) -> str:
    where = f"{workbook.location}"
    if configured:
        return f"configured tab {configured!r} not found in {where} (tabs: {', '.join(workbook.tabs)})"
    if not any(t.rows for t in workbook.tabs.values()):
        return f"the workbook is empty: {where}"
    return (f"no tab with a recognisable header (columns like Företag/Company, Telefon/Phone,"
            f" Status) in {where}; tabs: {', '.join(workbook.tabs)}")


def _write_student(backend, r: _Read, cohort, found, states, steps, now, calendar, language,
                   dry_run, report) -> None:
    sid, outcome = r.student.id, r.outcome
    try:
        mask = cohort["student"] == sid
        leads = cohort[mask]
        mine = found[found["student"] == sid]
        rule_of = registry()
        per_row_flags: dict[int, list[tuple]] = {}
        for f in mine[mine["row"].notna()].itertuples():
            text = f"{f.code} {rule_of[f.code].text(language, f.params)}"
            per_row_flags.setdefault(int(f.row), []).append((SEVERITY_ORDER[f.severity], f.code, text))
        flags = {row: "; ".join(t for *_, t in sorted(items)) for row, items in per_row_flags.items()}
        rows = leads["row"].astype(int)
        per_row = {"flags": flags, "state": dict(zip(rows, states[mask])),
                   "next": dict(zip(rows, steps[mask]))}
        student_msgs = [f"{f.code} {rule_of[f.code].text(language, f.params)}"
                        for f in mine[mine["row"].isna()].itertuples()]
        lost = [p["company"] for p in mine[mine["code"] == "LC01"]["params"]]
        summary = build_summary(leads, student_msgs, steps[mask], lost, now=now,
                                calendar=calendar, language=language)
        plan = plan_student(sid, r.workbook, r.tab, r.normalized.header_row, per_row, summary,
                            language)
        outcome.flags = len(mine)
        if dry_run:
            report.plans.append(plan.describe())
        else:
            outcome.cells_written = backend.write(r.student, plan, r.workbook)
    except SheetsyncError as e:
        outcome.status, outcome.message = "failed", str(e)
    except Exception as e:
        log.exception("writing %s", sid)
        outcome.status = "failed"
        outcome.message = f"internal error while writing: {type(e).__name__}: {e}"


def _empty_cohort() -> pd.DataFrame:
    return normalize([["Företag", "Status"]]).frame
