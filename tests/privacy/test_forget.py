"""`sheetsync student forget`: refused while the student is on the roster; once they are
off it, forget and one more night leave no byte of their id, name, e-mail or their
contacts' names in the state folder (store, copies, backups, reports, calendars), the
.eml digests or the master, and every other student keeps the lottery outcome they had,
but for the companies the forgotten student held. On xlsx, and on Google through real
gspread and FakeGoogle (the calendar's Drive file deleted, the master's rows gone)."""
import datetime as dt
import shutil

import pytest
from click.testing import CliRunner

from jobs.nightly import run_nightly
from sheetsync import load_config
from sheetsync.backends.google import GoogleBackend
from sheetsync.cli import main
from sheetsync.demo import write_demo
from sheetsync.demo.google import upload_cohort
from sheetsync.normalize.companies import company_key
from sheetsync.errors import ConfigError
from sheetsync.privacy.forget import forget_student
from sheetsync.testing import FakeGoogle

from bytes_search import where_found
from distinct_student import EMAIL, ID, NAME, cohort_with_a_distinct_student, lottery_losses, off_the_roster

EXTRAS = '\n[calendars]\nenabled = true\n[digest]\nenabled = true\nweekday = "monday"\neml_folder = "outbox"\n'


def with_email_and_extras(path):
    text = path.read_text(encoding="utf-8")
    text = text.replace(f'id = "{ID}"', f'id = "{ID}"\nemail = "{EMAIL}"')
    path.write_text(text + EXTRAS, encoding="utf-8")
    return load_config(path)


def test_forget_on_xlsx_leaves_no_byte_and_keeps_the_lottery_fair(tmp_path, now):
    cohort, contacts = cohort_with_a_distinct_student(now)
    config = with_email_and_extras(write_demo(tmp_path / "demo", cohort))
    last = now + dt.timedelta(days=2)
    for day in range(3):          # a few nights: backups, copies, reports
        assert run_nightly(config, now=now + dt.timedelta(days=day)).ok
    before = lottery_losses(config)
    held = {company_key(lead.company) for s in cohort.students if s.id == ID
            for lead in s.leads if lead.company}
    assert before[ID] and any(before[s] & held for s in before if s != ID)   # the draw is at stake
    places = [tmp_path / "demo" / ".sheetsync", config.resolve("outbox"), config.resolve("master.xlsx")]
    words = [ID, NAME, EMAIL] + contacts
    found = where_found(places, words)
    assert set(found) == set(words), set(words) - set(found)        # the search finds them before

    runner = CliRunner()
    refused = runner.invoke(main, ["student", "forget", ID, "--config", str(config.path), "--yes"])
    assert refused.exit_code == 2
    assert f"student '{ID}' is still on the roster" in refused.output and "students[" in refused.output
    assert "the workbook" in refused.output and f"{ID}.xlsx" in refused.output

    config = off_the_roster(config)
    still = runner.invoke(main, ["student", "forget", ID, "--config", str(config.path), "--yes"])
    assert still.exit_code == 2 and "in the students folder" in still.output     # the workbook is
    shutil.move(config.resolve("students") / f"{ID}.xlsx", tmp_path / "left.xlsx")

    reports = sorted((config.state_path.parent / "reports").glob("run-*.json"))
    ages = [p.stat().st_mtime_ns for p in reports]
    done = runner.invoke(main, ["student", "forget", ID, "--config", str(config.path), "--yes"])
    assert done.exit_code == 0, done.output
    assert "backups: 3 of their workbook" in done.output
    assert where_found(places, words) == {}
    assert [p.stat().st_mtime_ns for p in reports] == ages      # rewritten, but as old as they were

    assert run_nightly(config, now=last).ok          # one more night, on the same date as the last
    assert where_found(places, words) == {}
    after = lottery_losses(config)
    assert set(after) == set(before) - {ID}
    for sid in after:
        assert after[sid] - held == before[sid] - held, sid       # the others' outcomes stand
        assert after[sid] <= before[sid], sid                       # a place freed goes to the next
    assert any(after[s] != before[s] for s in after)           # ... and someone got one


def test_forget_on_google_deletes_the_calendar_file_and_the_master_rows(tmp_path, now):
    cohort, contacts = cohort_with_a_distinct_student(now)
    with FakeGoogle() as google:
        config, sheets, master = upload_cohort(google, cohort, tmp_path / "g")
        config = with_email_and_extras(config.path)
        for day in range(2):
            assert run_nightly(config, now=now + dt.timedelta(days=day), backend=GoogleBackend(config)).ok
        calendars = [f for f in google.files.values() if NAME in f.name]
        assert len(calendars) == 1
        master_text = str(google.get_values(master, "Studenter"))
        assert NAME in master_text

        places = [config.state_path.parent, config.resolve("outbox")]
        assert set(where_found(places, [ID, NAME, EMAIL] + contacts)) == {ID, NAME, EMAIL, *contacts}
        with pytest.raises(ConfigError, match=rf"student '{ID}' is still on the roster \(a \[\[students\]\] entry"):
            forget_student(config, ID, backend=GoogleBackend(config))
        config = off_the_roster(config)
        report = forget_student(config, ID, backend=GoogleBackend(config))
        assert report.ok, report.table()
        assert not [f for f in google.files.values() if NAME in f.name]
        assert NAME not in str([google.get_values(master, t) for t in ("Studenter", "Återkoppling")])
        run_nightly(config, now=now + dt.timedelta(days=1), backend=GoogleBackend(config))
        assert NAME not in str([google.get_values(master, t) for t in ("Studenter", "Återkoppling", "Företag")])
    assert where_found(places, [ID, NAME, EMAIL] + contacts) == {}
