"""The fake's Drive v3 routes: files (spreadsheets and other files), uploads, downloads,
exports, permissions and the changes feed; and Drive's quota in quota units a minute
per user and per project. Mixed into FakeGoogle, which holds the files."""
from __future__ import annotations

import copy
import csv
import io
import re
import secrets
from collections import deque
from dataclasses import dataclass

from sheetsync.testing import drive_api, drive_files
from sheetsync.testing.sheets_api import ApiError
from sheetsync.testing.store import CHANGES

DEFAULT_EMAIL = "sheetsync@sheetsync-fake.iam.gserviceaccount.com"
# Drive's published limits (usage-limits page); its cost per method is not published, so a
# request costs one unit unless the fake is told otherwise (`drive_costs`)
DRIVE_UNITS_USER, DRIVE_UNITS_PROJECT = 325_000, 1_000_000


class DriveQuota:
    def __init__(self, per_user: int = DRIVE_UNITS_USER, per_project: int = DRIVE_UNITS_PROJECT,
                 costs: dict[str, int] | None = None):
        self.per_user, self.per_project, self.costs = per_user, per_project, costs or {}
        self.used = 0                              # units charged in all, for benchmarks
        self._windows: dict[str, deque] = {}

    def cost(self, method: str, path: str) -> int:
        verb = "export" if path.endswith("/export") else "changes" if "/changes" in path else \
            "upload" if path.startswith("/upload/") else method.lower()
        return self.costs.get(verb, 1)

    def take(self, who: str, now: float, units: int) -> None:
        for key, limit in ((who, self.per_user), ("project", self.per_project)):
            window = self._windows.setdefault(key, deque())
            while window and now - window[0][0] >= 60:
                window.popleft()
            if sum(u for _, u in window) + units > limit:
                raise drive_api.drive_error(403, "User rate limit exceeded.", "userRateLimitExceeded")
        for key in (who, "project"):
            self._windows[key].append((now, units))
        self.used += units


@dataclass
class Media:
    """A reply that is bytes, not JSON."""
    content: bytes
    mime_type: str


class DriveRoutes:
    def add_comment(self, file_id: str, content: str, author: str = "student@school.example",
                    quoted: str = "") -> dict:
        """A person's comment on a file (the Sheets UI's comment box), for comments.list."""
        comments = self.__dict__.setdefault("comments", {}).setdefault(file_id, [])
        name = author.split("@")[0].replace(".", " ").title()
        comment = {"kind": "drive#comment", "id": f"AAAA{len(comments) + 1:04d}", "content": content,
                   "htmlContent": content, "createdTime": "2026-05-11T09:00:00.000Z",
                   "modifiedTime": "2026-05-11T09:00:00.000Z", "resolved": False, "deleted": False,
                   "author": {"kind": "drive#user", "displayName": name, "me": False}, "replies": []}
        if quoted:
            comment["quotedFileContent"] = {"mimeType": "text/html", "value": quoted}
        comments.append(comment)
        return comment

    def _comments_of(self, file_id: str, params: dict) -> dict:
        """comments.list: Drive v3 requires a `fields` mask for it."""
        fields = params.get("fields", [""])[0]
        if not fields:
            raise drive_api.drive_error(400, "The 'fields' parameter is required for this method.",
                                        "required", "fields")
        comments = self.__dict__.get("comments", {}).get(file_id, [])
        inner = re.search(r"comments\((.*)\)", fields)
        names = set(re.findall(r"[A-Za-z]+", inner[1])) if inner else None
        shown = [c if names is None else {k: v for k, v in c.items() if k in names} for c in comments]
        return {"kind": "drive#commentList", "comments": shown}

    def _drive(self, method, path, params, body) -> dict:
        if path == "/drive/v3/about" and method == "GET":
            return self._about(params)             # user_auth
        if path == "/drive/v3/changes/startPageToken" and method == "GET":
            return drive_api.start_page_token()
        if path == "/drive/v3/changes" and method == "GET":
            return drive_api.list_changes(list(self.books.values()) + list(self.files.values()),
                                          self.removed, params, self._caller)
        m = re.match(r"^/(?:upload/)?drive/v3/files(?:/([^/]+))?(/permissions)?(?:/([^/]+))?$", path)
        if not m:
            raise ApiError(404, "NOT_FOUND", "Not Found")
        fid, perms = m[1], m[2]
        if fid is None and method == "GET":
            return drive_api.list_files(list(self.books.values()) + list(self.files.values()), params)
        if fid is None and method == "POST":
            if body.get("mimeType") != drive_api.SHEET_MIME:
                raise ApiError(400, "INVALID_ARGUMENT", "Only spreadsheets are supported here.")
            sid = self.create_spreadsheet(body.get("name", "Untitled spreadsheet"),
                                          owner=DEFAULT_EMAIL)
            self.books[sid].parents = body.get("parents", [])
            return drive_api.file_json(self.books[sid])
        if fid in self.files:
            return self._drive_file(method, self.files[fid], perms, m[3], params, body)
        book = self._book(fid, drive=True)
        if m[3] == "export" and method == "GET":
            return Media(*drive_files.export(book, params.get("mimeType", [""])[0]))
        if method == "GET" and params.get("alt", [""])[0] == "media":
            raise drive_api.drive_error(403, "Only files with binary content can be downloaded. Use"
                                        " Export with Docs Editors files.", "fileNotDownloadable", "alt")
        if m[3] == "comments" and method == "GET":
            return self._comments_of(fid, params)
        if m[3] == "copy" and method == "POST":
            twin = copy.deepcopy(book)
            twin.id = secrets.token_urlsafe(33)[:44].replace("-", "x").replace("_", "y")
            twin.title = body.get("name", f"Copy of {book.title}")
            twin.owner, twin.permissions, twin.version = DEFAULT_EMAIL, [], 1
            self.books[twin.id] = twin
            return drive_api.file_json(twin)
        if perms and method == "GET":
            return {"kind": "drive#permissionList", "permissions": list(book.permissions)}
        if perms and method == "POST":
            return drive_api.add_permission(book, body)
        if method == "GET":
            return drive_api.get_file(book, params, self._caller)
        if method == "DELETE":
            del self.books[fid]
            self.removed[fid] = next(CHANGES)
            return {}
        raise ApiError(404, "NOT_FOUND", "Not Found")


    # ---- Drive files that are not spreadsheets (drive_files) -----------------------------
    def _upload(self, method, path, params, raw: bytes, content_type: str) -> dict:
        m = re.match(r"^/upload/drive/v[23]/files(?:/([^/]+))?$", path)
        if not m:
            raise ApiError(404, "NOT_FOUND", "Not Found")
        meta, media = drive_files.parse_upload(raw, content_type, params.get("uploadType", ["media"])[0])
        if m[1] in self.books and method in ("PATCH", "PUT"):
            return self._import_csv(self._book(m[1], drive=True), media, content_type)
        if m[1] is None and method == "POST":
            mime = meta.get("mimeType") or content_type.split(";")[0] or "application/octet-stream"
            file = drive_files.DriveFile(drive_files.new_id(), meta.get("name", "Untitled"), mime, media,
                                         owner=self._caller or DEFAULT_EMAIL, parents=meta.get("parents", []),
                                         modified_by=self._caller)
            self.files[file.id] = file
            return drive_api.file_json(file, self._caller)
        file = self.files.get(m[1])
        if file is None or method not in ("PATCH", "PUT"):
            raise drive_api.drive_error(404, f"File not found: {m[1]}.", "notFound", "fileId")
        file.replace(media, self._caller)
        if "name" in meta:
            file.name = meta["name"]
        return drive_api.file_json(file, self._caller)

    def _import_csv(self, book, media: bytes, content_type: str) -> dict:
        """CSV uploaded onto a spreadsheet (gspread's import_csv: Drive v2, convert=True):
        the other sheets go, the first one holds the rows, parsed as if typed."""
        if not content_type.startswith("text/csv"):
            raise drive_api.drive_error(400, "The uploaded content cannot be converted to a spreadsheet.",
                                        "badContent", "media")
        rows = list(csv.reader(io.StringIO(media.decode("utf-8-sig"))))
        first = book.sheets[0]
        book.sheets[1:] = []
        for layer in first.layers():
            layer.clear()
        first.rows, first.cols = max(first.rows, len(rows)), max(first.cols, max(map(len, rows), default=0))
        self._fill(first, rows, user_entered=True)
        book.touch()
        book.modified_by = self._caller
        return {"kind": "drive#file", **drive_api.file_json(book, self._caller)}

    def _drive_file(self, method, file, perms, verb, params, body) -> dict:
        if perms and method == "GET":
            return {"kind": "drive#permissionList", "permissions": list(file.permissions)}
        if perms and method == "POST":
            return drive_api.add_permission(file, body)
        if perms and method == "DELETE" and verb:
            file.permissions = [p for p in file.permissions if p["id"] != verb]
            return {}
        if method == "GET" and params.get("alt", [""])[0] == "media":
            return Media(file.content, file.mime_type)
        if method == "GET":
            return drive_api.get_file(file, params, self._caller)
        if method == "PATCH":
            file.name = body.get("name", file.name)
            return drive_api.file_json(file, self._caller)
        if method == "DELETE":
            del self.files[file.id]
            self.removed[file.id] = next(CHANGES)
            return {}
        raise ApiError(404, "NOT_FOUND", "Not Found")
