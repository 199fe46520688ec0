"""`sheetsync watch`: a student's edit, made through the API as their browser sends it,
is seen through Drive's changes feed; within one poll only that sheet is read and
written, our own writes do not wake the watch again, and the cap stays right."""
from collections import Counter

import pytest
from openpyxl import load_workbook

from jobs.nightly import run_nightly
from jobs.watch import Watch, parse_every
from sheetsync.backends.google import GoogleBackend
from sheetsync.demo.google import upload_cohort
from sheetsync.normalize.headers import map_header
from sheetsync.testing import FakeGoogle
from tests.jobs.test_stream import lc01_rows

pytestmark = pytest.mark.usefixtures("read_via")     # on both Google read paths


def touched(google, since: int) -> Counter:
    """Spreadsheet ids the Sheets API was called for since request number `since`."""
    return Counter(c.path.split("/")[3].split(":")[0] for c in google.requests[since:]
                   if c.path.startswith("/v4/spreadsheets/"))


def test_watch_runs_only_the_sheet_a_student_changed_and_the_cap_stays_right(demo_cohort, tmp_path, now):
    with FakeGoogle() as google:
        config, sheets, master = upload_cohort(google, demo_cohort, tmp_path)
        backend = GoogleBackend(config, sleep=lambda s: None)
        assert run_nightly(config, now=now, backend=backend).ok
        watch = Watch(config, backend, today=lambda: now)
        assert watch.poll() is None                     # the first poll marks where the feed stands
        assert watch.poll() is None                     # nothing changed since
        holders = Counter(k for s in demo_cohort.students for k in {l.company for l in s.leads})
        company = next(c for c, n in holders.most_common() if n >= 3)
        editor = next(s.id for s in demo_cohort.students if company not in {l.company for l in s.leads})
        rows = google.get_values(sheets[editor], "CRM")
        header = next(i for i, r in enumerate(rows) if len(r) > 3)
        new = ["" for _ in rows[header]]
        for c, v in enumerate(rows[header]):
            field = map_header(v)[0]
            new[c] = {"company": company, "contact_name": "Kim Nyberg"}.get(field, "")
        google.insert_rows(sheets[editor], "CRM", header + 2, [new])       # the student's browser
        since = len(google.requests)
        report = watch.poll()
        assert report is not None and [o.id for o in report.students if "not in this run" not in o.message] == [editor]
        calls = touched(google, since)
        assert set(calls) - {master} == {sheets[editor]}                  # only their sheet
        assert sum(1 for c in google.requests[since:] if sheets[editor] in c.path and (
            c.kind == "read" or c.path.endswith("/export"))) == 1          # read once
        flagged = lc01_rows(google, sheets[editor])
        since = len(google.requests)
        assert watch.poll() is None                      # our own write does not wake it again
        assert not touched(google, since)
        full = run_nightly(config, now=now, backend=backend)                # the whole cohort judged
        mine = next(o for o in full.students if o.id == editor)
        assert mine.cells_written == 0 and lc01_rows(google, sheets[editor]) == flagged


def test_watch_on_a_folder_runs_the_workbook_that_changed(demo_config, now):
    watch = Watch(demo_config, today=lambda: now)
    run_nightly(demo_config, now=now)
    assert watch.poll() is None
    student = demo_config.students[2]
    path = demo_config.resolve("students") / f"{student.id}.xlsx"
    book = load_workbook(path)
    ws = book.worksheets[0]
    ws.cell(row=ws.max_row + 1, column=1, value="Nyföretaget AB")
    book.save(path)
    report = watch.poll()
    assert report is not None and [o.id for o in report.students if "not in this run" not in o.message] == [student.id]
    assert report.students and all(o.id == student.id for o in report.students if o.cells_written)
    assert watch.poll() is None                          # its own write is not a change


def test_every_reads_like_a_person_writes_it():
    assert parse_every("5m") == 300 and parse_every("30s") == 30 and parse_every("1h") == 3600
    for bad in ("5 minutes", "1s", ""):
        try:
            parse_every(bad)
        except ValueError as e:
            assert "--every" in str(e)
        else:
            raise AssertionError(bad)
