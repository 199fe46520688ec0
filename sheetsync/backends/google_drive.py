"""The Google backend's Drive side beyond the file listing: the changes feed that
`sheetsync watch` polls, and private files (a student's calendar) shared with one
person. Every call goes through the backend's `_call` (Drive's quota, retries)."""
from __future__ import annotations

import json
import uuid

from sheetsync.errors import SheetNotFound

DRIVE_FILES = "https://www.googleapis.com/drive/v3/files"
DRIVE_UPLOAD = "https://www.googleapis.com/upload/drive/v3/files"
DRIVE_CHANGES = "https://www.googleapis.com/drive/v3/changes"
SHEET_MIME = "application/vnd.google-apps.spreadsheet"


class DriveFeedAndFiles:
    """Mixed into GoogleBackend (which gives `http` and `_call`)."""

    def changes_token(self) -> str:
        """Drive's changes feed, from now on (Drive quota: it costs no Sheets read)."""
        reply = self._call("drive", lambda: self.http.request(
            "get", f"{DRIVE_CHANGES}/startPageToken", params={"supportsAllDrives": True}).json(),
            None, "drive")
        return str(reply["startPageToken"])

    def changed_since(self, token: str) -> tuple[set[str], str]:
        """The spreadsheets someone other than the service changed (our own writes are in
        the feed too: lastModifyingUser.me tells them apart), and the next token."""
        changed: set[str] = set()
        while True:
            params = {"pageToken": token, "pageSize": 1000, "supportsAllDrives": True,
                      "includeItemsFromAllDrives": True, "includeRemoved": False,
                      "fields": "nextPageToken,newStartPageToken,"
                                "changes(fileId,removed,file(mimeType,lastModifyingUser(me)))"}
            page = self._call("drive", lambda: self.http.request("get", DRIVE_CHANGES, params=params).json(),
                              None, "drive")
            for change in page.get("changes", []):
                file = change.get("file") or {}
                if change.get("removed") or file.get("mimeType", SHEET_MIME) != SHEET_MIME:
                    continue
                if not file.get("lastModifyingUser", {}).get("me", False):
                    changed.add(change["fileId"])
            if "newStartPageToken" in page:
                return changed, str(page["newStartPageToken"])
            token = page["nextPageToken"]

    def put_private_file(self, file_id: str | None, name: str, content: bytes, mime_type: str,
                         reader: str) -> str:
        """Create (or replace the content of) a Drive file that only the service account
        and `reader` can see; return its id. A file deleted meanwhile is made anew."""
        if file_id:
            try:
                self._call("drive", lambda: self.http.request(
                    "patch", f"{DRIVE_UPLOAD}/{file_id}", params={"uploadType": "media"}, data=content,
                    headers={"Content-Type": mime_type}).json(), None, file_id)
                return file_id
            except SheetNotFound:
                pass
        boundary = f"sheetsync-{uuid.uuid4().hex}"
        body = (f"--{boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n"
                f"{json.dumps({'name': name, 'mimeType': mime_type})}\r\n--{boundary}\r\n"
                f"Content-Type: {mime_type}\r\n\r\n").encode() + content + f"\r\n--{boundary}--".encode()
        made = self._call("drive", lambda: self.http.request(
            "post", DRIVE_UPLOAD, params={"uploadType": "multipart"}, data=body,
            headers={"Content-Type": f"multipart/related; boundary={boundary}"}).json(), None, name)
        self._call("drive", lambda: self.http.request(
            "post", f"{DRIVE_FILES}/{made['id']}/permissions", params={"sendNotificationEmail": False},
            json={"type": "user", "role": "reader", "emailAddress": reader}).json(), None, made["id"])
        return made["id"]

    def delete_file(self, file_id: str) -> None:
        """Delete a file the service made (a student's calendar, on erasure); one that is
        gone already is fine."""
        try:
            self._call("drive", lambda: self.http.request(
                "delete", f"{DRIVE_FILES}/{file_id}", params={"supportsAllDrives": True}), None, file_id)
        except SheetNotFound:
            pass
