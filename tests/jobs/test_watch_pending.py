"""`watch` drops no edit between nights: it moves its place in Drive's changes feed (or in
the folder's file times) only past changes it processed. A student whose run met a
Google 503, or whose workbook was open in Excel (its `~$` lock file), stays pending in
the state store (a restart keeps them) and is run again at the next poll; a folder's
place is what it listed before the run, so a save made during the run is seen next."""
import pytest
from openpyxl import load_workbook

from jobs.nightly import run_nightly
from jobs.watch import Watch
from sheetsync.backends.google import GoogleBackend
from sheetsync.backends.xlsx import XlsxBackend
from sheetsync.demo.google import upload_cohort
from sheetsync.normalize.headers import map_header
from sheetsync.testing import FakeGoogle


def ran(report) -> list[str]:
    """The students a watch run read and wrote (the others count by their snapshot)."""
    return [] if report is None else \
        sorted(o.id for o in report.students if "not in this run" not in o.message)


def outcome(report, sid):
    return next(o for o in report.students if o.id == sid)


def add_lead_on_google(google, sheet: str, company: str) -> None:
    """A new lead typed in the student's browser (the API calls the Sheets UI sends)."""
    rows = google.get_values(sheet, "CRM")
    header = next(i for i, r in enumerate(rows) if len(r) > 3)
    new = [{"company": company, "contact_name": "Kim Nyberg"}.get(map_header(v)[0], "")
           for v in rows[header]]
    google.insert_rows(sheet, "CRM", header + 2, [new])


def workbook_of(config, student):
    return config.resolve("students") / f"{student.id}.xlsx"


def save_a_lead(path, company: str) -> None:
    """The student adds a lead and saves, as Excel would (a new file time and size)."""
    book = load_workbook(path)
    ws = book.worksheets[0]
    ws.cell(row=ws.max_row + 1, column=1, value=company)
    book.save(path)


@pytest.mark.parametrize("meets", ["read", "write"])
def test_the_edit_whose_run_met_a_503_is_run_at_the_next_poll(demo_cohort, tmp_path, now, meets):
    with FakeGoogle() as google:
        config, sheets, _ = upload_cohort(google, demo_cohort, tmp_path)
        backend = GoogleBackend(config, sleep=lambda s: None)
        assert run_nightly(config, now=now, backend=backend).ok
        watch = Watch(config, backend, today=lambda: now)
        assert watch.poll() is None                              # marks where the feed stands
        editor = demo_cohort.students[3].id
        add_lead_on_google(google, sheets[editor], "Femhundratre AB")
        if meets == "read":      # Google's bad minute: 6 tries of the Drive export, then 6 of the Sheets read
            google.fail(503, times=12, path=sheets[editor])
        else:                    # ...or 6 tries of the write
            google.fail(503, times=6, path=sheets[editor], kind="write")
        failed = watch.poll()
        assert ran(failed) == [editor] and outcome(failed, editor).status == "failed"
        assert outcome(failed, editor).cells_written == 0
        # a restart between the polls keeps what is pending
        again = Watch(config, GoogleBackend(config, sleep=lambda s: None), today=lambda: now).poll()
        assert ran(again) == [editor], "the edit whose run met a 503 was dropped"
        done = outcome(again, editor)
        assert done.status == "ok" and done.cells_written > 0
        assert watch.pending() == {}
        assert watch.poll() is None                              # done: not run again
        night = run_nightly(config, now=now, backend=backend)    # the whole cohort judged
        assert outcome(night, editor).cells_written == 0         # the watch left it as a night would


@pytest.mark.parametrize("owner_file", ["~${name}", ".~lock.{name}#"], ids=["excel", "libreoffice"])
def test_an_edit_made_while_the_workbook_is_open_in_excel_is_run_once_it_is_closed(
        demo_config, now, owner_file):
    assert run_nightly(demo_config, now=now).ok
    watch = Watch(demo_config, today=lambda: now)
    assert watch.poll() is None
    student = demo_config.students[2]
    path = workbook_of(demo_config, student)
    save_a_lead(path, "Öppet i Excel AB")
    lock = path.with_name(owner_file.format(name=path.name))    # the owner file beside it
    lock.write_bytes(b"\x08Elev    ")
    for _ in range(3):                                           # open in Excel for three polls
        busy = watch.poll()
        assert ran(busy) == [student.id], "the edit made while the workbook was open was dropped"
        assert outcome(busy, student.id).status == "skipped" and outcome(busy, student.id).problem == "busy"
        assert outcome(busy, student.id).cells_written == 0
    lock.unlink()                                                # Excel closed
    closed = watch.poll()
    assert ran(closed) == [student.id] and outcome(closed, student.id).status == "ok"
    assert outcome(closed, student.id).cells_written > 0
    assert watch.pending() == {} and watch.poll() is None        # our own write is no change
    assert outcome(run_nightly(demo_config, now=now), student.id).cells_written == 0


class SavesDuringTheRun(XlsxBackend):
    """The folder, with students saving while a run is going: just before its master is
    written (after every student of the run was read and written)."""

    def __init__(self, config, saves):
        super().__init__(config)
        self.saves = saves            # [(path, company)], done at the next master write

    def write_master(self, *args, **kwargs):
        while self.saves:
            save_a_lead(*self.saves.pop())
        return super().write_master(*args, **kwargs)


def test_a_save_made_during_a_run_is_seen_by_the_next_poll(demo_config, now):
    assert run_nightly(demo_config, now=now).ok
    saves = []
    watch = Watch(demo_config, SavesDuringTheRun(demo_config, saves), today=lambda: now)
    assert watch.poll() is None
    first, other = demo_config.students[0], demo_config.students[4]
    save_a_lead(workbook_of(demo_config, first), "Första AB")
    saves += [(workbook_of(demo_config, first), "Igen AB"),      # the same student saves again
              (workbook_of(demo_config, other), "Under körningen AB")]   # and another one
    report = watch.poll()
    assert ran(report) == [first.id] and outcome(report, first.id).cells_written > 0
    assert not saves                                             # both saves were made mid-run
    after = watch.poll()
    assert ran(after) == sorted([first.id, other.id]), "a save made during the run was lost"
    assert all(outcome(after, s).status == "ok" for s in ran(after))
    assert watch.poll() is None


def test_a_student_failing_again_and_again_is_tried_with_a_doubling_wait(demo_config, now):
    assert run_nightly(demo_config, now=now).ok
    watch = Watch(demo_config, today=lambda: now)
    assert watch.poll() is None
    student = demo_config.students[5]
    path = workbook_of(demo_config, student)
    good = path.read_bytes()
    path.write_bytes(good[: len(good) // 3])                     # a save cut short: unreadable
    tried = []
    for poll in range(1, 13):
        if poll == 6:                                            # a restart keeps the count and the wait
            watch = Watch(demo_config, today=lambda: now)
        report = watch.poll()
        if report is not None:
            assert ran(report) == [student.id] and outcome(report, student.id).status == "failed"
            tried.append(poll)
    assert tried == [1, 2, 4, 8], tried                          # then the next poll, 1, 3, 7 polls between
    assert watch.pending()[student.id]["failures"] == 4
    path.write_bytes(good)                                       # saved whole again: run at once
    fixed = watch.poll()
    assert ran(fixed) == [student.id] and outcome(fixed, student.id).status == "ok"
    assert watch.pending() == {}
