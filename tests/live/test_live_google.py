"""The Google-path flow against real Google, for a school to check the fake's promises
against its own account. Skipped unless both are set:

    SHEETSYNC_LIVE_CREDENTIALS=/path/to/service-account.json
    SHEETSYNC_LIVE_FOLDER=<id of a Drive folder shared with that service account>

It creates two spreadsheets in the folder, runs the nightly job twice, checks what the
fake tests check, and deletes what it created.
"""
import os

import pytest

from jobs.nightly import run_nightly
from sheetsync import load_config
from sheetsync.backends.google import DRIVE_FILES, GoogleBackend
from tests.conftest import NOW

CREDENTIALS = os.environ.get("SHEETSYNC_LIVE_CREDENTIALS")
FOLDER = os.environ.get("SHEETSYNC_LIVE_FOLDER")
pytestmark = pytest.mark.skipif(not (CREDENTIALS and FOLDER),
                                reason="set SHEETSYNC_LIVE_CREDENTIALS and SHEETSYNC_LIVE_FOLDER")

CRM = [["Företag", "Kontaktperson", "Telefon", "Status", "Kommentar"],
       ["Volvo AB", "Anna", "070-123 45 67", "ringt 1 ggr", "tror de kanske anställer"],
       ["AB Volvo", "Bo", "070-765 43 21", "blå?", '=IMPORTRANGE("x","y")']]


def test_the_nightly_flow_against_real_google(tmp_path):
    (tmp_path / "sheetsync.toml").write_text(
        f'[backend]\nkind = "google"\ncredentials = "{CREDENTIALS}"\n[state]\npath = "s.db"\n',
        encoding="utf-8")
    config = load_config(tmp_path / "sheetsync.toml")
    backend = GoogleBackend(config)
    http = backend.http
    created = []
    try:
        for name in ("sheetsync live test CRM", "sheetsync live test master"):
            reply = http.request("post", DRIVE_FILES, params={"supportsAllDrives": True}, json={
                "name": name, "mimeType": "application/vnd.google-apps.spreadsheet",
                "parents": [FOLDER]}).json()
            created.append(reply["id"])
        crm, master = created
        http.values_update(crm, "Sheet1!A1", params={"valueInputOption": "RAW"}, body={"values": CRM})
        config.master["sheet"] = master
        from sheetsync.config import Student
        config.students = [Student(id="live", name="Live Test", sheet=crm)]
        first = run_nightly(config, now=NOW, backend=GoogleBackend(config))
        assert first.ok, first.table()
        assert first.api_calls["reads"] == 2 and first.api_calls["writes"] == 2   # student + master
        rows = http.values_get(crm, "Sheet1", params={"valueRenderOption": "FORMULA"})["values"]
        assert rows[0][5:8] == ["⚑ Flaggor", "⚑ Läge", "⚑ Nästa steg"]
        assert "CL05" in rows[1][5] and "DD01" in rows[2][5]
        assert rows[2][4] == '=IMPORTRANGE("x","y")' and not rows[2][4].startswith("'")
        cell = http.fetch_sheet_metadata(crm, params={
            "ranges": "Sheet1!E3", "fields": "sheets(data(rowData(values(userEnteredValue))))"})
        assert "stringValue" in cell["sheets"][0]["data"][0]["rowData"][0]["values"][0]["userEnteredValue"]
        second = run_nightly(config, now=NOW, backend=GoogleBackend(config))
        assert second.unchanged == 1 and second.students[0].cells_written == 0
    finally:
        for sid in created:
            http.request("delete", f"{DRIVE_FILES}/{sid}", params={"supportsAllDrives": True})
