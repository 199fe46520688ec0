"""FakeGoogle: an in-memory Sheets v4 + Drive v3 + OAuth2 token endpoint behind `responses`.

While active, every `requests` call to Google's hosts is answered here, so real gspread
and google-auth code runs unchanged. Reply shapes follow Google's recorded responses
(see shared/GOOGLE_API.md). It can be told to enforce Google's per-minute quotas, to add
latency, and to fail on purpose:

    with FakeGoogle() as google:
        sid = google.create_spreadsheet("Anna CRM", {"CRM": [["Företag"], ["Volvo AB"]]})
        google.credentials_file(tmp_path / "credentials.json")
        google.fail(503, times=2, path=sid)          # the next two calls on it get 503
        ... run code that uses gspread ...
        assert google.get_values(sid, "CRM") == [["Företag"], ["Volvo AB"]]
"""
from __future__ import annotations

import collections
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import requests
import responses

from sheetsync.testing import drive_files, sheets_api
from sheetsync.testing.drive_routes import DEFAULT_EMAIL, DriveQuota, DriveRoutes, Media
from sheetsync.testing.auth import TOKEN_URI, TokenError, new_token, service_account_info, verify_assertion
from sheetsync.testing.sheets_api import ApiError
from sheetsync.testing.user_auth import ABOUT, USER_GRANTS, UserSignIn, UserTokenError
from sheetsync.testing.store import CHANGES, Cell, Spreadsheet, raw_cell, user_entered_cell

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"
DRIVE = "https://www.googleapis.com/drive/v3/files"
DRIVE_CHANGES = "https://www.googleapis.com/drive/v3/changes"
ANY_CALLER = DEFAULT_EMAIL          # who a request is taken to come from with accept_any_token


@dataclass
class Call:
    method: str
    path: str            # decoded path, e.g. /v4/spreadsheets/ID/values/'CRM'!A1
    status: int
    kind: str            # read, write, drive, token
    query: str = ""
    at: float = 0.0      # the fake's clock when it was answered
    caller: str = ""     # the identity that made it (a service account's or a person's email)


@dataclass
class _Fault:
    status: int | str    # an HTTP status, or "reset" / "timeout" to raise from requests
    times: int
    method: str | None
    path: str | None
    kind: str | None


class FakeGoogle(UserSignIn, DriveRoutes):
    def __init__(self, *, quotas: bool = False, reads_per_minute_user: int = 60,
                 writes_per_minute_user: int = 60, per_minute_project: int = 300,
                 latency: float = 0.0, clock=time.monotonic, sleep=time.sleep,
                 accept_any_token: bool = False, drive_quota: DriveQuota | None = None):
        """`accept_any_token`: for test suites with dummy credentials (an unsigned JWT, a
        made-up bearer token, an API key): any request is answered as ANY_CALLER, and
        the token endpoint hands out a token for any grant."""
        self.accept_any_token = accept_any_token
        self.books: dict[str, Spreadsheet] = {}
        self.removed: dict[str, int] = {}        # deleted file id -> its place in the changes feed
        self.files: dict[str, drive_files.DriveFile] = {}   # Drive files that are not spreadsheets
        self.requests: list[Call] = []
        self.quotas = quotas
        self.drive_quota = drive_quota or DriveQuota()   # charged when `quotas` is on
        self.limits = {"read": reads_per_minute_user, "write": writes_per_minute_user}
        self.project_limit = per_minute_project
        self.latency, self.clock, self.sleep = latency, clock, sleep
        self._windows: dict[tuple, collections.deque] = collections.defaultdict(collections.deque)
        self._faults: list[_Fault] = []
        self._hooks: list[dict] = []
        self._tokens: dict[str, str] = {}
        self._emails: set[str] = set()
        self._revoked: set[str] = set()
        self._token_failures = 0
        self._caller = ""                 # the service account of the request being answered
        self._lock = threading.RLock()
        self._mock = responses.RequestsMock(assert_all_requests_are_fired=False)

    # ---- the context manager -------------------------------------------------------------
    def __enter__(self) -> "FakeGoogle":
        self._mock.start()
        for method in ("GET", "POST", "PUT", "DELETE", "PATCH"):
            for base in (SHEETS, DRIVE, DRIVE_CHANGES, "https://www.googleapis.com/upload/drive/v3/files",
                         "https://www.googleapis.com/upload/drive/v2/files"):
                self._mock.add_callback(method, re.compile(re.escape(base) + r".*"),
                                        callback=self._handle)
        self._mock.add_callback("POST", TOKEN_URI, callback=self._token)
        self._mock.add_callback("GET", ABOUT, callback=self._handle)      # who the caller is (user_auth)
        return self

    def __exit__(self, *exc) -> None:
        self._mock.stop()
        self._mock.reset()

    # ---- what tests and users of the fake call ---------------------------------------------
    def create_spreadsheet(self, title: str, tabs: dict[str, list[list]] | None = None, *,
                           shared: bool = True, owner: str = "student@school.example",
                           rows: int = 1000, cols: int = 26) -> str:
        """A spreadsheet as a person made it; values typed as text, numbers and dates."""
        sid = secrets.token_urlsafe(33)[:44].replace("-", "x").replace("_", "y")
        book = Spreadsheet(sid, title, [], owner=owner, shared_with_service=shared)
        for title_, grid in (tabs or {"Sheet1": []}).items():
            sheet = book.add_sheet(title_, max(rows, len(grid)),
                                   max(cols, max((len(r) for r in grid), default=0)))
            self._fill(sheet, grid, user_entered=False)
        self.books[sid] = book
        return sid

    def get_values(self, spreadsheet_id: str, tab: str) -> list[list[str]]:
        """What a person sees in the tab: displayed text, trailing blanks trimmed."""
        reply = sheets_api.read_values(self.books[spreadsheet_id], _quote(tab))
        return reply.get("values", [])

    def set_values(self, spreadsheet_id: str, tab: str, rows: list[list], *,
                   user_entered: bool = False) -> None:
        """A person's edit: the tab now holds exactly `rows`."""
        book = self.books[spreadsheet_id]
        sheet = book.sheet(tab) or book.add_sheet(tab)
        sheet.cells.clear()
        sheet.rows = max(sheet.rows, len(rows))
        sheet.cols = max(sheet.cols, max((len(r) for r in rows), default=0))
        self._fill(sheet, rows, user_entered)
        book.touch()

    def insert_rows(self, spreadsheet_id: str, tab: str, before_row: int, rows: list[list]) -> None:
        """A person inserts rows above `before_row` (1-based) and types into them, as the
        Sheets UI sends it: insertDimension, then the values (RAW)."""
        sheet = self.books[spreadsheet_id].sheet(tab)
        self.edit(spreadsheet_id, [{"insertDimension": {"range": {
            "sheetId": sheet.sheet_id, "dimension": "ROWS", "startIndex": before_row - 1,
            "endIndex": before_row - 1 + len(rows)}, "inheritFromBefore": before_row > 1}}])
        book = self.books[spreadsheet_id]
        sheets_api.write_values(book, f"{_quote(tab)}!A{before_row}", rows, "RAW")
        book.modified_by = ""

    def set_formula(self, spreadsheet_id: str, tab: str, row: int, col: int, formula: str,
                    shows: str = "") -> None:
        """A person types a formula into a cell (1-based); it displays `shows`."""
        book = self.books[spreadsheet_id]
        book.sheet(tab).cells[(row - 1, col - 1)] = Cell("formula", formula, shows)
        book.touch()

    def edit(self, spreadsheet_id: str, requests_: list[dict]) -> dict:
        """A person's edit in the browser, as the batchUpdate requests the Sheets UI sends
        (insertDimension, deleteDimension, updateCells, ...)."""
        book = self.books[spreadsheet_id]
        reply = sheets_api.batch_update(book, {"requests": requests_})
        book.modified_by = ""
        return reply

    def metadata(self, spreadsheet_id: str) -> list[dict]:
        """The spreadsheet's developer metadata, as stored."""
        return list(self.books[spreadsheet_id].metadata)

    def is_formula(self, spreadsheet_id: str, tab: str, row: int, col: int) -> bool:
        cell = self.books[spreadsheet_id].sheet(tab).cells.get((row - 1, col - 1))
        return bool(cell and cell.kind == "formula")

    def credentials_file(self, path, email: str = DEFAULT_EMAIL) -> Path:
        """Write a service-account JSON that google-auth accepts and this fake answers."""
        path = Path(path)
        path.write_text(json.dumps(service_account_info(email), indent=2), encoding="utf-8")
        self._emails.add(email)
        return path

    def revoke(self, email: str = DEFAULT_EMAIL) -> None:
        self._revoked.add(email)

    def unshare(self, spreadsheet_id: str, email: str | None = None) -> None:
        """Not shared with the service any more; with `email`, with that identity only
        (one member of a pool that the student left out)."""
        if email:
            self.books[spreadsheet_id].hidden_from.add(email)
            return
        self.books[spreadsheet_id].shared_with_service = False
        self.books[spreadsheet_id].change = next(CHANGES)     # Drive lists it as removed

    def delete(self, spreadsheet_id: str) -> None:
        if self.books.pop(spreadsheet_id, None) is not None:
            self.removed[spreadsheet_id] = next(CHANGES)

    def fail(self, status: int | str, *, times: int = 1, method: str | None = None,
             path: str | None = None, kind: str | None = None) -> None:
        """The next `times` matching calls fail with `status`, or 'reset' / 'timeout' (the
        request never arrives), or 'reset_after' (it is applied, then the reply is lost)."""
        self._faults.append(_Fault(status, times, method, path, kind))

    def before(self, action, *, method: str | None = None, path: str | None = None,
               kind: str | None = None, skip: int = 0, times: int = 1) -> None:
        """Run `action()` (a person's edit, say) just before a matching call is answered,
        after letting `skip` matching calls through."""
        self._hooks.append({"action": action, "method": method, "path": path, "kind": kind,
                            "skip": skip, "times": times})

    def fail_token(self, times: int = 1) -> None:
        self._token_failures += times

    def calls(self, kind: str | None = None, path: str | None = None) -> list[Call]:
        return [c for c in self.requests if (kind is None or c.kind == kind)
                and (path is None or path in c.path)]

    # ---- internals ------------------------------------------------------------------------
    @staticmethod
    def _fill(sheet, grid, user_entered: bool) -> None:
        parse = user_entered_cell if user_entered else raw_cell
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                cell = parse(value)
                if cell:
                    sheet.cells[(r, c)] = cell

    def _token(self, request):
        with self._lock:
            if self._token_failures:
                self._token_failures -= 1
                self.requests.append(Call("POST", "/token", 503, "token"))
                return 503, {}, json.dumps({"error": "internal_failure"})
            try:
                body = request.body if isinstance(request.body, str) else (request.body or b"").decode()
                form = {k: v[0] for k, v in parse_qs(body).items()}
                if form.get("grant_type") in USER_GRANTS and not self.accept_any_token:   # a person's sign-in
                    reply = self._user_grant(form, request.headers.get("Authorization", ""))
                    self.requests.append(Call("POST", "/token", 200, "token"))
                    return 200, {}, json.dumps(reply)
                if self.accept_any_token:
                    email = ANY_CALLER
                else:
                    email, _ = verify_assertion(body, self._emails, self._revoked)
            except UserTokenError as e:
                self.requests.append(Call("POST", "/token", e.status, "token"))
                return e.status, {}, json.dumps({"error": e.error, "error_description": e.description})
            except TokenError as e:
                self.requests.append(Call("POST", "/token", 400, "token"))
                error, _, desc = str(e).partition(": ")
                return 400, {}, json.dumps({"error": error, "error_description": desc})
            token = new_token()
            self._tokens[token] = email
            self.requests.append(Call("POST", "/token", 200, "token"))
            return 200, {}, json.dumps({"access_token": token, "expires_in": 3599,
                                        "token_type": "Bearer"})

    def _handle(self, request):
        url = urlsplit(request.url)
        path = unquote(url.path)
        params = parse_qs(url.query, keep_blank_values=True)
        kind = ("drive" if "/drive/" in path else
                "read" if request.method == "GET" else "write")
        if self.latency:
            self.sleep(self.latency)
        with self._lock:
            self._forget_bodies()
            self._run_hooks(request.method, path, kind)
            status, body = self._dispatch(request, path, params, kind)
            self.requests.append(Call(request.method, path, status, kind, url.query, self.clock(),
                                      self._caller))
        if isinstance(body, Media):          # a download or an export: the bytes themselves
            return status, {"Content-Type": body.mime_type}, body.content
        return status, {"Content-Type": "application/json; charset=UTF-8"}, json.dumps(body)

    def _forget_bodies(self) -> None:
        """`responses` keeps every request and reply it served, bodies included: at 1,000
        sheets that is hundreds of MiB that the real API never costs us. `requests` (our
        own log, without bodies) is what tests look at."""
        self._mock.calls.reset()
        for match in self._mock.registered():
            match.calls.reset()

    def _dispatch(self, request, path, params, kind) -> tuple[int, dict]:
        self._caller = ""
        try:
            fault = self._fault_for(request.method, path, kind)
            if fault == "reset_after":          # applied, then the connection drops
                self._dispatch_ok(request, path, params, kind)
                self.requests.append(Call(request.method, path, 0, kind))
                raise requests.exceptions.ConnectionError("Connection reset by peer (after write)")
            if fault is not None:
                if fault in ("reset", "timeout"):
                    self.requests.append(Call(request.method, path, 0, kind))
                    raise (requests.exceptions.ConnectionError("Connection reset by peer")
                           if fault == "reset" else requests.exceptions.ReadTimeout("timed out"))
                raise _fault_error(int(fault))
            return self._dispatch_ok(request, path, params, kind)
        except ApiError as e:
            return e.code, e.body()

    def _dispatch_ok(self, request, path, params, kind) -> tuple[int, dict]:
        email = self._authorised(request)
        self._caller = email
        if self.quotas and kind in ("read", "write"):
            self._take_quota(kind, email)
        elif self.quotas and kind == "drive":
            self.drive_quota.take(email, self.clock(), self.drive_quota.cost(request.method, path))
        self._caller = email
        if path.startswith("/upload/drive/"):          # bytes: media, or multipart/related
            raw = request.body if isinstance(request.body, bytes) else (request.body or "").encode()
            return 200, self._upload(request.method, path, params, raw,
                                     request.headers.get("Content-Type", ""))
        body = json.loads(request.body) if request.body else {}
        if "/drive/" in path:
            return 200, self._drive(request.method, path, params, body)
        return 200, self._sheets(request.method, path, params, body)

    def _run_hooks(self, method, path, kind) -> None:
        for hook in self._hooks:
            if hook["times"] > 0 and hook["method"] in (None, method) and \
                    (hook["path"] is None or hook["path"] in path) and hook["kind"] in (None, kind):
                if hook["skip"]:
                    hook["skip"] -= 1
                    continue
                hook["times"] -= 1
                hook["action"]()

    def _fault_for(self, method, path, kind):
        for f in self._faults:
            if f.times > 0 and (f.method in (None, method)) and (f.path is None or f.path in path) \
                    and (f.kind in (None, kind)):
                f.times -= 1
                return f.status
        return None

    def _authorised(self, request) -> str:
        auth = request.headers.get("Authorization", "")
        token = auth.removeprefix("Bearer ").strip()
        if self.accept_any_token:
            return self._tokens.get(token, ANY_CALLER)
        if token not in self._tokens or self._tokens[token] in self._revoked:
            raise ApiError(401, "UNAUTHENTICATED", "Request had invalid authentication credentials."
                           " Expected OAuth 2 access token, login cookie or other valid"
                           " authentication credential.")
        return self._tokens[token]

    def _take_quota(self, kind: str, email: str) -> None:
        now = self.clock()
        for key, limit in (((kind, email), self.limits[kind]), ((kind, "project"), self.project_limit)):
            window = self._windows[key]
            while window and now - window[0] >= 120:     # kept a while for callers behind in time
                window.popleft()
            # the calls of the minute up to now, whatever order they arrived in: on a
            # simulated clock with a timeline per thread (benchmarks) arrival order is not
            # time order, as it always is for Google
            if sum(1 for t in window if 0 <= now - t < 60) >= limit:
                raise _quota_error(kind, key[1] != "project")
        for key in ((kind, email), (kind, "project")):
            self._windows[key].append(now)

    def _book(self, sid: str, *, drive: bool = False) -> Spreadsheet:
        book = self.books.get(sid)
        if book is None:
            raise (ApiError(404, "NOT_FOUND", f"File not found: {sid}.") if drive
                   else ApiError(404, "NOT_FOUND", "Requested entity was not found."))
        if not book.shared_with_service or self._caller in book.hidden_from:
            raise (ApiError(404, "NOT_FOUND", f"File not found: {sid}.") if drive
                   else ApiError(403, "PERMISSION_DENIED", "The caller does not have permission"))
        return book

    def _sheets(self, method, path, params, body) -> dict:
        if path.rstrip("/") == "/v4/spreadsheets" and method == "POST":
            return self._create(body or {})
        m = re.match(r"^/v4/spreadsheets/([^/:]+)(.*)$", path)
        if not m:
            raise ApiError(404, "NOT_FOUND", "Requested entity was not found.")
        book = self._book(m[1])
        version = book.version
        try:
            return self._sheets_call(book, method, m[2], params, body)
        finally:
            if book.version != version:      # the change is the caller's
                book.modified_by = self._caller

    def _sheets_call(self, book, method, rest, params, body) -> dict:
        if rest == "" and method == "GET":
            return sheets_api.get_spreadsheet(book, params)
        if rest == ":batchUpdate" and method == "POST":
            return sheets_api.batch_update(book, body, params)
        if rest == "/values:batchGet" and method == "GET":
            return sheets_api.values_batch_get(book, params)
        if rest == "/values:batchUpdate" and method == "POST":
            option = body.get("valueInputOption", "")
            replies = [sheets_api.write_values(book, d["range"], sheets_api.as_rows(d), option)
                       for d in body.get("data", [])]
            return {"spreadsheetId": book.id,
                    "totalUpdatedRows": sum(r["updatedRows"] for r in replies),
                    "totalUpdatedColumns": max((r["updatedColumns"] for r in replies), default=0),
                    "totalUpdatedCells": sum(r["updatedCells"] for r in replies),
                    "totalUpdatedSheets": len({r["updatedRange"].rsplit("!", 1)[0] for r in replies}),
                    "responses": replies}
        if rest == "/values:batchClear" and method == "POST":
            return {"spreadsheetId": book.id,
                    "clearedRanges": [sheets_api.clear_values(book, r) for r in body.get("ranges", [])]}
        if rest == "/developerMetadata:search" and method == "POST":
            return sheets_api.search_developer_metadata(book, body)
        if rest == "/values:batchGetByDataFilter" and method == "POST":
            return sheets_api.batch_get_by_data_filter(book, body)
        copy_to = re.match(r"^/sheets/(\d+):copyTo$", rest)
        if copy_to and method == "POST":          # the new sheet is the caller's change there
            destination = self._book(body.get("destinationSpreadsheetId") or "")
            reply = sheets_api.copy_sheet_to(book, int(copy_to[1]), destination)
            destination.modified_by = self._caller
            return reply
        v = re.match(r"^/values/(.+?)(:append|:clear)?$", rest)
        if v:
            spec, action = v[1], v[2]
            if action == ":clear" and method == "POST":
                return {"spreadsheetId": book.id, "clearedRange": sheets_api.clear_values(book, spec)}
            option = params.get("valueInputOption", [""])[0]
            if action == ":append" and method == "POST":
                return sheets_api.append_values(book, spec, sheets_api.as_rows(body), option)
            if method == "GET":
                return sheets_api.values_get(book, spec, params)
            if method == "PUT":
                return sheets_api.write_values(book, spec, sheets_api.as_rows(body), option)
        raise ApiError(404, "NOT_FOUND", "Requested entity was not found.")

    def _create(self, body: dict) -> dict:
        """spreadsheets.create: the title and sheets asked for (one 'Sheet1' otherwise),
        owned by the caller; the reply is the new spreadsheet."""
        props = body.get("properties", {})
        sheets = body.get("sheets") or [{"properties": {"title": "Sheet1"}}]
        sid = self.create_spreadsheet(props.get("title", "Untitled spreadsheet"), {}, owner=self._caller or DEFAULT_EMAIL)
        book = self.books[sid]
        book.sheets.clear()
        for i, sheet in enumerate(sheets):
            p = sheet.get("properties", {})
            grid = p.get("gridProperties", {})
            book.add_sheet(p.get("title", f"Sheet{i + 1}"), grid.get("rowCount", 1000),
                           grid.get("columnCount", 26), p.get("sheetId", 0 if i == 0 else None))
        return sheets_api.spreadsheet_json(book, [], False)


def _quote(tab: str) -> str:
    return "'" + tab.replace("'", "''") + "'"


def _fault_error(status: int) -> ApiError:
    if status == 429:
        return _quota_error("read", True)
    names = {400: "INVALID_ARGUMENT", 403: "PERMISSION_DENIED", 404: "NOT_FOUND",
             408: "DEADLINE_EXCEEDED", 500: "INTERNAL", 502: "UNAVAILABLE", 503: "UNAVAILABLE",
             504: "DEADLINE_EXCEEDED"}
    messages = {500: "Internal error encountered.", 503: "The service is currently unavailable."}
    return ApiError(status, names.get(status, "UNKNOWN"), messages.get(status, f"Error {status}"))


def _quota_error(kind: str, per_user: bool) -> ApiError:
    metric = "Read requests" if kind == "read" else "Write requests"
    limit = f"{'Read' if kind == 'read' else 'Write'}RequestsPerMinute{'PerUser' if per_user else ''}"
    return ApiError(429, "RESOURCE_EXHAUSTED",
                    f"Quota exceeded for quota metric '{metric}' and limit '{metric} per minute"
                    f"{' per user' if per_user else ''}' of service 'sheets.googleapis.com' for"
                    " consumer 'project_number:000000000000'.",
                    [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                      "reason": "RATE_LIMIT_EXCEEDED", "domain": "googleapis.com",
                      "metadata": {"quota_metric": f"sheets.googleapis.com/{kind}_requests",
                                   "quota_limit": limit, "service": "sheets.googleapis.com"}}])
