"""A pool of identities ([backend] credentials as a list, #35): each student's sheet is read
and written by one member, chosen by a stable hash; a member that cannot open a sheet is
named by `check`, and that student's night goes through another member."""
from click.testing import CliRunner

from jobs.nightly import run_nightly
from sheetsync import load_config
from sheetsync.backends.google import GoogleBackend
from sheetsync.backends.google_pool import stable_index
from sheetsync.cli import main
from sheetsync.demo import generate_cohort
from sheetsync.demo.google import upload_cohort
from sheetsync.normalize.headers import map_header
from sheetsync.testing import FakeGoogle
from tests.conftest import NOW

POOL = [f"pool{i}@sheetsync-fake.iam.gserviceaccount.com" for i in range(3)]


def pool_cohort(google, folder, students=8):
    config, sheets, _ = upload_cohort(google, generate_cohort(students, 3, NOW), folder)
    for i, email in enumerate(POOL):
        google.credentials_file(folder / f"key{i}.json", email=email)
    text = config.path.read_text(encoding="utf-8").replace(
        'credentials = "credentials.json"', 'credentials = ["key0.json", "key1.json", "key2.json"]')
    config.path.write_text(text, encoding="utf-8")
    return load_config(config.path), sheets


def sheet_callers(google, sid, since=0):
    """Who made the Sheets and Drive calls that reached the spreadsheet (answered ones)."""
    return {c.caller for c in google.requests[since:] if sid in c.path and c.status == 200}


def test_each_students_sheet_is_read_and_written_by_the_one_member_its_id_hashes_to(tmp_path):
    with FakeGoogle() as google:
        config, sheets = pool_cohort(google, tmp_path / "c")
        report = run_nightly(config, now=NOW)
        assert report.ok
        for student, sid in sheets.items():
            assert sheet_callers(google, sid) == {POOL[stable_index(student, len(POOL))]}
            assert google.calls(kind="write", path=sid)        # written, not only read
        assert len({POOL[stable_index(s, len(POOL))] for s in sheets}) > 1


def test_a_member_without_access_is_named_by_check_and_the_night_uses_another(tmp_path):
    with FakeGoogle() as google:
        config, sheets = pool_cohort(google, tmp_path / "c")
        student = sorted(sheets)[0]
        left_out = POOL[stable_index(student, len(POOL))]
        google.unshare(sheets[student], email=left_out)     # shared with the others only

        result = CliRunner().invoke(main, ["check", "--config", str(config.path), "--now", "2026-05-12"])
        assert result.exit_code == 1, result.output
        named = [line for line in result.output.splitlines() if line.startswith("!! pool:")]
        assert len(named) == 1 and left_out in named[0] and f"({student})" in named[0]

        since = len(google.requests)
        report = run_nightly(config, now=NOW)
        assert report.ok
        answered = sheet_callers(google, sheets[student], since)
        assert answered and left_out not in answered and len(answered) == 1
        assert google.calls(kind="write", path=sheets[student])


def test_a_sheet_no_member_can_open_fails_alone_naming_every_member(tmp_path):
    with FakeGoogle() as google:
        config, sheets = pool_cohort(google, tmp_path / "c")
        student = sorted(sheets)[1]
        for email in POOL:
            google.unshare(sheets[student], email=email)
        report = run_nightly(config, now=NOW, backend=GoogleBackend(config))
        outcome = {o.id: o for o in report.students}
        assert outcome[student].status == "failed"
        assert all(email in outcome[student].message for email in POOL)
        assert "Google Group" in outcome[student].message
        assert all(o.status != "failed" for s, o in outcome.items() if s != student)


def test_a_pool_is_a_non_empty_list_of_names(tmp_path):
    import pytest

    from sheetsync.errors import ConfigError
    path = tmp_path / "sheetsync.toml"
    path.write_text('[backend]\nkind = "google"\ncredentials = []\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="backend.credentials must be a string or a non-empty list"):
        load_config(path)


def test_a_streamed_night_through_a_pool_writes_side_by_side_each_sheet_by_its_member(tmp_path):
    # the night after the first streams (most students known from a snapshot): its
    # writes go side by side, each identity's students by its own workers
    with FakeGoogle() as google:
        config, sheets = pool_cohort(google, tmp_path / "c", students=12)
        assert run_nightly(config, now=NOW).ok
        edited = sorted(sheets)[:4]
        for student in edited:                          # a lead's company blanked: CL01
            rows = google.get_values(sheets[student], "CRM")
            header = next(i for i, r in enumerate(rows) if len(r) > 3)
            col = next(c for c, v in enumerate(rows[header]) if map_header(v)[0] == "company")
            rows[header + 1][col] = ""
            google.set_values(sheets[student], "CRM", rows)
        since = len(google.requests)
        second = run_nightly(config, now=NOW)
        assert second.ok and second.streamed, second.table()
        for student in edited:
            sid = sheets[student]
            assert any(c.kind == "write" and sid in c.path for c in google.requests[since:])
            assert sheet_callers(google, sid, since) == {POOL[stable_index(student, len(POOL))]}
            flags = [r for r in google.get_values(sid, "CRM") if any("CL01" in v for v in r)]
            assert flags, student
        third = run_nightly(config, now=NOW)          # what the stream left is final: nothing to do
        assert third.ok and sum(o.cells_written for o in third.students) == 0
