"""`student forget --remove-from-sheet`: our columns and summary tab leave the student's
own sheet, found by their marks; every cell of the student's own is as it was. On xlsx
(the columns emptied, the workbook still opens in openpyxl and calamine) and on Google
through real gspread and FakeGoogle (the columns and tab deleted)."""
import shutil

from click.testing import CliRunner
from openpyxl import load_workbook

from jobs.nightly import run_nightly
from sheetsync.backends.google import GoogleBackend
from sheetsync.backends.xlsx import read_xlsx
from sheetsync.cli import main
from sheetsync.config import Student
from sheetsync.demo import write_demo
from sheetsync.demo.google import upload_cohort
from sheetsync.privacy.forget import forget_student
from sheetsync.testing import FakeGoogle

from distinct_student import ID, NAME, cohort_with_a_distinct_student, off_the_roster


def _students_own(book) -> dict:
    """Every non-empty cell of the student's tabs outside our marked columns."""
    cells = {}
    for tab in book.tabs.values():
        if tab.ours:
            continue
        ours = set(tab.marks.values())
        for r, row in enumerate(tab.rows, 1):
            for c, v in enumerate(row, 1):
                if v != "" and c not in ours:
                    cells[(tab.title, r, c)] = v
    return cells


def test_remove_from_an_xlsx_workbook(tmp_path, now):
    cohort, _ = cohort_with_a_distinct_student(now)
    from sheetsync import load_config
    config = load_config(write_demo(tmp_path / "demo", cohort))
    run_nightly(config, now=now)
    path = config.resolve("students") / f"{ID}.xlsx"
    before = read_xlsx(path, Student(ID, NAME), version=None)
    assert any(t.ours for t in before.tabs.values()) and any(t.marks for t in before.tabs.values())
    colours = sum(len(list(ws.conditional_formatting)) for ws in load_workbook(path).worksheets)
    assert colours                         # ours: the demo workbooks have none of their own
    config = off_the_roster(config)
    moved = shutil.move(path, tmp_path / "handed-back.xlsx")
    result = CliRunner().invoke(main, ["student", "forget", ID, "--config", str(config.path), "--yes",
                                       "--remove-from-sheet", "--sheet", str(moved)])
    assert result.exit_code == 0, result.output
    assert "column(s) of ours emptied, 1 summary tab(s) removed" in result.output
    after = read_xlsx(tmp_path / "handed-back.xlsx", Student(ID, NAME), version=None)
    assert not any(t.ours or t.marks for t in after.tabs.values())
    assert set(after.tabs) == {t for t, tab in before.tabs.items() if not tab.ours}
    assert not any("⚑" in v for t in after.tabs.values() for row in t.rows for v in row)
    assert _students_own(after) == _students_own(before)
    book = load_workbook(tmp_path / "handed-back.xlsx")
    assert book.sheetnames == list(after.tabs) and not book.defined_names
    assert not any(list(ws.conditional_formatting) for ws in book.worksheets)


def test_remove_from_a_google_sheet(tmp_path, now):
    cohort, _ = cohort_with_a_distinct_student(now)
    with FakeGoogle() as google:
        config, sheets, _ = upload_cohort(google, cohort, tmp_path / "g")
        run_nightly(config, now=now, backend=GoogleBackend(config))
        student = next(s for s in config.students if s.id == ID)
        google_backend = GoogleBackend(config)
        before = google_backend.complete(student, google_backend.read(student))    # with its marks
        assert any(t.ours for t in before.tabs.values()) and any(t.marks for t in before.tabs.values())
        config = off_the_roster(config)
        report = forget_student(config, ID, backend=GoogleBackend(config), remove_from_sheet=True)
        assert report.ok, report.table()
        google_backend = GoogleBackend(config)
        after = google_backend.complete(student, google_backend.read(student))
    assert not any(t.ours or t.marks for t in after.tabs.values())
    assert not any("⚑" in v for t in after.tabs.values() for row in t.rows for v in row)
    # the student's own columns are where they were: ours were the right-most
    assert _students_own(after) == _students_own(before)
