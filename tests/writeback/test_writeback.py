"""Write-back: flags on their own leads even when the student edits mid-run, cleanup in
place that is logged and undone exactly, colours and owned columns that come back."""
import pytest
from openpyxl import load_workbook

from jobs.nightly import run_nightly
from jobs.undo import undo_run
from sheetsync import load_config
from sheetsync.backends.google import GoogleBackend
from sheetsync.backends.xlsx import XlsxBackend
from sheetsync.testing import FakeGoogle
from tests.helpers import EXPECT, HEADER, LEADS

pytestmark = pytest.mark.usefixtures("read_via")     # on both Google read paths



def google_config(tmp_path, sid, extra=""):
    (tmp_path / "sheetsync.toml").write_text(
        f'{extra}[backend]\nkind = "google"\n[master]\nsheet = "none"\n[state]\npath = "s.db"\n'
        f'[[students]]\nid = "s"\nname = "S"\nsheet = "{sid}"\n', encoding="utf-8")
    return load_config(tmp_path / "sheetsync.toml")


def flags_by_company(rows):
    header = rows[0]
    fcol = header.index("⚑ Flaggor")
    return {r[0]: (r[fcol] if fcol < len(r) else "") for r in rows[1:] if r}


def assert_flags_on_their_leads(rows):
    for company, text in flags_by_company(rows).items():
        code = EXPECT.get(company, None)
        if code:
            assert text.split("\n")[0].endswith(f"({code})"), (company, text)
        else:
            assert not any(c in text for c in ("CL05", "CL04", "FU02")), (company, text)


# when the student's edit lands, as the calls on their sheet go. On the Sheets read path:
# read, the structural call that adds our columns and tab (it returns the sheet as it then
# is), the Drive version after it, the Drive version check just before the values write.
# On the export path: the Drive export, the shape read in the write phase, the Drive
# version check just before the one write call.
MOMENTS = {("sheets", "before our columns"): {"kind": "write"},
           ("sheets", "just after our columns"): {"kind": "drive"},
           ("sheets", "before the flags"): {"kind": "drive", "skip": 1},
           ("export", "before the shape read"): {"kind": "read"},
           ("export", "before the flags"): {"kind": "drive", "skip": 1}}


@pytest.mark.parametrize("read_via, moment", MOMENTS)
@pytest.mark.parametrize("edit", ["insert", "sort", "delete"])
def test_an_edit_between_read_and_write_still_puts_each_flag_on_its_lead(tmp_path, now, edit, read_via, moment):
    with FakeGoogle() as google:
        sid = google.create_spreadsheet("CRM", {"CRM": [HEADER] + LEADS})
        google.credentials_file(tmp_path / "credentials.json")
        config = google_config(tmp_path, sid)
        config.quota["read_via"] = read_via

        def student_edits():
            rows = google.get_values(sid, "CRM")
            if edit == "insert":
                google.insert_rows(sid, "CRM", 2, [["Spotify", "Eva", "070-555 55 55", "ringt 1 ggr"]])
            elif edit == "delete":                                            # a lead's row removed
                google.edit(sid, [{"deleteDimension": {"range": {
                    "sheetId": google.books[sid].sheet("CRM").sheet_id, "dimension": "ROWS",
                    "startIndex": 2, "endIndex": 3}}}])
            else:                                                             # A-Z: a new order
                google.edit(sid, [{"sortRange": {"range": {
                    "sheetId": google.books[sid].sheet("CRM").sheet_id, "startRowIndex": 1,
                    "endRowIndex": len(rows), "startColumnIndex": 0, "endColumnIndex": 26},
                    "sortSpecs": [{"dimensionIndex": 0, "sortOrder": "ASCENDING"}]}}])
        google.before(student_edits, path=sid, **MOMENTS[read_via, moment])
        report = run_nightly(config, now=now, backend=GoogleBackend(config, sleep=lambda s: None))
        assert report.students[0].status == "ok", report.table()
        assert report.edit_retries == 1
        rows = google.get_values(sid, "CRM")
        assert_flags_on_their_leads(rows)
        assert len([r for r in rows[1:] if r]) == {"insert": 5, "sort": 4, "delete": 3}[edit]


def test_the_local_backend_also_reads_again_after_an_edit(tmp_path, now):
    from openpyxl import Workbook
    folder = tmp_path / "students"
    folder.mkdir()
    book = Workbook()
    for row in [HEADER] + LEADS:
        book.active.append(row)
    book.save(folder / "s.xlsx")
    (tmp_path / "sheetsync.toml").write_text('[backend]\nkind = "xlsx"\n', encoding="utf-8")
    config = load_config(tmp_path / "sheetsync.toml")

    class EditingBackend(XlsxBackend):
        edited = False

        def write(self, student, plan, read):
            if not self.edited:                  # the student sorts while we plan
                self.edited = True
                wb = load_workbook(folder / "s.xlsx")
                ws = wb.active
                rows = [list(r) for r in ws.iter_rows(values_only=True)]
                ws.delete_rows(2, ws.max_row)
                for r in sorted(rows[1:], key=lambda r: r[0], reverse=True):
                    ws.append(r)
                wb.save(folder / "s.xlsx")
            return super().write(student, plan, read)

    report = run_nightly(config, now=now, backend=EditingBackend(config))
    assert report.edit_retries == 1 and report.students[0].status == "ok"
    ws = load_workbook(folder / "s.xlsx").active
    assert_flags_on_their_leads([[c if c is not None else "" for c in r]
                                 for r in ws.iter_rows(values_only=True)])


def test_cleanup_in_place_is_logged_and_undo_restores_it_exactly(tmp_path, now):
    messy = [["Företag", "Telefon", "Senast kontaktad", "Status"],
             ["  Volvo   AB ", "0701234567", "3/5", "ringt 1 ggr"],
             ["Saab AB", "070-123 45 68, 08-123 456 78", "2026-05-04", "ja"],
             ["Ikea", "ring växeln", "i går", "nej"]]
    with FakeGoogle() as google:
        sid = google.create_spreadsheet("CRM", {"CRM": messy})
        google.credentials_file(tmp_path / "credentials.json")
        config = google_config(tmp_path, sid, "[cleanup]\nin_place = true\n")
        backend = GoogleBackend(config, sleep=lambda s: None)
        report = run_nightly(config, now=now, backend=backend)
        rows = google.get_values(sid, "CRM")
        assert [r[:4] for r in rows[1:]] == [
            ["Volvo AB", "070-123 45 67", "2026-05-03", "ringt 1 ggr"],
            ["Saab AB", "070-123 45 68, 08-123 456 78", "2026-05-04", "ja"],   # two numbers: as typed
            ["Ikea", "ring växeln", "i går", "nej"]]                            # unreadable: as typed
        # the student changes one cleaned cell afterwards: undo keeps their value
        google.set_values(sid, "CRM", [r if r[0] != "Volvo AB" else ["Volvo AB", "070-999 99 99"] + r[2:]
                                       for r in rows])
        undone = undo_run(config, report.run_id, backend=GoogleBackend(config, sleep=lambda s: None))
        assert undone.restored == 2 and len(undone.kept) == 1 and "B2" in undone.kept[0]
        after = google.get_values(sid, "CRM")
        assert after[1][:3] == ["  Volvo   AB ", "070-999 99 99", "3/5"]
        assert not any(google.is_formula(sid, "CRM", r, c) for r in range(1, 5) for c in range(1, 8))


def test_owned_columns_are_coloured_and_come_back_after_a_delete(tmp_path, now):
    with FakeGoogle() as google:
        sid = google.create_spreadsheet("CRM", {"CRM": [HEADER] + LEADS})
        google.credentials_file(tmp_path / "credentials.json")
        config = google_config(tmp_path, sid)
        run = lambda: run_nightly(config, now=now, backend=GoogleBackend(config, sleep=lambda s: None))  # noqa: E731
        run()
        formats = [r["addConditionalFormatRule"]["rule"] for r in google.books[sid].requests
                   if "addConditionalFormatRule" in r]
        assert len(formats) == 4                                  # overdue, soon, processed, LIA
        owned = {(g["startColumnIndex"], g["endColumnIndex"]) for f in formats for g in f["ranges"]}
        assert owned == {(6, 9)}                                  # G..I, right of the table
        # the student deletes the owned columns and adds a column of their own, as the
        # Sheets UI does it
        crm = google.books[sid].sheet("CRM").sheet_id
        google.edit(sid, [{"deleteDimension": {"range": {"sheetId": crm, "dimension": "COLUMNS",
                                                         "startIndex": 6, "endIndex": 9}}}])
        google.set_values(sid, "CRM", [r[:6] + (["mitt"] if i == 0 else ["x"])
                                       for i, r in enumerate(google.get_values(sid, "CRM"))])
        run()
        again = google.get_values(sid, "CRM")
        assert again[0][6] == "mitt" and [r[6] for r in again[1:]] == ["x"] * 4
        assert again[0][7:10] == ["⚑ Flaggor", "⚑ Läge", "⚑ Nästa steg"]
        assert_flags_on_their_leads([r[:6] + r[7:] for r in again])


def test_xlsx_owned_columns_get_conditional_formats(demo_config, now):
    run_nightly(demo_config, now=now)
    path = next(demo_config.resolve("students").glob("*.xlsx"))
    ws = load_workbook(path).worksheets[0]
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert len(rules) == 4 and all(r.type == "expression" for r in rules)


def test_owned_columns_read_at_a_glance_in_xlsx(demo_config, now):
    """Wide enough for their text (up to a cap, then wrapped), the header bold and frozen."""
    run_nightly(demo_config, now=now)
    for path in sorted(demo_config.resolve("students").glob("*.xlsx")):
        ws = load_workbook(path).worksheets[0]
        header_row = next(r for r in ws.iter_rows() if any(c.value == "⚑ Flaggor" for c in r))
        flags = next(c for c in header_row if c.value == "⚑ Flaggor")
        h, letter = flags.row, flags.column_letter
        texts = [ws.cell(r, flags.column).value or "" for r in range(h + 1, ws.max_row + 1)]
        width = ws.column_dimensions[letter].width
        longest = max(len(line) for t in texts for line in t.split("\n"))
        assert longest <= 70 and min(longest + 2, 64) <= width <= 64, (path.name, width)
        for r in range(h + 1, ws.max_row + 1):          # a row holds its flags: none prints over the next
            lines = (ws.cell(r, flags.column).value or "").count("\n") + 1
            assert lines == 1 or (ws.row_dimensions[r].height or 15) >= 15 * lines, (path.name, r)
        assert flags.font.b and ws.freeze_panes == f"A{h + 1}", path.name
        assert all(ws.cell(r, flags.column).alignment.wrap_text for r in range(h + 1, ws.max_row + 1)
                   if ws.cell(r, flags.column).value)
        state = ws.cell(h, flags.column + 1)
        assert state.value == "⚑ Läge" and state.font.b and ws.column_dimensions[state.column_letter].width >= 12


def test_owned_columns_read_at_a_glance_on_google_in_the_same_structural_call(tmp_path, now):
    with FakeGoogle() as google:
        sid = google.create_spreadsheet("CRM", {"CRM": [HEADER] + LEADS})
        google.credentials_file(tmp_path / "credentials.json")
        config = google_config(tmp_path, sid)
        run_nightly(config, now=now, backend=GoogleBackend(config, sleep=lambda s: None))
        structural = [c for c in google.calls(path=sid) if c.method == "POST" and c.path.endswith(sid + ":batchUpdate")]
        assert len(structural) == 1                                  # looks ride with the marks and colours
        kinds = [next(iter(r)) for r in google.books[sid].requests]
        crm = google.books[sid].sheet("CRM").sheet_id
        widths = [r["updateDimensionProperties"] for r in google.books[sid].requests if "updateDimensionProperties" in r]
        owned = [w for w in widths if w["range"]["sheetId"] == crm]
        assert [w["range"]["startIndex"] for w in owned] == [6, 7, 8] and all(w["properties"]["pixelSize"] >= 90 for w in owned)
        summary = google.books[sid].sheet("sheetsync").sheet_id
        assert [w["range"]["startIndex"] for w in widths if w["range"]["sheetId"] == summary] == [0, 1, 2]
        cells = [r["repeatCell"] for r in google.books[sid].requests if "repeatCell" in r]
        assert any(c["cell"]["userEnteredFormat"].get("wrapStrategy") == "WRAP" and c["range"]["startColumnIndex"] == 6
                   for c in cells)
        assert sum(c["cell"]["userEnteredFormat"].get("textFormat", {}).get("bold", False) for c in cells
                   if c["range"]["sheetId"] == crm) == 3                      # our three headers
        if config.quota["read_via"] == "export":     # the summary's headings, in the one call
            assert sum(c["cell"]["userEnteredFormat"].get("textFormat", {}).get("bold", False) for c in cells
                       if c["range"]["sheetId"] == summary) >= 4
        assert google.books[sid].sheet("CRM").frozen_rows == 1
        assert "addConditionalFormatRule" in kinds
        google.requests.clear()
        run_nightly(config, now=now, backend=GoogleBackend(config, sleep=lambda s: None))
        run_nightly(config, now=now, backend=GoogleBackend(config, sleep=lambda s: None))
        assert not [c for c in google.calls(path=sid) if c.method == "POST" and c.path.endswith(sid + ":batchUpdate")]
