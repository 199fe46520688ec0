"""The Drive v3 endpoints of the fake: files create/list/get/delete, permissions."""
from __future__ import annotations

import re

from sheetsync.testing.sheets_api import ApiError
from sheetsync.testing.store import Spreadsheet

SHEET_MIME = "application/vnd.google-apps.spreadsheet"


def file_json(book: Spreadsheet, caller: str = "") -> dict:
    """A file as Drive shows it to `caller` (lastModifyingUser.me: the caller changed it last)."""
    last = book.modified_by or book.owner
    return {"kind": "drive#file", "id": book.id, "name": book.title,
            "mimeType": getattr(book, "mime_type", SHEET_MIME),
            "version": str(book.version),
            "createdTime": "2026-01-01T00:00:00.000Z",
            "modifiedTime": book.modified.strftime("%Y-%m-%dT%H:%M:%S.") +
            f"{book.modified.microsecond // 1000:03d}Z",
            "owners": [{"emailAddress": book.owner,
                        "displayName": book.owner.split("@")[0].replace(".", " ").title()}],
            "lastModifyingUser": {"kind": "drive#user", "emailAddress": last, "me": last == caller,
                                  "displayName": last.split("@")[0].replace(".", " ").title()},
            **({"size": str(len(book.content))} if hasattr(book, "content") else {})}


def _fields(record: dict, fields: str | None) -> dict:
    if not fields or fields == "*":
        return record
    names = set(re.findall(r"[A-Za-z]+", fields))
    return {k: v for k, v in record.items() if k in names}


def list_files(books: list[Spreadsheet], params: dict) -> dict:
    """`q` forms gspread sends: mimeType, name = '…', and the fields/page parameters."""
    q = params.get("q", [""])[0]
    found = [b for b in books if b.shared_with_service]
    m = re.search(r"""mimeType\s*=\s*["'](.*?)["']""", q)
    if m:
        found = [b for b in found if getattr(b, "mime_type", SHEET_MIME) == m[1]]
    m = re.search(r"""name\s*=\s*["'](.*?)["']""", q)
    if m:
        found = [b for b in found if b.title == m[1]]
    m = re.search(r"""["'](.*?)["']\s+in\s+parents""", q)
    if m:
        found = [b for b in found if m[1] in getattr(b, "parents", [])]
    found.sort(key=lambda b: b.modified, reverse=True)
    size = int(params.get("pageSize", ["100"])[0])
    start = int(params.get("pageToken", ["0"])[0] or 0)
    page = found[start:start + size]
    fields = params.get("fields", [""])[0]
    inner = re.search(r"files\((.*?)\)", fields)
    reply = {"kind": "drive#fileList",
             "files": [_fields(file_json(b), inner[1] if inner else None) for b in page]}
    if start + size < len(found):
        reply["nextPageToken"] = str(start + size)
    return reply


def get_file(book: Spreadsheet, params: dict, caller: str = "") -> dict:
    return _fields(file_json(book, caller), params.get("fields", [None])[0])


def add_permission(book: Spreadsheet, body: dict) -> dict:
    perm = {"kind": "drive#permission", "id": str(len(book.permissions) + 1),
            "type": body.get("type", "user"), "role": body.get("role", "reader")}
    if "emailAddress" in body:
        perm["emailAddress"] = body["emailAddress"]
    if "domain" in body:
        perm["domain"] = body["domain"]
    if perm["type"] == "anyone":
        perm["allowFileDiscovery"] = body.get("allowFileDiscovery", False)
    if perm["type"] not in ("user", "group", "domain", "anyone"):
        raise ApiError(400, "INVALID_ARGUMENT", f"Invalid permission type: {perm['type']}")
    book.permissions.append(perm)
    return perm


class DriveError(ApiError):
    """Drive v3's error body: the old `errors` list beside code and message."""

    def __init__(self, code: int, message: str, reason: str, location: str | None = None):
        super().__init__(code, "", message)
        self.reason, self.location = reason, location

    def body(self) -> dict:
        item = {"domain": "global", "reason": self.reason, "message": self.message}
        if self.location:
            item |= {"locationType": "parameter", "location": self.location}
        return {"error": {"code": self.code, "message": self.message, "errors": [item]}}


def drive_error(code: int, message: str, reason: str, location: str | None = None) -> DriveError:
    return DriveError(code, message, reason, location)


def start_page_token() -> dict:
    """changes.getStartPageToken: where the feed stands now (changes after it are listed)."""
    from sheetsync.testing.store import CHANGES
    return {"kind": "drive#startPageToken", "startPageToken": str(next(CHANGES))}


def list_changes(books: list[Spreadsheet], removed: dict[str, int], params: dict,
                 caller: str = "") -> dict:
    """changes.list: every file changed at or after `pageToken`, once, at its latest
    change, oldest first; a file deleted or no longer shared shows as removed."""
    token = params.get("pageToken", [""])[0]
    if not token.isdigit():
        raise (drive_error(400, "Invalid Value", "invalid", "pageToken") if token
               else drive_error(400, "Required parameter: pageToken", "required", "pageToken"))
    size = int(params.get("pageSize", ["100"])[0])
    if not 1 <= size <= 1000:
        raise drive_error(400, f"Invalid value '{size}'. Values must be within the range: [1, 1000]",
                          "invalid", "pageSize")
    with_removed = params.get("includeRemoved", ["true"])[0].lower() != "false"
    feed = [(b.change, b.id, b) for b in books if b.change >= int(token)]
    feed += [(at, fid, None) for fid, at in removed.items() if at >= int(token)]
    feed.sort(key=lambda item: item[0])
    changes = []
    for at, fid, book in feed:
        gone = book is None or not book.shared_with_service
        if gone and not with_removed:
            continue
        change = {"kind": "drive#change", "changeType": "file", "removed": gone, "fileId": fid,
                  "time": file_json(book)["modifiedTime"] if book else "2026-01-01T00:00:00.000Z"}
        if not gone:
            change["file"] = file_json(book, caller)
        changes.append((at, change))
    page, rest = changes[:size], changes[size:]
    from sheetsync.testing.store import CHANGES
    reply = {"kind": "drive#changeList", "changes": [_change_fields(c, params) for _, c in page]}
    if rest:
        reply["nextPageToken"] = str(rest[0][0])
    else:
        reply["newStartPageToken"] = str(next(CHANGES))
    return reply


def _change_fields(change: dict, params: dict) -> dict:
    fields = params.get("fields", [""])[0]
    inner = re.search(r"changes\((.*)\)", fields)
    if not inner:
        return change
    names = set(re.findall(r"[A-Za-z]+", inner[1]))
    out = {k: v for k, v in change.items() if k in names}
    if "file" in out and re.search(r"file\(", inner[1]):
        out["file"] = {k: v for k, v in out["file"].items() if k in names}
    return out
