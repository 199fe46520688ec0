"""Writing: each student's flags, states, next steps and summary laid out on their sheet
as it now is, written in one call; an edit in between means read and judge again. Then
what the night decided that later nights rely on (the draws, the week's figures).
"""
from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

from jobs.night.context import INSIGHT, Night, cpu_stage, side_by_side, through_a_pool
from jobs.night.judge import Judgement
from jobs.night.outcome import problem_of
from jobs.night.read import ReadRequest, SheetRead, read_student
from sheetsync.engine.insight import CohortInsight, week_of
from sheetsync.engine.registry import registry
from sheetsync.errors import SheetBusy, SheetChangedError, SheetsyncError
from sheetsync.i18n import t
from sheetsync.state import disk_full, state_error
from sheetsync.workbook import Workbook, cell_text
from sheetsync.writeback.cleanup import cleanup_writes
from sheetsync.writeback.plan import WritePlan
from sheetsync.writeback.sheet import plan_student, plan_summary
from sheetsync.writeback.summary import ToDo, build_summary

log = logging.getLogger("sheetsync.nightly")
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
MAX_EDIT_RETRIES = 3
MIN_SHARED_FAILURES = 3           # fewer failed students are each their own problem


def write_all(night: Night, reads: list[SheetRead], judged: Judgement) -> tuple[Judgement, bool]:
    """Each student written in turn; (the judgement after any re-reads, stopped early).
    Through a pool of identities the students are written by as many workers as read
    them: one writer would use one identity's share of the project's quota."""
    if through_a_pool(night):
        return _write_side_by_side(night, reads, judged)
    only, on_student = night.options.only, night.options.on_student
    for i, r in enumerate(reads):
        if night.options.stop_now():
            skip_as_stopping(rest.outcome for rest in reads[i:])
            return judged, True
        if night.options.write_students and (only is None or r.student.id in only) and not r.stale:
            judged = write_student(night, reads, i, judged)
        else:
            r.outcome.flags = len(judged.found_of(r.student.id))
        reads[i].outcome.done = True
        if on_student:
            on_student(reads[i].outcome)
    return judged, False


def _write_side_by_side(night: Night, reads: list[SheetRead], judged: Judgement) -> tuple[Judgement, bool]:
    """write_all by a pool of workers, each identity's students by its own
    (context.side_by_side). The judge and the state store are used one at a time
    (night.one_at_a_time); a re-judged cohort after an edit is the night's from then on."""
    only, on_student = night.options.only, night.options.on_student
    latest, stopped = [judged], []

    def one(i: int) -> None:
        r = reads[i]
        if stopped or night.options.stop_now():
            stopped.append(i)
            skip_as_stopping([r.outcome])
            return
        if night.options.write_students and (only is None or r.student.id in only) and not r.stale:
            after = write_student(night, reads, i, latest[0])
            with night.one_at_a_time:
                if after is not latest[0]:
                    latest[0] = after
        else:
            r.outcome.flags = len(latest[0].found_of(r.student.id))
        r.outcome.done = True
        if on_student:
            with night.one_at_a_time:
                on_student(r.outcome)
    side_by_side(night, list(range(len(reads))), lambda i: reads[i].student, one)
    return latest[0], bool(stopped)


def write_student(night: Night, reads: list[SheetRead], i: int, judged: Judgement,
                  focus: set[str] | None = None) -> Judgement:
    """Plan and write one student's sheet; on an edit in between, read and judge again
    (`focus`: the students the judgement covers, default all)."""
    backend, report = night.backend, night.report
    for attempt in range(MAX_EDIT_RETRIES + 1):
        r = reads[i]
        try:
            with cpu_stage(report, "plan"):
                wanted = what_to_write(night, r, judged)
                plan = plan_for(night, r, wanted)
            if plan and not r.workbook.structure_known and not report.dry_run:
                # read from an export: its sheet ids and our marks first; planned again
                # only if the marks differ (nothing else a plan depends on can)
                exported, r.workbook = r.workbook, backend.complete(r.student, r.workbook)
                if _marks_of(r.workbook) != _marks_of(exported):
                    with cpu_stage(report, "plan"):
                        plan = plan_for(night, r, wanted)
            r.outcome.flags = len(judged.found_of(r.student.id))
            if report.dry_run:
                report.plans.append(plan.describe())
                return judged
            if not plan:
                keep_snapshot(night, r, plan)
                return judged
            r.outcome.cells_written = backend.write(r.student, plan, r.workbook)
            if plan.student_cells:
                with night.one_at_a_time:
                    night.state.log_cell_writes(report.run_id, r.student.id,
                                            [(w.tab, w.a1, w.old, cell_text(w.value)) for w in plan.student_cells])
            keep_snapshot(night, r, plan)
            return judged
        except SheetChangedError:
            if attempt == MAX_EDIT_RETRIES:
                r.outcome.status, r.outcome.problem = "skipped", "changing"
                r.outcome.message = (f"the sheet kept changing while we wrote ({attempt + 1} tries);"
                                     " nothing written, next night tries again")
                return judged
            fresh = read_student(night, ReadRequest(r.student, r.outcome, before=r.before))
            if fresh is None:
                return judged
            reads[i] = fresh
            with night.one_at_a_time:
                judged = night.judge(reads, focus)
            report.edit_retries += 1
        except SheetBusy as e:            # open in Excel, read-only: tomorrow
            r.outcome.status, r.outcome.message, r.outcome.problem = "skipped", str(e), "busy"
            return judged
        except SheetsyncError as e:
            r.outcome.status, r.outcome.message, r.outcome.problem = "failed", str(e), problem_of(e)
            return judged
        except Exception as e:
            if disk_full(e):         # no student's problem: the night stops with one line
                raise state_error(e, night.config.state_path) from None
            log.exception("writing %s", r.student.id)
            r.outcome.status, r.outcome.problem = "failed", "internal"
            r.outcome.message = f"internal error while writing: {type(e).__name__}: {e}"
            return judged
    return judged


def _marks_of(workbook: Workbook) -> dict:
    """What of a sheet's structure a write plan depends on (writeback.sheet): the owned
    columns' marks and which tab is our summary. Sheet ids, grids and frozen rows only
    shape the requests made from the plan."""
    return {title: (tab.marks, tab.ours) for title, tab in workbook.tabs.items()}


def keep_snapshot(night: Night, r: SheetRead, plan) -> None:
    """The sheet as it now is, with the version it now has, so that tomorrow an
    unchanged sheet costs no read. After our own write the version is asked again; any
    edit that slips in between is caught by the version check before the next write.
    `r` then stands for the sheet as written, for a second write the same night.
    The reading is kept with it unless our write changed the student's own cells
    (cleanup in place): owned columns and the summary tab are not read as leads."""
    if r.lost_headers:          # last night's snapshot stays the memory of the lost column
        return
    reading = (r.reading_key, r.reading)
    backend = night.backend
    if plan:
        version = backend.version_now(r.student)
        workbook = r.workbook.with_writes(plan.writes, plan.new_tabs, plan.marks, plan.tab_ids,
                                              plan.unmarks)
        workbook.version = version
        workbook.written = not backend.wrote_alone(r.student, r.workbook.version, version)
        r.workbook = workbook
        if any(not w.owned for w in plan.student_cells):    # cleanup changed what was read
            reading = None
    else:
        if not r.fresh and r.reading_kept:
            return
        version, workbook = r.workbook.version, r.workbook
    if version:
        with night.one_at_a_time:
            night.state.save_snapshot(r.student.id, version, r.taken_on, workbook, reading)
        r.reading_kept = reading is not None


@dataclass
class WhatToWrite:
    """One student's flags, lead states, next steps and summary: what their judgement
    says, before it is laid out on their sheet as it now is."""
    per_row: dict
    summary: list[list]      # the summary tab's rows


def what_to_write(night: Night, r: SheetRead, judged: Judgement) -> WhatToWrite:
    """Worked out once per write: laying it out again on a sheet whose shape an export
    left out costs only plan_for. Each flag is a short phrase in words with its rule code
    after it, one to a line, most important first; the summary explains each code once."""
    sid, language, judge = r.student.id, night.config.language, night.judge
    rule_of = registry()
    rows, states, steps = judged.per_lead(sid)
    per_row_flags: dict[int, list[tuple]] = {}
    todo, explained = ToDo(), {}
    for f in judged.found_of(sid):
        rule = rule_of[f.code]
        text = f"{rule.text(language, f.params)} ({f.code})"
        explained.setdefault(f.code, rule.explanation(language, f.params))
        if f.row is None:
            todo.messages.append(text)
        else:
            per_row_flags.setdefault(int(f.row), []).append((SEVERITY_ORDER[f.severity], f.code, text))
        if f.code == "LC01":
            todo.lost.append(f.params["company"])
        elif f.code in ("DD01", "DD02"):
            todo.duplicates.append(t("todo.duplicate", language, row=int(f.row),
                                     other=f.params.get("first_row", "?"), code=f.code))
    todo.legend = sorted(explained.items())
    flags = {row: "\n".join(t for *_, t in sorted(items)) for row, items in per_row_flags.items()}
    rows = rows.tolist()
    per_row = {"flags": flags, "state": dict(zip(rows, states)), "next": dict(zip(rows, steps))}
    summary = build_summary(judged.summaries, sid, todo, now=judge.now, calendar=judge.calendar,
                            language=language, insight=judge.insight)
    return WhatToWrite(per_row, summary)


def plan_for(night: Night, r: SheetRead, wanted: WhatToWrite) -> WritePlan:
    """The owned columns, the summary tab and (with `[cleanup] in_place`) the cleaned
    cells for one student's sheet as it now is."""
    sid, language, summary, per_row = r.student.id, night.config.language, wanted.summary, wanted.per_row
    if r.lost_headers:          # the CRM is as the student left it; only the summary says why
        notice = t("sum.column_gone", language, header=", ".join(repr(h) for h in r.lost_headers))
        return plan_summary(WritePlan(sid), r.workbook, summary, language, notice=notice)
    plan = plan_student(sid, r.workbook, r.tab, r.normalized.header_row, per_row, summary, language,
                        before=r.before)
    if night.config.cleanup["in_place"]:
        plan.writes += cleanup_writes(r.workbook.tabs[r.tab], r.normalized, night.calendar.year)
    return plan


def skip_as_stopping(outcomes) -> None:
    for o in outcomes:
        o.status, o.problem = "skipped", "stopped"
        o.message = "not written: the service was stopping; the next run does it"


def refuse_if_one_cause(night: Night) -> bool:
    """Most students failing for one cause is the operator's or Google's problem (a
    key revoked, a share removed, a broken sync of the folder), not theirs: nothing
    is published, the master and every sheet stay as they were, and the report says
    why in one line. True when refused."""
    outcomes = night.report.students
    failed = [o for o in outcomes if o.status == "failed"]
    causes = Counter(o.problem for o in failed).most_common(1)
    if len(failed) < MIN_SHARED_FAILURES or not causes or causes[0][1] * 2 <= len(outcomes):
        return False
    problem, n = causes[0]
    example = next(o for o in failed if o.problem == problem)
    night.report.refused = (f"{n} of {len(outcomes)} students failed for one cause ({problem};"
                           f" {example.name}: {example.message}); nothing was written and the"
                           " master is as it was: fix the cause and run again")
    for o in outcomes:
        if o.status == "ok":
            o.status, o.message = "skipped", "not written: most of the cohort failed tonight"
    return True


def keep(night: Night, judged: Judgement, stopped: bool) -> None:
    """What the night decided that later nights rely on: the lottery's draws, and on
    a week's first whole night the cohort's figures. A dry run keeps nothing."""
    if night.options.dry_run or night.report.refused:
        return
    night.state.save_draws(judged.new_draws, night.report.run_id)
    if night.options.only is None and not stopped and night.kept_insight.week != week_of(night.now):
        insight = night.judge.insight or CohortInsight.taken(judged.cohort, night.calendar, night.now)
        # taken from everyone's sheets on the first whole night of a week: the summaries
        # show them all week, so they cost no write on the other nights
        night.state.set_setting(INSIGHT, insight.to_json())
