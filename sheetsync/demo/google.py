"""The demo cohort uploaded into FakeGoogle, with a config pointing at it.

Used by `sheetsync demo --backend google-fake` so a newcomer can watch the real Google
code path (gspread, google-auth, the token exchange) work without an account, and by
the tests of that path.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from sheetsync.config import Config, load_config
from sheetsync.demo.cohort import DemoCohort


def _typed(value):
    """A date cell shows in Google as its date text."""
    return value.date().isoformat() if isinstance(value, dt.datetime) else value


def upload_cohort(google, cohort: DemoCohort, folder: Path,
                  language: str = "sv") -> tuple[Config, dict[str, str], str]:
    """Create every student's spreadsheet and a master in the fake; write the config.
    Returns (config, student id -> spreadsheet id, master spreadsheet id)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    sheets = {s.id: google.create_spreadsheet(
        f"{s.name} CRM", {"CRM": [[_typed(v) for v in row] for row in s.rows]})
        for s in cohort.students}
    master = google.create_spreadsheet("Master", {"Sheet1": []}, owner="staff@school.example")
    google.credentials_file(folder / "credentials.json")
    lines = ["[cohort]", 'name = "Demo"', f'language = "{language}"', "[calendar]",
             f"year = {cohort.today.year}", "[backend]", 'kind = "google"',
             'credentials = "credentials.json"', "[master]", f'sheet = "{master}"',
             "[state]", 'path = ".sheetsync/state.db"']
    for s in cohort.students:
        lines += ["[[students]]", f'id = "{s.id}"', f'name = "{s.name}"',
                  f'sheet = "https://docs.google.com/spreadsheets/d/{sheets[s.id]}/edit"']
    path = folder / "sheetsync.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_config(path), sheets, master
