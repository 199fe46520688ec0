"""The whole nightly flow through real gspread and google-auth against FakeGoogle."""
import pytest

from jobs.nightly import run_nightly
from sheetsync.backends.google import GoogleBackend, load_credentials
from sheetsync.errors import CredentialsError
from sheetsync.testing import FakeGoogle
from sheetsync.demo.google import upload_cohort as upload

pytestmark = pytest.mark.usefixtures("read_via")     # on both Google read paths


@pytest.fixture
def google():
    with FakeGoogle() as fake:
        yield fake


@pytest.fixture
def cohort_in_google(google, demo_cohort, tmp_path):
    return upload(google, demo_cohort, tmp_path)


def backend(config):
    return GoogleBackend(config, sleep=lambda seconds: None)


def student_view(google, sid):
    """Every cell outside the owned columns, as the student sees it."""
    rows = google.get_values(sid, "CRM")
    owned = {c for row in rows for c, v in enumerate(row) if v.lower().startswith(("sheetsync", "⚑"))}
    kept = [[v for c, v in enumerate(row) if c not in owned] for row in rows]
    for row in kept:
        while row and row[-1] == "":
            row.pop()
    return kept


def test_a_first_night_costs_one_write_call_per_student_read_from_a_drive_export(google, cohort_in_google, now):
    config, sheets, master = cohort_in_google
    config.quota["read_via"] = "export"
    before = {sid: student_view(google, sid) for sid in sheets.values()}
    report = run_nightly(config, now=now, backend=backend(config))
    assert report.ok, report.table()
    for sid in sheets.values():
        exports = [c for c in google.calls(path=sid) if c.kind == "drive" and c.path.endswith("/export")]
        calls = [c for c in google.calls(path=sid) if c.kind != "drive"]
        assert len(exports) == 1                        # the cells: Drive's quota
        # the shape without cells in the write phase, then structure and cells in one call
        assert [(c.method, c.kind) for c in calls] == [("GET", "read"), ("POST", "write")], calls
        assert "rowData" not in calls[0].query and calls[1].path.endswith(":batchUpdate")
        assert student_view(google, sid) == before[sid]
        assert google.get_values(sid, "sheetsync")[0] == ["sheetsync: sammanfattning"]
    assert report.api_calls["exports"] == len(sheets)


def test_one_read_one_write_and_one_structural_call_per_student(google, cohort_in_google, now):
    config, sheets, master = cohort_in_google
    config.quota["read_via"] = "sheets"
    before = {sid: student_view(google, sid) for sid in sheets.values()}
    report = run_nightly(config, now=now, backend=backend(config))
    assert report.ok, report.table()
    for sid in sheets.values():
        calls = [c for c in google.calls(path=sid) if c.kind != "drive"]
        assert [(c.method, c.kind) for c in calls] == [
            ("GET", "read"), ("POST", "write"), ("POST", "write")], calls
        assert calls[1].path.endswith(":batchUpdate") and calls[2].path.endswith("values:batchUpdate")
        assert student_view(google, sid) == before[sid]
        assert google.get_values(sid, "sheetsync")[0] == ["sheetsync: sammanfattning"]
    assert [c.kind for c in google.calls() if c.kind == "token"] == ["token"]
    students = google.get_values(master, "Studenter")
    assert len(students) == 1 + len(sheets)


def sheet_calls(google, sid):
    """The calls on one sheet: ('GET', 'export') for a Drive export, Sheets calls by kind."""
    return [(c.method, "export" if c.path.endswith("/export") else c.kind) for c in google.calls(path=sid)
            if c.kind != "drive" or c.path.endswith("/export")]


@pytest.mark.parametrize("read_via", ["export", "sheets"])
def test_second_run_reads_only_the_sheets_that_changed(google, cohort_in_google, now, read_via):
    config, sheets, master = cohort_in_google
    config.quota["read_via"] = read_via
    read = ("GET", "export" if read_via == "export" else "read")
    run_nightly(config, now=now, backend=backend(config))
    google.requests.clear()
    settle = run_nightly(config, now=now, backend=backend(config))     # written sheets: read again
    assert settle.unchanged == 0 and sum(s.cells_written for s in settle.students) == 0
    for sid in sheets.values():
        assert sheet_calls(google, sid) == [read]           # an export's shape: last night's
    edited = list(sheets.values())[0]
    rows = google.get_values(edited, "CRM")
    h = next(i for i, r in enumerate(rows) if len(r) > 3)
    company = next(c for c, v in enumerate(rows[h]) if v in (
        "Företag", "Bolag", "Företagsnamn", "Arbetsgivare", "Company", "Company name", "Employer"))
    elsewhere = {v for sid in list(sheets.values())[1:] for r in google.get_values(sid, "CRM") for v in r}
    mine = next(r for r in rows[h + 1:] if len(r) > company and r[company] and r[company] not in elsewhere)
    mine[company] = ""                                     # the student blanks a name no one else has: CL01
    google.set_values(edited, "CRM", rows)
    google.requests.clear()
    report = run_nightly(config, now=now, backend=backend(config))
    assert report.ok and report.unchanged == len(sheets) - 1
    for sid in sheets.values():
        calls = sheet_calls(google, sid)
        assert calls == ([read, ("POST", "write")] if sid == edited else []), calls
    listings = [c for c in google.calls(kind="drive") if c.path.endswith("/files")]
    assert len(listings) == 1                              # one files.list for the whole roster
    google.requests.clear()
    third = run_nightly(config, now=now, backend=backend(config))      # the written one, checked
    sheets_reads = 1 if read_via == "export" else 2        # the master, and the sheet on that path
    assert third.unchanged == len(sheets) - 1 and third.api_calls["reads"] == sheets_reads
    assert third.api_calls["exports"] == (1 if read_via == "export" else 0)
    assert sum(s.cells_written for s in third.students) == 0
    fourth = run_nightly(config, now=now, backend=backend(config))
    assert fourth.unchanged == len(sheets) and fourth.api_calls["reads"] == 1   # the master only


def test_a_429_burst_is_waited_out(google, cohort_in_google, now):
    config, sheets, _ = cohort_in_google
    first = next(iter(sheets.values()))
    google.fail(429, times=3, path=first, kind="read")
    waits = []
    report = run_nightly(config, now=now, backend=GoogleBackend(config, sleep=waits.append))
    assert report.ok and report.api_calls["http_429"] == 3
    assert len(waits) == 3 and waits[0] < waits[1] < waits[2] <= 64
    assert [c.status for c in google.calls(path=first, kind="read")][:4] == [429, 429, 429, 200]


def test_missing_and_unshared_sheets_are_reported_and_the_rest_processed(google, cohort_in_google, now):
    config, sheets, _ = cohort_in_google
    gone, private, *rest = list(sheets)
    google.delete(sheets[gone])
    google.unshare(sheets[private])
    report = run_nightly(config, now=now, backend=backend(config))
    by_id = {s.id: s for s in report.students}
    assert by_id[gone].status == "failed" and "not found" in by_id[gone].message
    assert sheets[gone] in by_id[gone].message and gone in by_id[gone].message
    assert by_id[private].status == "failed" and "not shared" in by_id[private].message
    assert "sheetsync@" in by_id[private].message
    assert all(by_id[s].status == "ok" for s in rest)


def test_student_text_reaches_the_master_as_text(google, cohort_in_google, now):
    config, sheets, master = cohort_in_google
    hostile = '=IMPORTRANGE("x","y")'
    for sid in list(sheets.values())[:2]:
        rows = google.get_values(sid, "CRM")
        h = next(i for i, r in enumerate(rows) if len(r) > 2)
        col = next(c for c, v in enumerate(rows[h]) if v in (
            "Företag", "Bolag", "Företagsnamn", "Arbetsgivare", "Company", "Company name", "Employer"))
        rows[h + 1][col] = hostile
        google.set_values(sid, "CRM", rows)
    run_nightly(config, now=now, backend=backend(config))
    companies = google.get_values(master, "Företag")
    hits = [(r, c) for r, row in enumerate(companies, 1) for c, v in enumerate(row, 1) if v == hostile]
    assert hits
    assert not any(google.is_formula(master, "Företag", r, c) for r, c in hits)


def test_a_grid_too_narrow_for_the_owned_columns_is_widened(google, tmp_path, now):
    rows = [[f"Kol {i}" for i in range(24)] + []]
    rows[0][0], rows[0][1], rows[0][2] = "Företag", "Telefon", "Status"
    rows.append(["Volvo AB", "070-123 45 67", "ringt 1 gång"] + ["x"] * 21)
    sid = google.create_spreadsheet("Narrow", {"CRM": rows}, cols=24)
    google.credentials_file(tmp_path / "credentials.json")
    (tmp_path / "sheetsync.toml").write_text(
        '[backend]\nkind = "google"\n[master]\nsheet = "m"\n'
        f'[[students]]\nid = "s"\nname = "S"\nsheet = "{sid}"\n', encoding="utf-8")
    from sheetsync import load_config
    config = load_config(tmp_path / "sheetsync.toml")
    report = run_nightly(config, now=now, backend=backend(config))
    assert report.students[0].status == "ok", report.table()
    header = google.get_values(sid, "CRM")[0]
    assert header[24:27] == ["⚑ Flaggor", "⚑ Läge", "⚑ Nästa steg"]


@pytest.mark.parametrize("content, message", [
    (None, "credentials file not found"),
    ("{not json", "not valid JSON"),
    ('{"type": "authorized_user"}', "not a service-account key"),
    ('{"type": "service_account", "client_email": "x"}', "malformed"),
])
def test_broken_credentials_are_one_clear_message(tmp_path, content, message):
    path = tmp_path / "credentials.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(CredentialsError, match=message):
        load_credentials(path)


def test_a_revoked_key_is_named_as_such(google, cohort_in_google, now):
    config, _, _ = cohort_in_google
    google.revoke()
    report = run_nightly(config, now=now, backend=backend(config))
    assert report.count("failed") == len(report.students)
    assert "refused the service account's key" in report.students[0].message


def test_application_default_credentials_work_without_a_key_file_in_the_config(tmp_path, now, monkeypatch):
    from click.testing import CliRunner

    from sheetsync import load_config
    from sheetsync.cli import main
    with FakeGoogle() as fake:
        sid = fake.create_spreadsheet("CRM", {"CRM": [["Företag", "Status"], ["Volvo AB", "ringt"]]})
        master = fake.create_spreadsheet("Master", {"Blad1": []})
        (tmp_path / "elsewhere").mkdir()
        key = fake.credentials_file(tmp_path / "elsewhere" / "adc.json")
        (tmp_path / "sheetsync.toml").write_text(
            f'[backend]\nkind = "google"\ncredentials = "default"\n[master]\nsheet = "{master}"\n'
            f'[[students]]\nid = "s"\nname = "S"\nsheet = "{sid}"\n', encoding="utf-8")
        config = load_config(tmp_path / "sheetsync.toml")
        monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(key))   # as a platform provides it
        assert run_nightly(config, now=now, backend=GoogleBackend(config, sleep=lambda s: None)).ok
        assert fake.get_values(sid, "sheetsync")[0] == ["sheetsync: sammanfattning"]
        checked = CliRunner().invoke(main, ["check", "--config", str(tmp_path / "sheetsync.toml"),
                                            "--now", "2026-05-12"])
        assert "acting as sheetsync@sheetsync-fake.iam.gserviceaccount.com (application default credentials)" \
            in checked.output
        monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "missing.json"))
        with pytest.raises(CredentialsError, match="no Application Default Credentials"):
            GoogleBackend(config)
