"""The run report: per student what was read, flagged and written, and every error."""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field


# kinds of trouble with a sheet, so staff and students get words, not an error's text
PROBLEMS = ("not_found", "not_shared", "no_tab", "busy", "changing", "quota", "credentials",
            "unreadable", "internal", "stopped")


def problem_of(error: BaseException) -> str:
    from sheetsync.errors import (CredentialsError, QuotaExceeded, SheetBusy, SheetNotFound,
                                  SheetNotShared, SheetsyncError)
    for kind, problem in ((SheetNotFound, "not_found"), (SheetNotShared, "not_shared"),
                          (SheetBusy, "busy"), (QuotaExceeded, "quota"),
                          (CredentialsError, "credentials"), (SheetsyncError, "unreadable")):
        if isinstance(error, kind):
            return problem
    return "internal"


@dataclass
class StudentOutcome:
    id: str
    name: str
    status: str = "ok"               # ok / skipped (nothing to understand) / failed
    tab: str | None = None
    leads: int = 0
    flags: int = 0
    cells_written: int = 0
    message: str = ""                # why skipped or failed, naming sheet and cell
    problem: str = ""                # its kind, for words to a student (PROBLEMS)
    unparsed: list[str] = field(default_factory=list)    # "D7 phone 'ring växeln'"
    unmapped_columns: list[str] = field(default_factory=list)
    understood: list[str] = field(default_factory=list)  # how each column was read
    fields: list[str] = field(default_factory=list)      # canonical fields the sheet has
    attention: str = ""      # judged on last night's reading: a column the sheet needs is gone
    done: bool = False       # written (or judged) tonight; an interrupted run names the rest


@dataclass
class RunReport:
    run_id: int | None
    judged_on: str
    started: str
    finished: str = ""
    dry_run: bool = False
    students: list[StudentOutcome] = field(default_factory=list)
    api_calls: dict[str, int] = field(default_factory=dict)
    master: str | None = None
    master_error: str | None = None
    plans: list[str] = field(default_factory=list)       # dry run: each plan, described
    edit_retries: int = 0          # sheets read again because a student edited mid-run
    saved_to: str | None = None    # the JSON copy of this report
    lia_secured: int = 0           # students with a lead at "yes"
    students_written: bool = True  # False for `sheetsync master`: judged, only the master written
    unchanged: int = 0             # sheets not read: unchanged since the last snapshot
    cpu: dict[str, float] = field(default_factory=dict)   # CPU seconds per pandas stage
    streamed: bool = False         # written while reading (jobs.stream), not after every read
    rewritten: int = 0             # written twice: a sheet read later changed their cap verdict
    state_warning: str | None = None   # the state store was damaged and restored
    interrupted: str | None = None     # "interrupted after 12 of 30 students"
    digests: int = 0               # weekly digests sent (or written as .eml) tonight
    calendars: int = 0             # students' .ics calendars written
    beyond_error: str | None = None    # a digest or calendar that could not be done
    refused: str | None = None     # most students failed for one cause: nothing was published

    def count(self, status: str) -> int:
        return sum(1 for s in self.students if s.status == status)

    @property
    def ok(self) -> bool:
        return self.count("failed") == 0 and not self.master_error and not self.refused

    def to_dict(self, compact: bool = False) -> dict:
        """The report as data. `compact` (what is stored every night) leaves out how each
        column was understood and keeps at most 20 unparsed cells per student."""
        d = asdict(self)
        d["counts"] = {s: self.count(s) for s in ("ok", "skipped", "failed")}
        if compact:
            for s in d["students"]:
                s.pop("understood", None)
                s.pop("fields", None)
                s["unparsed"] = s["unparsed"][:20]
            d.pop("plans", None)
        return d

    def summary(self) -> dict:
        """The few figures the master's Runs tab shows, kept apart so that reading a year
        of runs does not mean parsing a year of full reports."""
        return {"kind": "master" if self.students_written is False else "nightly",
                "run_id": self.run_id, "started": self.started, "judged_on": self.judged_on,
                "counts": {s: self.count(s) for s in ("ok", "skipped", "failed")},
                "lia_secured": self.lia_secured,
                "api_calls": {k: self.api_calls.get(k, 0) for k in ("reads", "writes")},
                "students": [{"id": s.id, "status": s.status, "message": s.message, "problem": s.problem}
                             for s in self.students if s.status == "failed"],
                "interrupted": self.interrupted, "state_warning": self.state_warning,
                "refused": self.refused}

    def to_json(self) -> str:
        return json.dumps(self.to_dict(compact=True), ensure_ascii=False, indent=2, default=str)

    def table(self) -> str:
        """One screen for a person: a line per student, then the totals."""
        lines = [f"{'student':<24} {'status':<8} {'leads':>5} {'flags':>5} {'written':>7}  note"]
        for s in self.students:
            lines.append(f"{s.name[:24]:<24} {s.status:<8} {s.leads:>5} {s.flags:>5} "
                         f"{s.cells_written:>7}  {s.message}")
        lines.append(f"students: {self.count('ok')} ok, {self.count('skipped')} skipped, "
                     f"{self.count('failed')} failed; judged as of {self.judged_on}"
                     + (" (dry run: nothing written)" if self.dry_run else ""))
        if self.interrupted:
            lines.append(f"INTERRUPTED: {self.interrupted}")
        if self.refused:
            lines.append(f"NOTHING PUBLISHED: {self.refused}")
        if self.state_warning:
            lines.append(f"warning: {self.state_warning}")
        if self.master:
            lines.append(f"master: {self.master}")
        if self.master_error:
            lines.append(f"master FAILED: {self.master_error}")
        if self.saved_to:
            lines.append(f"report: {self.saved_to}")
        return "\n".join(lines)
