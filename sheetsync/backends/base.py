"""The one interface both backends implement: roster, read, write, master."""
from __future__ import annotations

import json
import time
from abc import ABC, abstractmethod

from sheetsync.config import Student
from sheetsync.workbook import Workbook
from sheetsync.writeback.plan import WritePlan


class Backend(ABC):
    kind: str = ""

    @abstractmethod
    def roster(self) -> list[Student]:
        """The students to process, in a stable order."""

    @abstractmethod
    def read(self, student: Student, version: str | None = None) -> Workbook:
        """Every tab of the student's workbook, in one read. `version`: the file's version
        as listed at the start of the run, when the backend lists them."""

    def key(self, student: Student) -> str:
        """What `versions()` calls this student's file."""
        return student.id

    def versions(self) -> dict[str, str]:
        """Every file's version in one listing, to skip reading what has not changed;
        empty when the backend cannot list them cheaply."""
        return {}

    def changes_token(self) -> str:
        """Where the file listing stands now, for `changed_since` (`sheetsync watch`).
        By default the listing itself: every file's version."""
        return json.dumps(self.versions(), sort_keys=True)

    def changed_since(self, token: str) -> tuple[set[str], str]:
        """(keys of the files someone changed since `token`, the token to ask with next)."""
        before = json.loads(token) if token else {}
        now = self.versions()
        return {k for k, v in now.items() if before.get(k) != v}, json.dumps(now, sort_keys=True)

    def version_now(self, student: Student) -> str | None:
        """The file's version right now (after our own write)."""
        return None

    def wrote_alone(self, student: Student, checked: str | None, now: str | None) -> bool:
        """Did our last write to this sheet land with no one else's change between the
        version check (`checked`) and it (`now` is the version after)? When it cannot be
        told, no: the sheet is then read again the next night whatever Drive says."""
        return False

    prepares_on_read = False

    def complete(self, student: Student, read: Workbook) -> Workbook:
        """The workbook with everything a write plan needs (see Workbook.structure_known)."""
        return read

    def prepare(self, student: Student, shape: WritePlan, read: Workbook) -> Workbook:
        """Apply a plan's structure (writeback.sheet.plan_shape) right after the read and
        return the sheet as it then is. Only a backend that sets `prepares_on_read` (one
        whose structural calls cost quota the reads do not use) is asked."""
        return read

    @abstractmethod
    def write(self, student: Student, plan: WritePlan, read: Workbook) -> int:
        """Apply the plan (owned cells only); return the number of cells written.
        `read` is the snapshot the plan was made from, for the edit-in-between check."""

    @abstractmethod
    def write_master(self, tabs: dict[str, list[list]], charts=(), formats=(), looks=None,
                     links=None) -> str:
        """Replace the master's tabs (it is wholly owned), draw its charts (a list of
        jobs.master.charts.ChartSpec), colour it (FormatRules, set once), size its columns
        and wrap long text (`looks`: tab -> jobs.master.layout.TabLook) and put links on
        cells (`links`: tab -> {(row, col): link}, 1-based); return where it is (path or URL)."""

    def read_master(self) -> Workbook | None:
        """The master as it is (None when there is none yet), for rebuilding state."""
        return None

    @abstractmethod
    def link(self, student: Student) -> str:
        """Where staff open the student's sheet (a path or a URL)."""

    @abstractmethod
    def create_crm(self, student: Student, spec, *, copy_of: str | None = None,
                   share_with: str | None = None) -> str:
        """A new CRM for `student` from a TemplateSpec (or a copy of a staff template
        sheet), shared with the student as editor; returns its id or path."""

    @abstractmethod
    def list_spreadsheets(self) -> list[dict]:
        """Every spreadsheet the service can see: dicts with id, name, owner, modified."""

    def sharing_warnings(self, school_domain: str | None) -> list[str]:
        """Ways the master is shared more widely than staff need; none for local files."""
        return []

    def clock(self) -> float:
        """Seconds on the clock the backend paces its calls by (the benchmark's is simulated)."""
        return time.monotonic()

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)

    @property
    def calls(self) -> dict[str, int]:
        """API calls made so far, by kind (reads, writes, structural, drive)."""
        return {}
