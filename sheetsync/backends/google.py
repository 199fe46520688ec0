"""The Google Sheets backend: the only module that imports gspread.

One student's workbook is read in ONE call: a Drive export read by the local reader
(google_reading; Drive's quota) or one `spreadsheets.get` (every tab's properties and
displayed values, through a field mask). It is written in ONE call: a `:batchUpdate`
carrying the structure (a missing summary tab, our columns, marks and colours) and the
cells as `updateCells` stringValue, or, when no structure is needed, one
`values:batchUpdate` with valueInputOption=RAW; either way nothing a student typed can
become a formula anywhere. Google's errors become the project's own, naming the student,
the spreadsheet and the range. Who it acts as is google_credentials; the bodies of its
requests are google_requests; Drive's changes feed and private files google_drive; the
staff master google_master.
"""
from __future__ import annotations

import threading
import time

import gspread
import requests
from gspread.urls import SPREADSHEET_BATCH_UPDATE_URL
from google.auth.exceptions import GoogleAuthError, RefreshError, TransportError

from sheetsync.a1 import quote_sheet
from sheetsync.backends.base import Backend
from sheetsync.backends.google_drive import DriveFeedAndFiles
from sheetsync.backends.google_master import MasterWrites
from sheetsync.backends.google_reading import (  # noqa: F401  (spreadsheet_id: part of the API)
    READ_FIELDS, ExportReads, beyond_known_grid, spreadsheet_id, workbook_of)
from sheetsync.backends.google_credentials import (  # noqa: F401  (load_credentials: part of the API)
    first_line, identity_of, load_credentials)
from sheetsync.backends.google_requests import (RULES_FIELDS, cell_requests, column_range,
                                                marks_on_used_columns, new_tab_ids, ranges,
                                                shape_requests, taken_away, value_requests)
from sheetsync.backends import google_pool
from sheetsync.backends.google_pool import Member
from sheetsync.backends.ledger import LedgerLimiter, ledger_for, ledger_path
from sheetsync.backends.ratelimit import RateLimiter
from sheetsync.backends.deadline import bound
from sheetsync.backends.retry import backoff, is_retryable
from sheetsync.config import Config, Student
from sheetsync.errors import (BackendError, CredentialsError, QuotaExceeded, SheetChangedError,
                              SheetNotFound, SheetNotShared)
from sheetsync.workbook import Workbook
from sheetsync.writeback.plan import WritePlan

DRIVE_FILES = "https://www.googleapis.com/drive/v3/files"
EDITED_AFTER_US = "+edited"       # a version that matches no listing: read the sheet again

class GoogleBackend(ExportReads, DriveFeedAndFiles, MasterWrites, Backend):
    kind = "google"

    def __init__(self, config: Config, *, sleep=time.sleep, max_attempts: int = 6,
                 timeout: float = 60.0, clock=time.monotonic, limiter: RateLimiter | None = None):
        self.config = config
        self.sleep, self.clock, self.max_attempts = sleep, clock, max_attempts
        # one identity, or a pool of them (google_pool); each paced in the machine's ledger
        self.members = [google_pool.member(google_pool.credentials_of(config, entry, sleep), timeout)
                        for entry in google_pool.entries(config)]
        ledger, ledger_clock = ledger_for(clock, ledger_path(config.quota, config.resolve))
        for m in self.members:
            bound(m.http.session, config.quota["request_timeout_seconds"])   # the whole request, not a read
            if getattr(m.http.session, "_auth_request_session", None) is not None:
                # google-auth refreshes tokens through a session of its own: held to it too
                bound(m.http.session._auth_request_session, config.quota["request_timeout_seconds"])
            m.limiter = limiter or LedgerLimiter(
                ledger, config.quota, m.identity, google_pool.project_of(m.credentials, config.quota),
                clock=ledger_clock, sleep=sleep)
        self.limiter = self.members[0].limiter
        self._using = threading.local()        # the member the current call goes through
        self._member_of: dict[str, Member] = {}  # a student's member, once it could open the sheet
        self.read_via = config.quota["read_via"]
        self._calls = {"reads": 0, "writes": 0, "structural": 0, "drive": 0, "exports": 0,
                       "retries": 0, "http_429": 0}

    @property
    def http(self):
        return getattr(self._using, "member", self.members[0]).http

    @property
    def credentials(self):
        return getattr(self._using, "member", self.members[0]).credentials

    @property
    def calls(self) -> dict[str, int]:
        """Calls by kind, retries, 429s met, and whole seconds spent pacing for the quota."""
        limiters = {id(m.limiter): m.limiter for m in self.members}.values()
        return {**self._calls, "quota_wait_s": round(sum(lim.waited for lim in limiters))}

    def roster(self) -> list[Student]:
        return list(self.config.students)

    def link(self, student: Student) -> str:
        return f"https://docs.google.com/spreadsheets/d/{spreadsheet_id(student.sheet)}/edit"

    # ---- reading ------------------------------------------------------------------------
    def key(self, student: Student) -> str:
        return spreadsheet_id(student.sheet)

    def _drive_files(self, fields: str, page_size: int):
        """Every spreadsheet Drive shows the service account, page after page."""
        token = None
        while True:
            params = {"q": "mimeType='application/vnd.google-apps.spreadsheet' and trashed=false",
                      "pageSize": page_size, "supportsAllDrives": True,
                      "includeItemsFromAllDrives": True, "fields": f"nextPageToken,files({fields})"}
            if token:
                params["pageToken"] = token
            page = self._call("drive", lambda: self.http.request("get", DRIVE_FILES, params=params).json(),
                              None, "drive")
            yield from page.get("files", [])
            token = page.get("nextPageToken")
            if not token:
                return

    def versions(self) -> dict[str, str]:
        """Every visible spreadsheet's Drive version, from one paged files.list."""
        return {f["id"]: str(f.get("version", "")) for f in self._drive_files("id,version", 1000)}

    def read(self, student: Student, version: str | None = None) -> Workbook:
        """One Sheets call; the Drive version is taken first unless the run's listing gave it."""
        sid = spreadsheet_id(student.sheet)
        if version is None:
            try:
                version = self.version(sid, student.id)    # before the read: an edit after shows
            except SheetNotFound:     # Drive says 404 also when not shared: Sheets tells which
                version = None
        if self.read_via == "export":
            book = self._read_export(student, sid, version)
            if book is not None:
                return book
        meta = self._call("reads", lambda: self.http.fetch_sheet_metadata(
            sid, params={"fields": READ_FIELDS}), student.id, sid)
        book = workbook_of(meta, sid)
        book.version = version
        return book

    def version_now(self, student: Student) -> str | None:
        """The version after our own change. If Drive says someone else changed the file
        last (a student's edit slipped in right after ours), the version is marked so it
        never matches: the next write, or tomorrow's listing, then reads the sheet again."""
        try:
            return self.version(spreadsheet_id(student.sheet), student.id, ours=True)
        except BackendError:
            return None

    def version(self, sid: str, student: str | None, *, ours: bool = False) -> str:
        """Drive's `version` of the file: it grows with every change (Drive quota, not Sheets')."""
        fields = "version,modifiedTime" + (",lastModifyingUser(me)" if ours else "")
        reply = self._call("drive", lambda: self.http.request(
            "get", f"{DRIVE_FILES}/{sid}", params={"fields": fields,
                                                   "supportsAllDrives": True}).json(), student, sid)
        version = str(reply.get("version", ""))
        if ours and reply.get("lastModifyingUser", {}).get("me") is False:
            return version + EDITED_AFTER_US
        return version

    # ---- writing ------------------------------------------------------------------------
    @property
    def prepares_on_read(self) -> bool:
        """The first night's structure right after each Sheets read (the write quota works
        while the read quota reads). An export read has no sheet ids yet: its structure goes
        with the values, in the one call of the write phase."""
        return self.read_via != "export"

    def prepare(self, student: Student, shape: WritePlan, read: Workbook) -> Workbook:
        """The owned columns' marks and colours and the summary tab in one structural call
        made right after the read, so on a first night the write quota does it while the
        read quota is still reading. No cell is written here (headers and flags go with the
        values write, after its version check): Google returns the spreadsheet as it is
        just after the change, in the same call, and if it shows that the student typed
        into a column we just marked, that mark is taken back and the column left to them.
        Its Drive version is then what the write checks against."""
        if not shape:
            return read
        sid = spreadsheet_id(student.sheet)
        tab_ids = new_tab_ids(read, shape.new_tabs)
        first = self._taken_away(student, sid, shape)
        body = {"requests": first + shape_requests(shape.by_tab(), read, shape.new_tabs, shape.formats,
                                                 tab_ids, shape.marks, shape.looks, shape.new_columns,
                                                 shape.headings)
                + cell_requests(shape.writes, read),
                "includeSpreadsheetInResponse": True, "responseIncludeGridData": True}
        fields = ("replies(createDeveloperMetadata(developerMetadata(metadataId,metadataValue,location))),"
                  f"updatedSpreadsheet({READ_FIELDS})")
        try:
            reply = self._call("structural", lambda: self.http.request(
                "post", SPREADSHEET_BATCH_UPDATE_URL % sid, json=body,
                params={"fields": fields}).json(), student.id, sid, resend=not first)
        except BackendError as e:
            return self._after_lost_reply(e, student, shape)
        book = workbook_of(reply.get("updatedSpreadsheet", {}), sid)
        taken = marks_on_used_columns(reply.get("replies", []), book)
        if taken:
            self._structural(sid, [{"deleteDeveloperMetadata": {"dataFilter": {
                "developerMetadataLookup": {"metadataId": meta_id}}}} for meta_id, _, _ in taken],
                student.id)
            for _, title, kind in taken:
                book.tabs[title].marks.pop(kind, None)
        book.version = self.version_now(student)
        return book

    def _after_lost_reply(self, error: BackendError, student: Student, shape: WritePlan) -> Workbook:
        """A structural call retried after its reply was lost fails with "A sheet with the
        name ... already exists" because the first try was applied (a batchUpdate is
        applied whole or not at all). When the tab it adds is there with our mark, it was:
        the sheet as it now is. Anything else is a real error."""
        if "already exists" not in str(error):
            raise error
        sid = spreadsheet_id(student.sheet)          # a Sheets read: our marks are in it
        book = workbook_of(self._call("reads", lambda: self.http.fetch_sheet_metadata(
            sid, params={"fields": READ_FIELDS}), student.id, sid), sid)
        if not all(book.tab(t) is not None and book.tabs[t].ours for t in shape.new_tabs):
            raise error
        return book

    def write(self, student: Student, plan: WritePlan, read: Workbook, shaped: bool = False) -> int:
        """`shaped`: the grid sizes were just asked of Google (a write refused outside the
        grid we took from last night's snapshot is made once more after asking)."""
        if not plan:
            return 0
        sid = spreadsheet_id(student.sheet)
        if read.version and self.version(sid, student.id) != read.version:
            raise SheetChangedError("the sheet changed after it was read", student=student.id, sheet=sid)
        if beyond_known_grid(plan, read):    # the values API refuses cells outside the grid
            read = self._shaped(student, read)
        tab_ids = new_tab_ids(read, plan.new_tabs)
        plan.tab_ids = tab_ids                 # kept with the snapshot of what we left
        first = self._taken_away(student, sid, plan)
        requests_ = first + shape_requests(plan.by_tab(), read, plan.new_tabs, plan.formats,
                                           tab_ids, plan.marks, plan.looks, plan.new_columns)
        if requests_ and plan.headings:   # bold headings ride along; never a call of their own
            requests_ = first + shape_requests(plan.by_tab(), read, plan.new_tabs, plan.formats, tab_ids,
                                               plan.marks, plan.looks, plan.new_columns, plan.headings)
        values = value_requests(plan.writes, read, tab_ids) if requests_ else None
        if values is not None:            # structure and cells in one call: one write of quota
            requests_ += values
        try:
            self._structural(sid, requests_, student.id, resend=not first)
        except BackendError as e:
            if _outside_grid(e) and read.structure_known and not shaped:
                return self.write(student, plan, self._shaped(student, read), shaped=True)
            self._after_lost_reply(e, student, plan)
        if values is not None:
            return len(plan.writes)
        data = ranges(plan.writes)
        if data:
            self._call("writes", lambda: self.http.values_batch_update(
                sid, body={"valueInputOption": "RAW", "data": data}), student.id, sid,
                where=data[0]["range"] if len(data) == 1 else f"{len(data)} ranges")
        return len(plan.writes)

    # wrote_alone: no. Drive's version grows with every change, but by how much for one
    # values write is not documented, so a written sheet is read again the next night.


    def _structural(self, sid: str, requests_: list[dict], student: str | None, resend: bool = True) -> None:
        if requests_:
            self._call("structural", lambda: self.http.batch_update(sid, {"requests": requests_}),
                       student, sid, resend=resend)

    def _taken_away(self, student: Student, sid: str, plan: WritePlan) -> list[dict]:
        """What a plan that lays colours again takes away first (google_requests.taken_away),
        the rules' places asked of Google just before: a read, once a sheet in the life of
        a look (formats.LOOK_VERSION). A call holding these is never sent twice on a lost
        answer: a rule's index would then name another rule; the next night looks again."""
        if not (plan.relaid or plan.unmarks):
            return []
        rules = self._call("reads", lambda: self.http.fetch_sheet_metadata(
            sid, params={"fields": RULES_FIELDS}), student.id, sid)
        return taken_away(rules, plan.relaid, plan.unmarks)

    def create_crm(self, student: Student, spec, *, copy_of: str | None = None,
                   share_with: str | None = None) -> str:
        """Drive create (or copy of a staff template), one read for the sheet ids, one
        structural call (tabs, frozen header, dropdowns, date format), one RAW values
        write, and the student shared in as editor."""
        title = f"{student.name} – LIA CRM"
        if copy_of:
            src = spreadsheet_id(copy_of)
            sid = self._call("drive", lambda: self.http.request(
                "post", f"{DRIVE_FILES}/{src}/copy", params={"supportsAllDrives": True},
                json={"name": title}).json(), student.id, src)["id"]
        else:
            sid = self._call("drive", lambda: self.http.request(
                "post", DRIVE_FILES, params={"supportsAllDrives": True},
                json={"name": title, "mimeType": "application/vnd.google-apps.spreadsheet"}).json(),
                student.id, "new")["id"]
            meta = self._call("reads", lambda: self.http.fetch_sheet_metadata(
                sid, params={"fields": "sheets(properties(sheetId,title))"}), student.id, sid)
            first = meta["sheets"][0]["properties"]["sheetId"]
            titles = list(spec.tabs)
            ids = {t: (first if i == 0 else 100 + i) for i, t in enumerate(titles)}
            reqs = [{"updateSheetProperties": {"properties": {
                "sheetId": first, "title": titles[0],
                "gridProperties": {"frozenRowCount": spec.frozen.get(titles[0], 0)}},
                "fields": "title,gridProperties.frozenRowCount"}}]
            reqs += [{"addSheet": {"properties": {"sheetId": ids[t], "title": t, "gridProperties": {
                "frozenRowCount": spec.frozen.get(t, 0)}}}} for t in titles[1:]]
            for tab, col, options in spec.dropdowns:
                reqs.append({"setDataValidation": {"range": column_range(ids[tab], col), "rule": {
                    "condition": {"type": "ONE_OF_LIST", "values": [{"userEnteredValue": o} for o in options]},
                    "showCustomUi": True, "strict": False}}})
            for tab, col in spec.date_columns:
                reqs.append({"repeatCell": {"range": column_range(ids[tab], col), "cell": {
                    "userEnteredFormat": {"numberFormat": {"type": "DATE", "pattern": "yyyy-mm-dd"}}},
                    "fields": "userEnteredFormat.numberFormat"}})
            self._structural(sid, reqs, student.id)
            data = [{"range": f"{quote_sheet(t)}!A1", "values": rows} for t, rows in spec.tabs.items()]
            self._call("writes", lambda: self.http.values_batch_update(
                sid, body={"valueInputOption": "RAW", "data": data}), student.id, sid)
        if share_with:
            self._call("drive", lambda: self.http.insert_permission(
                sid, email_address=share_with, perm_type="user", role="writer", notify=True,
                email_message="Ditt LIA-CRM / your LIA CRM"), student.id, sid)
        return sid

    def list_spreadsheets(self) -> list[dict]:
        """Drive's list of spreadsheets shared with the service account."""
        files = []
        for f in self._drive_files("id,name,modifiedTime,owners(displayName,emailAddress)", 100):
            owner = (f.get("owners") or [{}])[0]
            files.append({"id": f["id"], "name": f.get("name", ""), "modified": f.get("modifiedTime", ""),
                          "owner": owner.get("displayName") or owner.get("emailAddress", "")})
        return files

    def top_of_first_tab(self, sid: str, rows: int = 25) -> list[list[str]]:
        """The first rows of the first tab (an A1 range without a tab name), one Sheets read:
        enough to tell whether a sheet reads as a CRM (`roster discover` under a sign-in)."""
        reply = self._call("reads", lambda: self.http.values_get(sid, f"A1:Z{rows}"), None, sid)
        return reply.get("values", [])

    def sharing_warnings(self, school_domain: str | None) -> list[str]:
        sheet = self.config.master.get("sheet")
        if not sheet:
            return []
        sid = spreadsheet_id(sheet)
        perms = self._call("drive", lambda: self.http.list_permissions(sid), None, sid)
        warnings = []
        for p in perms:
            kind, email, domain = p.get("type"), p.get("emailAddress", ""), p.get("domain", "")
            if kind == "anyone":
                warnings.append("the master is shared with anyone who has the link")
            elif kind == "domain" and domain != school_domain:
                warnings.append(f"the master is shared with everyone at {domain}")
            elif (kind in ("user", "group") and school_domain and email
                  and not email.endswith("@" + school_domain)
                  and not email.endswith(".gserviceaccount.com")):
                warnings.append(f"the master is shared with {email}, outside {school_domain}")
        return warnings

    # ---- every call goes through here ---------------------------------------------------
    def _call(self, kind: str, fn, student: str | None, sid: str, where: str | None = None,
              resend: bool = True):
        """Through the student's member of the pool. A member that cannot open the sheet
        (Sheets' 403, Drive's 404) hands it to the next for the rest of the night; when
        none can, the student fails alone with a message naming every member."""
        if student is None or len(self.members) == 1:
            return self._call_as(self._member_of.get(student, self.members[0]), kind, fn, student, sid,
                                 where, resend)
        refused, hidden = [], True
        for m in self._members_for(student):
            try:
                reply = self._call_as(m, kind, fn, student, sid, where, resend)
            except (SheetNotShared, SheetNotFound) as e:
                if isinstance(e, SheetNotFound) and kind not in ("drive", "exports"):
                    raise                                 # deleted, or a wrong id: no one can
                hidden = hidden and isinstance(e, SheetNotFound)   # Drive: 404 when not shared
                refused.append(m.identity)
                continue
            self._member_of[student] = m
            return reply
        error = SheetNotFound if hidden else SheetNotShared   # a Sheets call then tells which
        raise error(f"spreadsheet {'not found, or ' if hidden else ''}not shared with any identity"
                    f" of the pool (tried {', '.join(refused)}); share it with the pool's Google"
                    " Group (docs/google-setup.md)", student=student, sheet=sid, cell=where)

    def _members_for(self, student: str) -> list[Member]:
        """The student's member first (the one that opened the sheet tonight, else the
        stable hash's), then the others in pool order."""
        first = self._member_of.get(student) or \
            self.members[google_pool.stable_index(student, len(self.members))]
        return [first] + [m for m in self.members if m is not first]

    def identity_for(self, student: str) -> str:
        """The identity that reads and writes this student's sheet tonight: a night
        gives each identity workers of its own (jobs.night.context.side_by_side)."""
        return self._members_for(student)[0].identity

    def pool_access(self, students: list[Student]) -> list[tuple[str, Student, str]]:
        """(identity, student, why) for every member of the pool that cannot open a
        student's sheet (`sheetsync check`): one Drive metadata call per member and sheet."""
        refused = []
        for m in self.members:
            for s in students:
                sid = spreadsheet_id(s.sheet)
                try:
                    self._call_as(m, "drive", lambda: self.http.request(
                        "get", f"{DRIVE_FILES}/{sid}", params={"fields": "id",
                                                                "supportsAllDrives": True}).json(),
                        s.id, sid)
                except BackendError as e:
                    refused.append((m.identity, s, str(e)))
        return refused

    def _call_as(self, m: Member, kind: str, fn, student: str | None, sid: str, where: str | None = None,
                 resend: bool = True):
        """One call as member `m`, retried with backoff; `resend=False`: not sent again
        once it may have reached Google (its answer lost), for a call that must not apply twice."""
        self._using.member = m
        for attempt in range(self.max_attempts):
            m.limiter.acquire(kind)
            self._calls[kind] += 1
            try:
                return fn()
            except gspread.exceptions.APIError as e:
                status, error = _status_of(e)
                if status == 429:
                    self._calls["http_429"] += 1
                if is_retryable(status, error) and attempt + 1 < self.max_attempts:
                    self._calls["retries"] += 1
                    self.sleep(backoff(attempt))
                    continue
                raise self._translate(status, error, student, sid, where, kind) from None
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as e:
                if resend and attempt + 1 < self.max_attempts:
                    self._calls["retries"] += 1
                    self.sleep(backoff(attempt))
                    continue
                raise BackendError(f"Google did not answer ({type(e).__name__})", student=student,
                                   sheet=sid, cell=where, retryable=True) from None
            except RefreshError as e:
                if getattr(e, "retryable", False) and attempt + 1 < self.max_attempts:
                    self._calls["retries"] += 1          # the token endpoint had a bad minute
                    self.sleep(backoff(attempt))
                    continue
                if getattr(e, "retryable", False):
                    raise CredentialsError(f"Google's token endpoint kept failing: {first_line(e)}") from None
                if self.config.backend["credentials"] == "user":
                    from sheetsync.backends.google_user_login import refused_message
                    raise CredentialsError(refused_message(self.config, self.credentials, e)) from None
                raise CredentialsError(
                    "Google refused the service account's key (revoked, deleted or wrong"
                    f" project?): {first_line(e)}") from None
            except (TransportError, GoogleAuthError) as e:
                if attempt + 1 < self.max_attempts:
                    self._calls["retries"] += 1
                    self.sleep(backoff(attempt))
                    continue
                raise CredentialsError(f"could not get a token from Google: {first_line(e)}") from None
        raise AssertionError("unreachable")

    def _translate(self, status: int, error: dict, student, sid, where, kind="") -> BackendError:
        message = error.get("message", "")
        if status == 404 and kind == "drive":     # Drive hides what is not shared with us
            whom = "" if self.config.backend["credentials"] == "user" else "the service account "
            return SheetNotFound(f"spreadsheet not found, or no longer shared with {whom}"
                                 f"{identity_of(self.credentials)}",
                                 student=student, sheet=sid, cell=where)
        if status == 404:
            return SheetNotFound("spreadsheet not found (deleted, or a wrong id)",
                                 student=student, sheet=sid, cell=where)
        if status == 403 and ("SERVICE_DISABLED" in str(error) or "has not been used in project" in message):
            return BackendError(f"a Google API is not enabled in the Cloud project: {message.split('. ')[0]}"
                                " (docs/google-setup.md)", student=student, sheet=sid)
        if status == 403:
            whom = "" if self.config.backend["credentials"] == "user" else "the service account "
            return SheetNotShared(f"spreadsheet not shared with {whom}"
                                  f"{identity_of(self.credentials)}",
                                  student=student, sheet=sid, cell=where)
        if status == 429:
            return QuotaExceeded(f"Google's quota still exceeded after {self.max_attempts} tries:"
                                 f" {message}", student=student, sheet=sid, cell=where, retryable=True)
        if status == 401:
            return BackendError("Google did not accept the access token", student=student, sheet=sid)
        return BackendError(f"Google answered {status}: {message}", student=student, sheet=sid,
                            cell=where, retryable=status >= 500)


def _outside_grid(error: BackendError) -> bool:
    return "outside the grid" in str(error) or "exceeds grid limits" in str(error)


def _status_of(e: gspread.exceptions.APIError) -> tuple[int, dict]:
    error = e.error if isinstance(getattr(e, "error", None), dict) else {}
    status = getattr(e, "code", None)
    if not isinstance(status, int) or status < 0:
        status = getattr(getattr(e, "response", None), "status_code", -1)
    return status, error


# the master's read: its cells' notes (where the Sheet column keeps each link) and its
# columns' widths besides what every read takes
