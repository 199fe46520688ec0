"""Trust in the student's sheet: nothing a student typed is lost, and every flag sits on
its own lead. Each case as a student meets it, through real gspread against FakeGoogle
(edits made with the API calls the Sheets UI sends) and, where it applies, through the
local .xlsx backend."""
import datetime as dt

import pytest
from openpyxl import Workbook, load_workbook

from jobs.nightly import run_nightly
from jobs.undo import undo_run
from sheetsync import load_config
from sheetsync.backends.google import GoogleBackend
from sheetsync.state import StateStore
from sheetsync.testing import FakeGoogle
from sheetsync.writeback.owned import KINDS
from tests.helpers import EXPECT, HEADER, LEADS

pytestmark = pytest.mark.usefixtures("read_via")     # on both Google read paths

NOW = dt.date(2026, 5, 12)
OWNED_HEADERS = ["⚑ Flaggor", "⚑ Läge", "⚑ Nästa steg"]
FORMULA = '=IF(D{r}="ja";"Klar!";"")'


# ---- Google: a student's spreadsheet in the fake -------------------------------------------
class GoogleStudent:
    def __init__(self, google, tmp_path, tabs):
        self.google = google
        self.sid = google.create_spreadsheet("CRM", tabs)
        master = google.create_spreadsheet("Master", {"Blad1": []}, owner="staff@school.example")
        google.credentials_file(tmp_path / "credentials.json")
        (tmp_path / "sheetsync.toml").write_text(
            f'[backend]\nkind = "google"\n[master]\nsheet = "{master}"\n[state]\npath = "s.db"\n'
            f'[[students]]\nid = "s"\nname = "S"\nsheet = "{self.sid}"\n', encoding="utf-8")
        self.config = load_config(tmp_path / "sheetsync.toml")

    def night(self):
        return run_nightly(self.config, now=NOW, backend=GoogleBackend(self.config, sleep=lambda s: None))

    @property
    def book(self):
        return self.google.books[self.sid]

    def sheet_id(self, tab="CRM"):
        return self.book.sheet(tab).sheet_id

    def rows(self, tab="CRM"):
        return self.google.get_values(self.sid, tab)

    def owned_cols(self, tab="CRM") -> dict[str, int]:
        """kind -> 0-based column, from our marks."""
        out = {}
        for m in self.google.metadata(self.sid):
            span = m["location"].get("dimensionRange")
            if span and span["sheetId"] == self.sheet_id(tab) and m["metadataValue"] in KINDS:
                out[m["metadataValue"]] = span["startIndex"]      # not the colours' mark (formats.look_mark)
        return out

    def student_cells(self) -> dict:
        """Every cell the student owns, with its kind and value (a formula as its text)."""
        owned_cols = set(self.owned_cols().values())
        ours = {m["location"]["sheetId"] for m in self.google.metadata(self.sid)
                if m["location"].get("locationType") == "SHEET"}
        return {(s.title, r, c): (cell.kind, cell.value) for s in self.book.sheets
                if s.sheet_id not in ours for (r, c), cell in s.cells.items()
                if not (s.title == "CRM" and c in owned_cols)}

    def type_into(self, tab, row, col, text):
        """The student types text into a cell (1-based), as the UI sends it."""
        self.google.edit(self.sid, [{"updateCells": {
            "start": {"sheetId": self.sheet_id(tab), "rowIndex": row - 1, "columnIndex": col - 1},
            "rows": [{"values": [{"userEnteredValue": {"stringValue": text}}]}],
            "fields": "userEnteredValue"}}])

    def dimension(self, kind, dim, start, end, tab="CRM"):
        self.google.edit(self.sid, [{kind: {"range": {"sheetId": self.sheet_id(tab), "dimension": dim,
                                                      "startIndex": start, "endIndex": end}}}])


@pytest.fixture
def google():
    with FakeGoogle() as fake:
        yield fake


def with_formula_column(google_student):
    for r in range(2, len(LEADS) + 2):
        google_student.google.set_formula(google_student.sid, "CRM", r, 7, FORMULA.format(r=r), shows="")


def flags_by_company(rows, flag_col):
    return {r[0]: (r[flag_col] if flag_col < len(r) else "") for r in rows[1:] if r and r[0]}


def assert_flags_on_their_leads(rows, flag_col):
    for company, text in flags_by_company(rows, flag_col).items():
        code = EXPECT.get(company)
        if code:
            assert text.split("\n")[0].endswith(f"({code})"), (company, text)
        else:
            assert not any(c in text for c in ("CL05", "CL04", "FU02")), (company, text)


# ---- local: a folder with one student's workbook ------------------------------------------
def local_student(tmp_path, build):
    folder = tmp_path / "students"
    folder.mkdir()
    book = Workbook()
    ws = book.active
    ws.title = "CRM"
    for row in [HEADER] + LEADS:
        ws.append(row)
    build(book)
    book.save(folder / "s.xlsx")
    (tmp_path / "sheetsync.toml").write_text(
        '[backend]\nkind = "xlsx"\nfolder = "students"\n[master]\npath = "master.xlsx"\n'
        '[state]\npath = "s.db"\n', encoding="utf-8")
    return load_config(tmp_path / "sheetsync.toml"), folder / "s.xlsx"


def xlsx_cells(path, skip_tabs=(), skip_cols=()):
    book = load_workbook(path)
    return {(ws.title, c.row, c.column): c.value for ws in book.worksheets if ws.title not in skip_tabs
            for row in ws.iter_rows() for c in row
            if c.value is not None and not (ws.title == "CRM" and c.column in skip_cols)}


def xlsx_header(path, tab="CRM"):
    return [c.value for c in load_workbook(path)[tab][1]]


# ---- a column of the student's formulas that shows nothing --------------------------------
def test_a_formula_column_without_header_is_the_students_on_google(google, tmp_path):
    student = GoogleStudent(google, tmp_path, {"CRM": [HEADER] + LEADS})
    with_formula_column(student)
    before = student.student_cells()
    for _ in range(3):
        assert student.night().ok
    assert student.student_cells() == before                       # formulas G2:G5 intact
    assert student.owned_cols() == {"flags": 7, "state": 8, "next": 9}   # H..J, right of them
    assert student.rows()[0][7:10] == OWNED_HEADERS
    assert_flags_on_their_leads(student.rows(), 7)


def test_a_formula_column_without_header_is_the_students_in_xlsx(tmp_path):
    def formulas(book):
        for r in range(2, len(LEADS) + 2):
            book["CRM"].cell(row=r, column=7).value = FORMULA.format(r=r).replace(";", ",")
    config, path = local_student(tmp_path, formulas)
    before = xlsx_cells(path)
    for _ in range(3):
        assert run_nightly(config, now=NOW).ok
    assert xlsx_header(path)[6:10] == [None] + OWNED_HEADERS
    assert xlsx_cells(path, skip_tabs=("sheetsync",), skip_cols=(8, 9, 10)) == before


# ---- a tab of the student's own named `sheetsync` -----------------------------------------
def test_a_students_own_sheetsync_tab_is_left_alone_on_google(google, tmp_path):
    student = GoogleStudent(google, tmp_path, {"CRM": [HEADER] + LEADS,
                                               "sheetsync": [["Mina anteckningar"], ["", "räkna"]]})
    google.set_formula(student.sid, "sheetsync", 2, 1, "=SUM(1;2)", shows="3")
    before = student.student_cells()
    for _ in range(3):
        assert student.night().ok
    assert student.student_cells() == before
    assert student.rows("sheetsync") == [["Mina anteckningar"], ["3", "räkna"]]
    ours = student.rows("sheetsync (2)")
    assert ours[0] == ["sheetsync: sammanfattning"]
    assert any("Din egen flik 'sheetsync' lämnas orörd" in " ".join(r) for r in ours)
    assert [s.title for s in student.book.sheets].count("sheetsync (2)") == 1


def test_a_students_own_sheetsync_tab_is_left_alone_in_xlsx(tmp_path):
    def own_tab(book):
        ws = book.create_sheet("sheetsync")
        ws["A1"], ws["A2"] = "Mina anteckningar", "=SUM(1,2)"
    config, path = local_student(tmp_path, own_tab)
    before = xlsx_cells(path)
    for _ in range(3):
        assert run_nightly(config, now=NOW).ok
    book = load_workbook(path)
    assert book.sheetnames == ["CRM", "sheetsync", "sheetsync (2)"]
    assert xlsx_cells(path, skip_tabs=("sheetsync (2)",), skip_cols=(7, 8, 9)) == before
    assert book["sheetsync (2)"]["A1"].value == "sheetsync: sammanfattning"


# ---- a value typed in the moment between our read and the first structural call -----------
# when the value is typed: on the Sheets read path, just before the structural call made
# right after the read (its reply shows the sheet as it then is); on the export path, in the
# write phase just before the shape read (the version check before the write then sees it)
TYPED_AT = {"sheets": {"kind": "write"}, "export": {"kind": "read"}}


@pytest.mark.parametrize("read_via", TYPED_AT)
def test_a_value_typed_between_the_read_and_the_first_structural_call_is_kept(google, tmp_path, read_via):
    student = GoogleStudent(google, tmp_path, {"CRM": [HEADER] + LEADS})
    student.config.quota["read_via"] = read_via

    def types_in_the_free_column():
        student.type_into("CRM", 1, 7, "Ringt?")             # where our header would go
        student.type_into("CRM", 3, 7, "ja")
    google.before(types_in_the_free_column, path=student.sid, **TYPED_AT[read_via])
    assert student.night().ok
    rows = student.rows()
    # seen before our write: our columns go right of it; typed in the very moment of the
    # structural call: our inserted columns push it right
    theirs = rows[0].index("Ringt?")
    assert rows[2][theirs] == "ja"
    owned = student.owned_cols()
    assert theirs not in owned.values() and owned["state"] == owned["flags"] + 1 == owned["next"] - 1
    assert rows[0][owned["flags"]:owned["flags"] + 3] == OWNED_HEADERS
    assert_flags_on_their_leads(rows, owned["flags"])


# ---- text typed into an owned cell -------------------------------------------------------
def test_a_note_typed_into_an_owned_cell_is_logged_shown_and_undone_on_google(google, tmp_path):
    student = GoogleStudent(google, tmp_path, {"CRM": [HEADER] + LEADS})
    assert student.night().ok
    flags = student.owned_cols()["flags"] + 1
    ours = student.rows()[2][flags - 1]
    student.type_into("CRM", 3, flags, "ringde dem idag")
    report = student.night()
    assert report.ok
    assert student.rows()[2][flags - 1] == ours                    # the flag is back on its lead
    state = StateStore(student.config.state_path)
    logged = state.cell_writes(report.run_id)
    state.close()
    assert [(e["cell"], e["old"]) for e in logged] == [("G3", "ringde dem idag")]
    summary = [" ".join(r) for r in student.rows("sheetsync")]
    assert any("Din anteckning i G3 flyttades hit: ringde dem idag" in line for line in summary)
    undone = undo_run(student.config, report.run_id, backend=GoogleBackend(student.config, sleep=lambda s: None))
    assert undone.restored == 1
    assert student.rows()[2][flags - 1] == "ringde dem idag"
    third = student.night()                                        # shown once, not every night
    assert third.ok
    summary = [" ".join(r) for r in student.rows("sheetsync")]
    assert sum("ringde dem idag" in line for line in summary) == 1


def test_a_note_typed_into_an_owned_cell_is_logged_and_undone_in_xlsx(tmp_path):
    config, path = local_student(tmp_path, lambda book: None)
    assert run_nightly(config, now=NOW).ok
    book = load_workbook(path)
    book["CRM"]["H4"] = "ska maila på fredag"                      # the state column, Ikea's row
    book.save(path)
    report = run_nightly(config, now=NOW)
    assert report.ok
    assert load_workbook(path)["CRM"]["H4"].value != "ska maila på fredag"
    summary = [c for row in load_workbook(path)["sheetsync"].iter_rows(values_only=True) for c in row if c]
    assert "Din anteckning i H4 flyttades hit: ska maila på fredag" in summary
    assert undo_run(config, report.run_id).restored == 1
    assert load_workbook(path)["CRM"]["H4"].value == "ska maila på fredag"


# ---- an owned header renamed, cleared, or moved ------------------------------------------
def test_a_renamed_or_cleared_owned_header_is_restored_not_duplicated_on_google(google, tmp_path):
    student = GoogleStudent(google, tmp_path, {"CRM": [HEADER] + LEADS})
    assert student.night().ok
    student.type_into("CRM", 1, 7, "Mina flaggor")
    student.type_into("CRM", 1, 8, "")
    assert student.night().ok
    rows = student.rows()
    assert rows[0] == HEADER + OWNED_HEADERS                       # three owned columns, no more
    assert_flags_on_their_leads(rows, 6)
    # the student inserts a column of their own before ours: the marks move with them
    student.dimension("insertDimension", "COLUMNS", 6, 7)
    student.type_into("CRM", 1, 7, "Mitt")
    assert student.night().ok
    rows = student.rows()
    assert rows[0] == HEADER + ["Mitt"] + OWNED_HEADERS
    assert_flags_on_their_leads(rows, 7)


def test_a_renamed_or_cleared_owned_header_is_restored_not_duplicated_in_xlsx(tmp_path):
    config, path = local_student(tmp_path, lambda book: None)
    assert run_nightly(config, now=NOW).ok
    book = load_workbook(path)
    book["CRM"]["G1"], book["CRM"]["H1"] = "Mina flaggor", None
    book.save(path)
    assert run_nightly(config, now=NOW).ok
    assert xlsx_header(path) == HEADER + OWNED_HEADERS


# ---- an edit between the version check and the values write ------------------------------
EDITS = {
    "rows inserted at the top": lambda s: (s.dimension("insertDimension", "ROWS", 1, 2),
                                           s.type_into("CRM", 2, 1, "Nytt AB")),
    "a sort": lambda s: s.google.edit(s.sid, [{"sortRange": {
        "range": {"sheetId": s.sheet_id(), "startRowIndex": 1, "endRowIndex": 1 + len(LEADS),
                  "startColumnIndex": 0, "endColumnIndex": 26},
        "sortSpecs": [{"dimensionIndex": 0, "sortOrder": "DESCENDING"}]}}]),
    "a row deleted": lambda s: s.dimension("deleteDimension", "ROWS", 1, 2),
}


@pytest.mark.parametrize("edit", EDITS)
def test_flags_are_right_by_the_next_night_after_an_edit_racing_our_write(google, tmp_path, edit):
    student = GoogleStudent(google, tmp_path, {"CRM": [HEADER] + LEADS})
    # the edit lands after our Drive version check, just before the values write
    google.before(lambda: EDITS[edit](student), kind="write", path="values:batchUpdate")
    assert student.night().ok
    assert student.night().ok
    assert_flags_on_their_leads(student.rows(), 6)


# ---- a structural call whose reply was lost --------------------------------------------
def test_a_structural_call_retried_after_its_reply_was_lost_ends_ok(google, tmp_path):
    student = GoogleStudent(google, tmp_path, {"CRM": [HEADER] + LEADS})
    google.fail("reset_after", kind="write", path=student.sid)    # applied, then the reply lost
    report = student.night()
    assert report.ok, report.table()
    assert [s.title for s in student.book.sheets] == ["CRM", "sheetsync"]
    assert sorted(student.owned_cols()) == ["flags", "next", "state"]
    assert_flags_on_their_leads(student.rows(), 6)
    assert student.night().ok and sum(o.cells_written for o in student.night().students) == 0


# ---- a header renamed, or a column gone: no collapse is published ------------------------
def flags_and_numbers(student):
    rows = student.rows()
    flag_col = rows[0].index("⚑ Flaggor")
    summary = {r[0]: r[1] for r in student.rows("sheetsync") if len(r) > 1 and r[0]}
    summary.pop("Senast uppdaterad", None)
    return flags_by_company(rows, flag_col), summary


def master_row(google, config, name="S"):
    rows = google.get_values(config.master["sheet"], "Studenter")
    header = rows[0]
    return dict(zip(header, next(r for r in rows[1:] if r[0] == name)))


def test_a_renamed_company_header_keeps_the_same_flags_and_numbers(google, tmp_path):
    header = ["Arbetsgivare"] + HEADER[1:]
    student = GoogleStudent(google, tmp_path, {"CRM": [header] + LEADS})
    assert student.night().ok
    before = flags_and_numbers(student)
    assert before[1]["Leads"] == "4"
    student.type_into("CRM", 1, 1, "Vem")                       # a header nobody would guess
    report = student.night()
    assert report.ok
    assert flags_and_numbers(student) == before
    # understood by its values (company names) or carried from last night's 'Arbetsgivare'
    assert any("'Vem'" in line and "company" in line and ("Arbetsgivare" in line or "by content" in line)
               for line in report.students[0].understood)
    assert master_row(google, student.config)["Leads"] == "4"


def test_a_company_column_gone_keeps_last_nights_flags_and_needs_attention(google, tmp_path):
    student = GoogleStudent(google, tmp_path, {"CRM": [HEADER] + LEADS})
    assert student.night().ok
    flags, numbers = flags_and_numbers(student)
    crm_before = student.rows()
    # the student types over the company column: new header, other content
    google.set_values(student.sid, "CRM", [["Anteckning"] + r[1:] if i == 0 else ["x"] + r[1:]
                                           for i, r in enumerate(crm_before)])
    crm_now = student.rows()
    report = student.night()
    assert report.ok
    outcome = report.students[0]
    assert "'Företag' (company)" in outcome.attention
    assert student.rows() == crm_now                             # flags stay as they were
    summary = student.rows("sheetsync")
    assert "Kolumnen 'Företag' finns inte längre" in summary[1][0]
    kept = {r[0]: r[1] for r in summary if len(r) > 1 and r[0]}
    assert kept["Leads"] == numbers["Leads"] == "4"
    row = master_row(google, student.config)
    assert row["Status"] == "behöver åtgärd" and row["Risk"] == "behöver åtgärd" and row["Leads"] == "4"
    # the header is back: an ordinary night, the notice gone
    google.set_values(student.sid, "CRM", crm_before)
    assert student.night().ok
    assert flags_and_numbers(student) == (flags, numbers)
    assert not any("finns inte längre" in " ".join(r) for r in student.rows("sheetsync"))
    assert master_row(google, student.config)["Status"] == "ok"


def test_a_renamed_company_header_keeps_the_same_flags_in_xlsx(tmp_path):
    config, path = local_student(tmp_path, lambda book: None)
    assert run_nightly(config, now=NOW).ok
    before = xlsx_cells(path)
    book = load_workbook(path)
    book["CRM"]["A1"] = "Vem"
    book.save(path)
    report = run_nightly(config, now=NOW)
    assert report.ok and report.students[0].leads == 4 and not report.students[0].attention
    after = xlsx_cells(path)
    assert {k: v for k, v in after.items() if k != ("CRM", 1, 1)} == \
        {k: v for k, v in before.items() if k != ("CRM", 1, 1)}


def test_a_sheet_from_before_marks_keeps_its_owned_columns_under_the_new_headers(google, tmp_path):
    old = ["sheetsync flaggor", "sheetsync läge", "sheetsync nästa steg"]
    student = GoogleStudent(google, tmp_path, {"CRM": [HEADER + old] + [lead + ["x", "öppen", "Ring först"]
                                                                       for lead in LEADS]})
    assert student.night().ok
    rows = student.rows()
    assert rows[0] == HEADER + OWNED_HEADERS                      # same columns, today's headers
    assert student.owned_cols() == {"flags": 6, "state": 7, "next": 8}
    assert_flags_on_their_leads(rows, 6)
    summary_marked = [m for m in google.metadata(student.sid) if m["location"].get("locationType") == "SHEET"]
    assert len(summary_marked) == 1
