"""The run report: per student what was read, flagged and written, and every error."""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field


# kinds of trouble with a sheet, so staff and students get words, not an error's text
PROBLEMS = ("not_found", "not_shared", "no_tab", "busy", "changing", "quota", "credentials",
            "unreadable", "internal", "stopped")


# what a run was, kept with it: only a whole-cohort night is tonight's for `serve`; a run
# for a few students (`run --student`, `watch`) or of the master alone never replaces it
NIGHT, STUDENT, WATCH, MASTER = "night", "student", "watch", "master"
WHOLE_NIGHTS = (NIGHT, "nightly")       # "nightly": a run kept before runs had kinds
LISTED_KINDS = (*WHOLE_NIGHTS, STUDENT, WATCH, MASTER)     # the master's Runs tab


def run_kind(asked: str | None, write_students: bool, only) -> str:
    """The kind of a run: as its caller names it (`watch`), else by what it does."""
    if asked:
        return asked
    if not write_students:
        return MASTER
    return STUDENT if only is not None else NIGHT


def problem_of(error: BaseException) -> str:
    from sheetsync.errors import (CredentialsError, QuotaExceeded, SheetBusy, SheetNotFound,
                                  SheetNotShared, SheetsyncError)
    for kind, problem in ((SheetNotFound, "not_found"), (SheetNotShared, "not_shared"),
                          (SheetBusy, "busy"), (QuotaExceeded, "quota"),
                          (CredentialsError, "credentials"), (SheetsyncError, "unreadable")):
        if isinstance(error, kind):
            return problem
    return "internal"


# a contact's own data (GDPR minimisation): a stored report names the cell to fix, not what it holds
_CONTACT_VALUE = re.compile(r"^(.*!\S+ (?:phone|email|contact_name|linkedin)) .*$", re.S)


def _without_contact_value(unparsed: str) -> str:
    return _CONTACT_VALUE.sub(r"\1 (value not kept)", unparsed)


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
    streamed: bool = False         # written while reading (jobs.night.stream), not after every read
    rewritten: int = 0             # written twice: a sheet read later changed their cap verdict
    state_warning: str | None = None   # the state store was damaged and restored
    interrupted: str | None = None     # "interrupted after 12 of 30 students"
    digests: int = 0               # weekly digests sent (or written as .eml) tonight
    digests_refused: list[dict] = field(default_factory=list)   # id, name, address, answer (code + text)
    digests_not_sent: int = 0      # due tonight, not sent (no time left, the server unreachable, a 4xx)
    undelivered: list[str] = field(default_factory=list)   # what did not go out tonight, and why
    calendars: int = 0             # students' .ics calendars written
    beyond_error: str | None = None    # a digest or calendar that could not be done
    refused: str | None = None     # most students failed for one cause: nothing was published
    kind: str = ""                 # night / student / watch / master (run_kind); "" = by the flags
    pruned: dict[str, int] = field(default_factory=dict)   # past retention, deleted tonight

    @property
    def run_kind(self) -> str:
        return self.kind or run_kind(None, self.students_written, None)

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
        d["kind"] = self.run_kind
        if compact:
            for s in d["students"]:
                s.pop("understood", None)
                s.pop("fields", None)
                s["unparsed"] = [_without_contact_value(u) for u in s["unparsed"][:20]]
            d.pop("plans", None)
        return d

    def summary(self) -> dict:
        """The few figures the master's Runs tab shows, kept apart so that reading a year
        of runs does not mean parsing a year of full reports."""
        return {"kind": self.run_kind,
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
                     + ("" if self.run_kind == NIGHT
                        else f" ({_KIND_WORDS.get(self.run_kind, self.run_kind)})")
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
        if any(self.pruned.values()):
            lines.append("retention: deleted " + ", ".join(f"{n} {kind.replace('_', ' ')}"
                                                         for kind, n in self.pruned.items() if n))
        if self.digests or self.digests_refused or self.digests_not_sent:
            lines.append(f"digests: {self.digests} sent, {len(self.digests_refused)} refused,"
                         f" {self.digests_not_sent} not sent")
        lines += [f"not delivered: {u}" for u in self.undelivered]
        if self.saved_to:
            lines.append(f"report: {self.saved_to}")
        return "\n".join(lines)


_KIND_WORDS = {STUDENT: "a run for some students: not tonight's night",
               WATCH: "a watch run for the sheets just changed: not tonight's night",
               MASTER: "the master only"}
