"""The Drive v3 endpoints of the fake: files create/list/get/delete, permissions."""
from __future__ import annotations

import re

from sheetsync.testing.sheets_api import ApiError
from sheetsync.testing.store import Spreadsheet

SHEET_MIME = "application/vnd.google-apps.spreadsheet"


def file_json(book: Spreadsheet, caller: str = "") -> dict:
    """A file as Drive shows it to `caller` (lastModifyingUser.me: the caller changed it last)."""
    last = book.modified_by or book.owner
    return {"kind": "drive#file", "id": book.id, "name": book.title, "mimeType": SHEET_MIME,
            "version": str(book.version),
            "createdTime": "2026-01-01T00:00:00.000Z",
            "modifiedTime": book.modified.strftime("%Y-%m-%dT%H:%M:%S.") +
            f"{book.modified.microsecond // 1000:03d}Z",
            "owners": [{"emailAddress": book.owner,
                        "displayName": book.owner.split("@")[0].replace(".", " ").title()}],
            "lastModifyingUser": {"kind": "drive#user", "emailAddress": last, "me": last == caller,
                                  "displayName": last.split("@")[0].replace(".", " ").title()}}


def _fields(record: dict, fields: str | None) -> dict:
    if not fields or fields == "*":
        return record
    names = set(re.findall(r"[A-Za-z]+", fields))
    return {k: v for k, v in record.items() if k in names}


def list_files(books: list[Spreadsheet], params: dict) -> dict:
    """`q` forms gspread sends: mimeType, name = '…', and the fields/page parameters."""
    q = params.get("q", [""])[0]
    found = [b for b in books if b.shared_with_service]
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
