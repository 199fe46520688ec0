"""A demo cohort uploaded into FakeGoogle, with a config pointing at it."""
import datetime as dt
from pathlib import Path

from sheetsync import load_config
from sheetsync.demo import DemoCohort


def as_typed(value):
    """What a student's cell holds in Google: dates typed as dates show as ISO text."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return value


def upload(google, cohort: DemoCohort, folder: Path, language: str = "sv"):
    sheets = {}
    for s in cohort.students:
        rows = [[as_typed(v) for v in row] for row in s.rows]
        sheets[s.id] = google.create_spreadsheet(f"{s.name} CRM", {"CRM": rows})
    master = google.create_spreadsheet("Master FS26", {"Sheet1": []}, owner="staff@school.example")
    google.credentials_file(folder / "credentials.json")
    lines = ["[cohort]", 'name = "FS26"', f'language = "{language}"', "[calendar]",
             f"year = {cohort.today.year}", "[backend]", 'kind = "google"',
             'credentials = "credentials.json"', "[master]", f'sheet = "{master}"',
             "[state]", 'path = "state.db"']
    for s in cohort.students:
        lines += ["[[students]]", f'id = "{s.id}"', f'name = "{s.name}"',
                  f'sheet = "https://docs.google.com/spreadsheets/d/{sheets[s.id]}/edit"']
    (folder / "sheetsync.toml").write_text("\n".join(lines), encoding="utf-8")
    return load_config(folder / "sheetsync.toml"), sheets, master
