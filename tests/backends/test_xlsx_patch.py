"""The local backend changes only the cells it owns: every other byte of a workbook stays.

Workbooks are made the way students' files are: by Excel-like writers (xlsxwriter, which
stores formulas with their cached results, pictures and charts), by openpyxl, and with
hand-built parts openpyxl does not know (a threaded comment, a pivot-like extension, an
<extLst> in the sheet)."""
import base64
import datetime as dt
import os
import shutil
import stat
import zipfile

import pytest
import xlsxwriter
from lxml import etree
from openpyxl import load_workbook

from jobs.nightly import run_nightly
from sheetsync import load_config
from sheetsync.backends import ooxml
from sheetsync.backends.xlsx import XlsxBackend
from sheetsync.config import Student
from sheetsync.normalize import read_crm

NOW = dt.date(2026, 5, 12)
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
HEADER = ["Företag", "Kontaktperson", "Telefon", "Status", "Senast kontaktad", "Kommentar"]
LEADS = [["Saab AB", "Bo", "070-222 22 22", "blå?", "2026-05-10", "Har Java-team"],
         ["Ikea", "Cia", "070-333 33 33", "inget svar x3", "2026-05-10", "Tar emot LIA"],
         ["Ericsson", "Dan", "070-444 44 44", "ringt 1 ggr", "2026-05-10", "Kontakt via mässan"]]
PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
THREADED = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<ThreadedComments xmlns='
            b'"http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"><threadedComment'
            b' ref="F2" dT="2026-05-01T10:00:00.00" personId="{1}" id="{2}"><text>Ring efter lunch</text>'
            b'</threadedComment></ThreadedComments>')
PIVOT_EXT = b'<?xml version="1.0" encoding="UTF-8"?>\n<pivotCacheDefinition xmlns="urn:x-pivot"><x/></pivotCacheDefinition>'
SHEET_EXT = ('<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" xmlns:x14='
             '"http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:conditionalFormattings/>'
             '</ext></extLst>')


def excel_like_workbook(path, tmp_path):
    """A CRM the way Excel saves one: a formula company with its cached result, a picture,
    a chart, then parts openpyxl would drop, added by hand."""
    (tmp_path / "logo.png").write_bytes(PNG)
    book = xlsxwriter.Workbook(str(path))
    ws = book.add_worksheet("CRM")
    ws.write_row(0, 0, HEADER)
    ws.write_formula(1, 0, '=HYPERLINK("https://www.volvo.se","Volvo AB")', None, "Volvo AB")
    ws.write_row(1, 1, ["Anna", "070-111 11 11", "ringt 1 ggr", "2026-05-10", "tror de kanske anställer"])
    for r, lead in enumerate(LEADS, 2):
        ws.write_row(r, 0, lead)
    ws.write_formula(1, 7, '=IF(D2="ja","Klar!","")', None, "")   # a headerless formula column
    ws.insert_image("K2", str(tmp_path / "logo.png"))
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": "=CRM!$B$2:$B$4"})
    ws.insert_chart("K6", chart)
    book.close()
    with zipfile.ZipFile(path) as z:
        members = {i.filename: z.read(i.filename) for i in z.infolist()}
    sheet = members["xl/worksheets/sheet1.xml"].decode()
    members["xl/worksheets/sheet1.xml"] = sheet.replace("</worksheet>", SHEET_EXT + "</worksheet>").encode()
    members["xl/threadedComments/threadedComment1.xml"] = THREADED
    members["xl/pivotCache/pivotCacheDefinition1.xml"] = PIVOT_EXT
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)


def local_config(tmp_path):
    (tmp_path / "sheetsync.toml").write_text(
        '[backend]\nkind = "xlsx"\nfolder = "students"\n[master]\npath = "master.xlsx"\n'
        '[state]\npath = "s.db"\n', encoding="utf-8")
    return load_config(tmp_path / "sheetsync.toml")


def members(path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {i.filename: z.read(i.filename) for i in z.infolist()}


def cells_xml(sheet: bytes) -> dict[str, bytes]:
    root = etree.fromstring(sheet)
    return {c.get("r"): etree.tostring(c) for c in root.iter(f"{MAIN}c")}


BOOKKEEPING = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "[Content_Types].xml",
               "xl/styles.xml"}


@pytest.fixture
def student_book(tmp_path):
    (tmp_path / "students").mkdir()
    path = tmp_path / "students" / "anna.xlsx"
    excel_like_workbook(path, tmp_path)
    return local_config(tmp_path), path


def test_two_nights_change_only_the_owned_cells_summary_and_bookkeeping(student_book):
    config, path = student_book
    before = members(path)
    assert run_nightly(config, now=NOW).ok
    book = load_workbook(path)
    after_first = members(path)
    assert run_nightly(config, now=NOW).ok         # the night that checks what it wrote
    after = members(path)
    assert after == after_first                    # nothing to change: no write at all
    changed = {n for n in before if before[n] != after.get(n)}
    assert changed <= {"xl/worksheets/sheet1.xml"} | BOOKKEEPING, changed
    assert set(after) - set(before) == {"xl/worksheets/sheet2.xml"}      # the summary tab
    assert book.sheetnames == ["CRM", "sheetsync"]
    # the CRM sheet: every cell that is not ours has the very same XML
    old, new = cells_xml(before["xl/worksheets/sheet1.xml"]), cells_xml(after["xl/worksheets/sheet1.xml"])
    owned = {ref for ref in new if ref.rstrip("0123456789") in ("I", "J", "K")}
    assert {r for r in old if r not in owned} <= set(new)
    assert all(new[ref] == xml for ref, xml in old.items() if ref not in owned)
    # the parts openpyxl would drop are there, byte for byte
    for part in ("xl/media/image1.png", "xl/charts/chart1.xml", "xl/drawings/drawing1.xml",
                 "xl/threadedComments/threadedComment1.xml", "xl/pivotCache/pivotCacheDefinition1.xml"):
        assert after[part] == before[part], part
    assert b"x14:conditionalFormattings" in after["xl/worksheets/sheet1.xml"]   # the sheet's extLst
    crm = load_workbook(path)["CRM"]
    assert [crm.cell(1, c).value for c in (9, 10, 11)] == [
        "⚑ Flaggor", "⚑ Läge", "⚑ Nästa steg"]
    assert crm["H2"].value == '=IF(D2="ja","Klar!","")'            # the formula column stays theirs


def test_a_formula_company_is_still_read_with_its_cached_result(student_book):
    config, path = student_book
    for _ in range(2):
        assert run_nightly(config, now=NOW).ok
    student = XlsxBackend(config).roster()[0]
    reading = read_crm(XlsxBackend(config).read(student), year=2026)
    assert "Volvo AB" in list(reading.normalized.frame["company"])
    assert reading.normalized.frame["company"].notna().sum() == 4


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path):
    (tmp_path / "students").mkdir()
    path = tmp_path / "students" / "s.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("CRM").write_row(0, 0, ["Företag"])
    book.close()
    package = ooxml.Package(path)
    package.add_sheet("sheetsync")
    package.set_cells("CRM", [(2, 1, '=IMPORTXML("http://x","//a")'), (3, 1, "+1+1"), (4, 1, 42),
                              (5, 1, "  med mellanslag "), (6, 1, "ctrl\x01char")])
    package.set_cells("sheetsync", [(1, 1, "sheetsync: sammanfattning")])
    package.save(path)
    ws = load_workbook(path)["CRM"]
    assert [ws.cell(r, 1).value for r in range(2, 6)] == ['=IMPORTXML("http://x","//a")', "+1+1", 42,
                                                          "  med mellanslag "]
    assert all(ws.cell(r, 1).data_type != "f" for r in range(2, 7))
    assert load_workbook(path)["sheetsync"]["A1"].value == "sheetsync: sammanfattning"


def test_a_workbook_open_in_another_program_is_skipped_with_one_line(student_book):
    config, path = student_book
    lock = path.parent / f".~lock.{path.name}#"          # LibreOffice's; Excel's is ~$name
    lock.write_text("someone,host", encoding="utf-8")
    before = path.read_bytes()
    report = run_nightly(config, now=NOW)
    outcome = report.students[0]
    assert outcome.status == "skipped" and "open in another program" in outcome.message
    assert str(path) in outcome.message and "\n" not in outcome.message
    assert path.read_bytes() == before
    lock.unlink()
    assert run_nightly(config, now=NOW).students[0].status == "ok"


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write a read-only file")
def test_a_read_only_workbook_is_skipped_with_one_line(student_book):
    config, path = student_book
    path.chmod(stat.S_IRUSR)
    try:
        outcome = run_nightly(config, now=NOW).students[0]
        assert outcome.status == "skipped" and "read-only" in outcome.message
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_a_save_by_the_student_while_we_write_is_never_lost(student_book, monkeypatch):
    config, path = student_book
    real_save = ooxml.Package.save
    saves = []

    def student_saves_meanwhile(self, target):
        real_save(self, target)
        if not saves:                      # the student's Excel saves the file just now
            book = load_workbook(path)
            book["CRM"]["F3"] = "ny kommentar"
            book.save(path)
            os.utime(path, ns=(1, os.stat(path).st_mtime_ns + 10**9))
        saves.append(1)
    monkeypatch.setattr(ooxml.Package, "save", student_saves_meanwhile)
    report = run_nightly(config, now=NOW)
    assert report.ok and report.edit_retries >= 1
    ws = load_workbook(path)["CRM"]
    assert ws["F3"].value == "ny kommentar"                  # their save stands
    assert ws.cell(1, 9).value == "⚑ Flaggor"        # and ours was redone on top of it


def test_calamine_and_openpyxl_read_the_same_cells(tmp_path, student_book):
    """The fast reader (python-calamine) and openpyxl's read-only mode give the same
    snapshot, cell by cell, on the demo cohort, on an Excel-like workbook and on odd
    values (dates, times, booleans, numbers, errors, blanks in between)."""
    from openpyxl import Workbook as XlWorkbook

    from sheetsync.demo import generate_cohort, write_demo
    from sheetsync.workbook import cell_text, trim_grid
    demo = load_config(write_demo(tmp_path / "demo", generate_cohort(12, 3, NOW)))
    odd = XlWorkbook()
    ws = odd.active
    ws.append(["Företag", "Datum", "Tid", "Ja?", "Tal", "Fel", "", "Sist"])
    ws.append(["Volvo AB", dt.date(2026, 5, 3), dt.datetime(2026, 5, 3, 14, 30), True, 3.25, "#REF!", None, 7])
    ws.append([None, None, None, False, 46145, "=1+1", "", 0])
    odd.save(tmp_path / "odd.xlsx")
    paths = sorted((tmp_path / "demo" / "students").glob("*.xlsx")) + [tmp_path / "odd.xlsx", student_book[1]]

    def snapshot(values):
        return {t: trim_grid([[cell_text(v) for v in row] for row in rows]) for t, rows in values.items()}
    folder = tmp_path / "demo" / "students"
    for i, path in enumerate(paths):
        shutil.copy(path, folder / f"copy-{i}.xlsx")
        student = Student(id=f"copy-{i}", name="x", file=f"copy-{i}.xlsx")
        fast = {t: tab.rows for t, tab in XlsxBackend(demo).read(student).tabs.items()}
        book = load_workbook(path, read_only=True, data_only=True)
        slow = snapshot({ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets})
        book.close()
        assert fast == slow, path.name
    assert demo
