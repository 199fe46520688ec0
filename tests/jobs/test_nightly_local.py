"""The walking skeleton end to end on local workbooks: read, normalise, judge, write, master."""
import shutil

from openpyxl import Workbook, load_workbook

from jobs.nightly import run_nightly
from tests.helpers import cells, owned


def student_files(config):
    return sorted(config.resolve("students").glob("*.xlsx"))


def test_first_run_writes_owned_columns_summary_and_master(demo_config, demo_cohort, now):
    report = run_nightly(demo_config, now=now)
    assert report.ok and report.count("ok") == len(demo_cohort.students)
    for path in student_files(demo_config):
        book = load_workbook(path)
        assert "sheetsync" in book.sheetnames, path.name
        crm = book.worksheets[0]
        headers = [c.value for row in crm.iter_rows(max_row=3) for c in row if c.value]
        assert {"⚑ Flaggor", "⚑ Läge", "⚑ Nästa steg"} <= set(headers)
    master = load_workbook(demo_config.resolve("master.xlsx"))
    students = master["Studenter"]
    names = [r[0] for r in students.iter_rows(min_row=2, values_only=True)]
    assert sorted(names) == sorted(s.name for s in demo_cohort.students)


def test_second_run_changes_no_student_cell_and_writes_nothing(demo_config, now):
    run_nightly(demo_config, now=now)
    before = {p.name: cells(p) for p in student_files(demo_config)}
    report = run_nightly(demo_config, now=now)
    assert sum(s.cells_written for s in report.students) == 0
    for path in student_files(demo_config):
        after = cells(path)
        assert after == before[path.name], path.name


def test_run_never_changes_a_student_cell(demo_config, now):
    before = {p.name: cells(p) for p in student_files(demo_config)}
    run_nightly(demo_config, now=now)
    for path in student_files(demo_config):
        after = cells(path)
        mine = {k: v for k, v in after.items() if k not in owned(after)}
        assert mine == before[path.name], path.name


def test_bad_workbooks_are_reported_and_the_rest_processed(demo_config, now):
    folder = demo_config.resolve("students")
    (folder / "corrupt.xlsx").write_bytes(b"this is not a zip file")
    empty = Workbook()
    empty.save(folder / "empty.xlsx")
    no_header = Workbook()
    no_header.active.append(["Hej", "lite text"])
    no_header.active.append([1, 2, 3])
    no_header.save(folder / "noheader.xlsx")
    demo_config.students = []                      # roster = every workbook in the folder
    report = run_nightly(demo_config, now=now)
    by_id = {s.id: s for s in report.students}
    assert by_id["corrupt"].status == "failed"
    assert "not a readable .xlsx" in by_id["corrupt"].message and "corrupt.xlsx" in by_id["corrupt"].message
    assert by_id["empty"].status == "skipped" and "empty" in by_id["empty"].message
    assert by_id["noheader"].status == "skipped"
    assert "no tab with a recognisable header" in by_id["noheader"].message
    assert report.count("ok") == len(by_id) - 3
    assert not report.ok                           # a failed student makes the run non-zero


def test_a_backup_is_kept_before_each_save(demo_config, now):
    run_nightly(demo_config, now=now)
    backups = list((demo_config.state_path.parent / "backups").rglob("*.xlsx"))
    assert len(backups) >= len(student_files(demo_config))


def test_dry_run_writes_nothing_and_prints_plans(demo_config, now):
    before = {p.name: p.read_bytes() for p in student_files(demo_config)}
    report = run_nightly(demo_config, now=now, dry_run=True)
    assert report.plans and all("cell(s)" in p for p in report.plans)
    assert {p.name: p.read_bytes() for p in student_files(demo_config)} == before
    assert not demo_config.resolve("master.xlsx").exists()


def test_student_text_reaches_the_master_as_text_not_formula(demo_config, now):
    path = student_files(demo_config)[0]
    book = load_workbook(path)
    ws = book.worksheets[0]
    header_row = next(r for r in range(1, 5) if any(
        str(c.value).lower() in ("företag", "bolag", "företagsnamn", "arbetsgivare", "company",
                                 "company name", "employer") for c in ws[r]))
    col = next(c.column for c in ws[header_row] if str(c.value).lower() in (
        "företag", "bolag", "företagsnamn", "arbetsgivare", "company", "company name", "employer"))
    hostile = '=IMPORTRANGE("x","y")'
    for k in (1, 2):           # two students holding it: it is listed on the Companies tab
        ws.cell(row=header_row + k, column=col).value = hostile
        ws.cell(row=header_row + k, column=col).data_type = "s"
    book.save(path)
    shutil.copy(path, path.with_name("twin.xlsx"))
    demo_config.students = []
    run_nightly(demo_config, now=now)
    master = load_workbook(demo_config.resolve("master.xlsx"))
    found = [c for row in master["Företag"].iter_rows() for c in row if c.value == hostile]
    assert found and all(c.data_type == "s" for c in found)


def test_run_for_one_student_reads_and_writes_only_them(demo_config, now):
    from click.testing import CliRunner

    from sheetsync.cli import main
    assert run_nightly(demo_config, now=now).ok
    files = student_files(demo_config)
    before = {p.name: p.read_bytes() for p in files}
    book = load_workbook(files[0])
    ws = book.worksheets[0]
    header = next(r for r in ws.iter_rows() if any(c.value == "⚑ Flaggor" for c in r))
    ws.cell(header[0].row + 1, 1).value = None                    # the student blanks a cell
    book.save(files[0])
    edited = files[0].stem
    report = run_nightly(demo_config, now=now, only={edited})
    assert report.ok and report.api_calls["reads"] == 1
    assert [o.id for o in report.students if o.cells_written] == [edited]
    assert all(p.read_bytes() == before[p.name] for p in files[1:])
    assert all("not in this run" in o.message for o in report.students if o.id != edited)
    result = CliRunner().invoke(main, ["run", "--config", str(demo_config.path), "--now", "2026-05-12",
                                       "--student", "nobody"])
    assert result.exit_code == 2 and "no student 'nobody'" in result.output
