"""One night over a cohort of hostile workbooks (tests/adversarial.py), locally and on
Google (FakeGoogle through real gspread): no crash, every cell the student typed kept
byte for byte, text that looks like a formula never becomes one where we write, leads
found where a person finds them, one clear message for a sheet nobody can read, and the
ordinary students beside them untouched."""
from __future__ import annotations

import shutil

import pytest
from openpyxl import load_workbook

from jobs.nightly import run_nightly
from sheetsync import load_config
from sheetsync.backends.google import GoogleBackend
from sheetsync.state import StateStore
from sheetsync.testing import FakeGoogle
from tests.adversarial import CASES, FORMULA_TEXTS, RLM, ZWSP, _crm, _leads, book_cells
from tests.conftest import NOW
from tests.helpers import HEADER, LEADS, owned

# four students, none has called yet, holding one company under invisible differences:
# one company for the cap of 3, so lots are drawn among all four
CAP_NAMES = {"cap_plain": "Scania AB", "cap_zwsp": f"Sca{ZWSP}nia AB", "cap_rlm": f"{RLM}Scania AB",
             "cap_zwsp_space": f"Scania{ZWSP} AB"}
OK_EXTRA = {"plain": {f"Vanlig {i} AB" for i in (1, 2, 3)}, "formula_twin": set(),
            **{sid: {name} for sid, name in CAP_NAMES.items()}}


SKIPPED = {name for name, make in CASES.items() if make().skipped}


def cells(path) -> dict:
    return {k: v for k, (v, _) in book_cells(path).items()}


def _kinds(path) -> dict:
    """(tab, row, col) -> openpyxl data type ('f' a formula, 's' text, 'n' a number)."""
    return {k: kind for k, (_, kind) in book_cells(path).items()}


def _students_own(book_cells: dict) -> dict:
    return {k: v for k, v in book_cells.items() if k not in owned(book_cells)}


@pytest.fixture(scope="module")
def night(tmp_path_factory):
    folder = tmp_path_factory.mktemp("adversarial")
    students = folder / "students"
    students.mkdir()
    cases = {name: make() for name, make in CASES.items()}
    for name, case in cases.items():
        case.book.save(students / f"{name}.xlsx")
    shutil.copy(students / "formula_text.xlsx", students / "formula_twin.xlsx")   # on the master's Companies tab
    cases["formula_twin"] = CASES["formula_text"]()
    _crm(_leads("Vanlig")).save(students / "plain.xlsx")
    for sid, name in CAP_NAMES.items():
        _crm([[name, "Anna", "070-777 00 09", "", "", ""]]).save(students / f"{sid}.xlsx")
    (folder / "sheetsync.toml").write_text(
        '[cohort]\nname = "Adversarial"\nlanguage = "sv"\n[calendar]\nyear = 2026\n'
        '[backend]\nkind = "xlsx"\nfolder = "students"\n[master]\npath = "master.xlsx"\n'
        '[state]\npath = ".sheetsync/state.db"\n', encoding="utf-8")     # roster: every workbook
    before = {p.stem: (cells(p), _kinds(p)) for p in students.glob("*.xlsx")}
    # a password to open makes Excel save an OLE compound file (its header, then sectors)
    (students / "locked.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    config = load_config(folder / "sheetsync.toml")
    report = run_nightly(config, now=NOW)
    return config, report, before, cases


def outcome(night, sid):
    return next(o for o in night[1].students if o.id == sid)


@pytest.mark.parametrize("sid", list(CASES) + list(OK_EXTRA))
def test_no_student_cell_changes_and_no_formula_appears(night, sid):
    config, report, before, _ = night
    path = config.resolve("students") / f"{sid}.xlsx"
    cells_before, kinds_before = before[sid]
    after = cells(path)
    assert "internal error" not in outcome(night, sid).message
    if sid == "typed_into_owned_columns":        # headed like ours: moved to the summary, not lost
        summary = [v for (tab, _, _), v in after.items() if tab == "sheetsync"]
        assert summary.count("Din anteckning i G2 flyttades hit: min egen flagga") == 1
        assert "Din anteckning i G3 flyttades hit: min egen flagga" in summary
    assert _students_own(after) == _students_own(cells_before)
    for key, kind in _kinds(path).items():
        assert kind != "f" or kinds_before.get(key) == "f", (sid, key, after[key])


@pytest.mark.parametrize("sid", [s for s in CASES if s not in SKIPPED] + list(OK_EXTRA))
def test_leads_are_found_where_a_person_finds_them(night, sid):
    cases = night[3]
    expected = OK_EXTRA[sid] if sid in OK_EXTRA and sid != "formula_twin" else cases[sid].companies
    result = outcome(night, sid)
    assert result.status == "ok", result.message
    assert result.leads == len(expected)


@pytest.mark.parametrize("sid", sorted(SKIPPED))
def test_an_unreadable_sheet_gets_one_clear_message_naming_it(night, sid):
    result = outcome(night, sid)
    assert result.status == "skipped"
    assert f"{sid}.xlsx" in result.message                        # the student's file
    assert all(w in result.message for w in night[3][sid].skipped), result.message
    assert "Traceback" not in result.message


def test_the_night_ends_and_only_the_unreadable_are_not_ok(night):
    report = night[1]
    not_ok = {o.id for o in report.students if o.status != "ok"}
    assert not_ok == SKIPPED | {"locked"}
    assert all(o.status != "failed" for o in report.students if o.id != "locked")


def test_a_password_protected_workbook_is_named_with_what_to_do(night):
    locked = outcome(night, "locked")
    assert locked.status == "failed" and "locked.xlsx" in locked.message
    assert "password-protected" in locked.message and "without a password" in locked.message


def test_a_totals_row_gets_no_flags_of_a_lead(night):
    config = night[0]
    crm = load_workbook(config.resolve("students") / "totals_row.xlsx")["CRM"]
    header = [c.value for c in crm[1]]
    for kind in ("⚑ Flaggor", "⚑ Läge", "⚑ Nästa steg"):
        col = header.index(kind) + 1
        assert crm.cell(row=2, column=col).value or kind == "⚑ Flaggor"     # the leads get theirs
        assert crm.cell(row=6, column=col).value is None and crm.cell(row=7, column=col).value is None


def test_formula_looking_company_names_reach_the_master_as_text(night):
    master = load_workbook(night[0].resolve("master.xlsx"))
    found = {c.value: c.data_type for ws in master.worksheets for row in ws.iter_rows() for c in row
             if c.value in FORMULA_TEXTS}
    assert {FORMULA_TEXTS[0], FORMULA_TEXTS[3]} <= set(found)
    assert set(found.values()) == {"s"}
    assert not any(c.data_type == "f" for ws in master.worksheets for row in ws.iter_rows() for c in row)


def test_one_company_under_invisible_characters_counts_once_for_the_cap(night):
    draws = StateStore(night[0].state_path).draws()
    assert sorted(draws["scania"]) == sorted(CAP_NAMES)      # four holders, one lottery
    assert not [k for k in draws if k != "scania"]


# ---- Google: the same sheets in FakeGoogle, written RAW ------------------------------------
GOOGLE_CASES = ["formula_text", "long_and_multiline_text", "header_below_title", "two_header_rows", "totals_row", "rtl_and_zero_width",
                "crm_on_third_tab", "dates_and_numbers_as_text", "one_column", "empty_workbook"]


def _grids(book) -> tuple[dict[str, list[list]], list[tuple]]:
    """A workbook's tabs as the values a student typed into Google Sheets, and its
    formulas (tab, row, col, formula) to type in as formulas."""
    grids, formulas = {}, []
    for ws in book.worksheets:
        grids[ws.title] = [[("" if c.value is None or c.data_type == "f" else c.value) for c in row]
                           for row in ws.iter_rows()]
        formulas += [(ws.title, c.row, c.column, c.value) for row in ws.iter_rows() for c in row
                     if c.data_type == "f"]
    return grids, formulas


def one_student_on_google(google, tmp_path, sid: str, student: str):
    """A cohort of one on Google: its config and the staff's master sheet's id."""
    master = google.create_spreadsheet("Master", {"Blad1": []}, owner="staff@school.example")
    google.credentials_file(tmp_path / "credentials.json")
    (tmp_path / "sheetsync.toml").write_text(
        f'[backend]\nkind = "google"\n[master]\nsheet = "{master}"\n[state]\npath = "s.db"\n'
        f'[[students]]\nid = "{student}"\nname = "Adv"\nsheet = "{sid}"\n', encoding="utf-8")
    return load_config(tmp_path / "sheetsync.toml"), master


@pytest.fixture(scope="module")
def google():
    with FakeGoogle() as fake:
        yield fake


@pytest.mark.parametrize("name", GOOGLE_CASES)
def test_on_google_nothing_typed_changes_and_formula_text_stays_text(google, tmp_path, name, read_via):
    case = CASES[name]()
    grids, formulas = _grids(case.book)
    sid = google.create_spreadsheet(name, grids)
    for tab, row, col, formula in formulas:             # a totals row's =COUNTA(...) shows a figure
        google.set_formula(sid, tab, row, col, formula, shows="3")
    config, master = one_student_on_google(google, tmp_path, sid, name)
    book = google.books[sid]
    typed = {(s.title, r, c): (cell.kind, cell.value) for s in book.sheets for (r, c), cell in s.cells.items()}
    report = run_nightly(config, now=NOW, backend=GoogleBackend(config, sleep=lambda s: None))
    result = report.students[0]
    if case.skipped:
        assert result.status == "skipped" and "internal error" not in result.message
    else:
        assert result.status == "ok", result.message
        assert result.leads == len(case.companies)
    after = {(s.title, r, c): (cell.kind, cell.value) for s in book.sheets for (r, c), cell in s.cells.items()}
    assert {k: after.get(k) for k in typed} == typed
    for spreadsheet in (google.books[sid], google.books[master]):    # no formula but the student's
        assert not [k for s in spreadsheet.sheets for k, cell in s.cells.items()
                    if cell.kind == "formula" and (s.title, *k) not in typed]


def test_a_space_slipped_into_the_last_cell_keeps_our_columns_beside_the_header(night):
    after = cells(night[0].resolve("students") / "stray_cells_far_away.xlsx")
    header = {col: v for (tab, row, col), v in after.items() if tab == "CRM" and row == 1}
    assert [header[c] for c in (7, 8, 9)] == ["⚑ Flaggor", "⚑ Läge", "⚑ Nästa steg"]
    assert max(col for (_, _, col) in after) == 16_384           # Excel's last column, untouched
    assert after[("CRM", 1, 16_384)] == " " and after[("CRM", 1_048_576, 1)] == " "


def test_on_google_a_space_far_right_of_the_table_keeps_our_columns_beside_the_header(google, tmp_path, read_via):
    # both readers read a lone space far past the row's text as the empty cell it looks
    # like: our columns go beside the header, and the space (inserted around) stays theirs
    rows = [HEADER + [""] * 53 + [" "]] + [lead + [""] * 54 for lead in LEADS]
    sid = google.create_spreadsheet("far space", {"CRM": rows}, cols=70)
    config, _ = one_student_on_google(google, tmp_path, sid, "far")
    assert run_nightly(config, now=NOW, backend=GoogleBackend(config, sleep=lambda s: None)).ok
    header = google.books[sid].sheet("CRM").cells
    assert [header[(0, c)].value for c in (6, 7, 8)] == ["⚑ Flaggor", "⚑ Läge", "⚑ Nästa steg"]
    assert header[(0, 62)].value == " "                 # column 60 moved right by our three
