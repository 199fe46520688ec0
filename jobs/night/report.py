"""Reporting: the staff master, the run closed in the state store with its report saved
beside it (and the state store copied and pruned after a night that went to its end),
or, after Ctrl-C, how far it got.
"""
from __future__ import annotations

import datetime as dt
import sqlite3

from jobs.master import MasterContext, build_master
from jobs.night.context import Night, cpu_stage
from jobs.night.judge import Judgement
from jobs.night.reach_out import reach_students
from jobs.night.write import refuse_if_one_cause
from sheetsync.config import Student
from sheetsync.engine.registry import registry
from sheetsync.errors import SheetsyncError
from sheetsync.privacy.files import private_dir, write_private
from sheetsync.privacy.retention import prune_after_night, settings as retention
from sheetsync.state import state_error


# -- master ----------------------------------------------------------------------
def master(night: Night, judged: Judgement, roster: list[Student], stopped: bool) -> None:
    """The staff master sheet, then the digests and calendars. Built even when stopped
    or dry (the report's figures), written only by a night that went to the end."""
    config, report, backend = night.config, night.report, night.backend
    cap = {**registry()["LC01"].config, **config.rules.get("LC01", {})}["cap"]
    report.lia_secured = int(judged.cohort.loc[judged.cohort["stage"] == "yes", "student"].nunique())
    with cpu_stage(report, "master"):
        about = MasterContext(
            calendar=night.calendar, now=night.now, cap=cap, language=config.language,
            draws={**night.state.draws(), **{k: d["order"] for k, d in judged.new_draws.items()}},
            history=night.state.runs(limit=400), current=report,
            include_contacts=config.master["include_contact_details"],
            triage=config.triage, calls=backend.calls)
        master = build_master(judged.cohort, judged.found, report.students,
                              {s.id: backend.link(s) for s in roster}, about)
    if night.options.dry_run or stopped or report.refused or refuse_if_one_cause(night):
        return
    try:
        report.master = backend.write_master(master.tabs, master.charts, master.formats,
                                             looks=master.looks, links=master.links)
    except SheetsyncError as e:
        report.master_error = str(e)
    if night.options.write_students:
        only = night.options.only
        reach_students(night, judged, [s for s in roster if only is None or s.id in only],
                       digests=only is None)


# -- the end ---------------------------------------------------------------------
def interrupted(night: Night) -> None:
    """Ctrl-C, SIGINT: say how far it got, lose nothing."""
    report = night.report
    done = sum(1 for o in report.students if o.done)
    report.interrupted = (f"interrupted after {done} of {len(report.students)} students;"
                          " the next run completes the night")
    for o in report.students:
        if not o.done and o.status == "ok":
            o.status, o.message = "skipped", "not done: the run was interrupted"


def finish(night: Night, interrupted: bool) -> None:
    """The run closed in the state store, its report saved beside it; a copy of the
    store kept after a night that went to its end."""
    report = night.report
    report.api_calls = night.backend.calls
    report.finished = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
    try:
        if report.run_id is not None:
            if not interrupted:
                report.pruned = prune_after_night(night)
            night.state.finish_run(report.run_id, report.finished, report.to_dict(compact=True),
                                  report.summary())
            report.saved_to = str(_save_report(night))
            if not interrupted:
                night.state.keep_copy(retention(night.config)["state_copies"])
    except (sqlite3.OperationalError, OSError) as e:
        night.state.close()
        raise state_error(e, night.config.state_path) from None
    night.state.close()


def _save_report(night: Night):
    """The machine-readable report beside the state store, for monitoring."""
    folder = private_dir(night.config.state_path.parent / "reports")
    return write_private(folder / f"run-{night.report.run_id:05d}.json", night.report.to_json())
