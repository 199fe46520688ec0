"""Hostile workbooks (tests/adversarial.py) read by the .xlsx reader and the normaliser:
the leads a person would count, each cell read as the text the student typed, and
what cannot be read named by its cell."""
import pytest
from openpyxl import load_workbook

from sheetsync.backends.xlsx import read_xlsx
from sheetsync.config import Student
from sheetsync.normalize import normalize
from sheetsync.normalize.companies import company_key
from sheetsync.normalize.reading import read_crm
from sheetsync.normalize.tabs import choose_crm_tab
from sheetsync.workbook import Tab, Workbook
from tests.adversarial import CASES, FORMULA_TEXTS, HEADER, RLM, ZWSP, _leads


def reading_of(tmp_path, name):
    case = CASES[name]()
    path = tmp_path / f"{name}.xlsx"
    case.book.save(path)
    workbook = read_xlsx(path, Student(name, name), version=None)
    return case, workbook, read_crm(workbook, year=2026, student=name)


@pytest.mark.parametrize("name", [n for n in CASES if n != "empty_workbook"])
def test_the_leads_a_person_would_count(tmp_path, name):
    case, _, reading = reading_of(tmp_path, name)
    assert reading.normalized is not None, name
    assert set(reading.normalized.frame["company"]) == case.companies


def test_an_empty_workbook_is_no_crm(tmp_path):
    assert reading_of(tmp_path, "empty_workbook")[2].tab is None


def test_leads_kept_in_one_cell_are_read_part_by_part_and_named_by_their_cell():
    rows = [["Mitt CRM"], ["Företag | Telefon | Följ upp"], ["Volvo AB | 070-12 | imorgon"],
            ["Saab AB | 070-123 45 67 | 2026-05-20"], ["Ikea"]]
    norm = normalize(rows, year=2026)
    frame = norm.frame
    assert list(frame["company"]) == ["Volvo AB", "Saab AB", "Ikea"] and list(frame["row"]) == [3, 4, 5]
    assert frame["phone"][1] == "+46701234567" and str(frame["follow_up"][1])[:10] == "2026-05-20"
    assert {(p.cell, p.kind) for p in norm.problems} == {("A3", "date"), ("A3", "phone")}
    assert frame["follow_up_unread"][0] == ("A3", "imorgon")
    # unmapped: nothing (a tidied phone, say) is ever written over the company and contact
    assert [(c.index, c.field) for c in norm.columns] == [(0, None)]


def test_formula_looking_text_is_read_as_the_text_typed(tmp_path):
    _, workbook, reading = reading_of(tmp_path, "formula_text")
    typed = {v for row in workbook.tabs["CRM"].rows for v in row}
    assert set(FORMULA_TEXTS) <= typed
    assert not workbook.tabs["CRM"].formulas


def test_long_and_multiline_text_is_read_whole(tmp_path):
    _, workbook, reading = reading_of(tmp_path, "long_and_multiline_text")
    rows = workbook.tabs["CRM"].rows
    on_file = load_workbook(tmp_path / "long_and_multiline_text.xlsx")["CRM"]    # .xlsx holds 32,767 at most
    assert rows[2][5] == on_file["F3"].value and len(rows[2][5]) == 32_767
    assert rows[1][5] == "rad ett\nrad två\r\nrad tre" and rows[3][0] == "Lång\n3 AB"


def test_dates_serials_and_numbers_stored_as_text(tmp_path):
    _, _, reading = reading_of(tmp_path, "dates_and_numbers_as_text")
    frame = reading.normalized.frame.set_index("company")
    assert [str(d)[:10] for d in frame["last_contact"]] == ["2026-05-04"] + ["2026-03-04"] * 3
    assert list(frame["attempts"][:3]) == [3, 2, 1]
    unread = {p.cell: p.value for p in reading.normalized.problems}
    assert unread == {"C4": "igår", "C5": "nästa vecka", "D5": "två"}     # named by cell, not guessed


def test_phone_numbers_in_many_forms(tmp_path):
    _, _, reading = reading_of(tmp_path, "phone_forms")
    phones = list(reading.normalized.frame["phone"])
    assert phones[0] == "+46701234567" and phones[1] == "+46701234568" and phones[4] == "+46701234571"
    assert all(p and p.startswith("+46") for p in phones)


def test_a_totals_row_is_no_lead_and_is_named_by_its_cell(tmp_path):
    _, _, reading = reading_of(tmp_path, "totals_row")
    assert {(p.cell, p.kind) for p in reading.normalized.problems} == {("A6", "totals_row"), ("A7", "totals_row")}
    assert "  cell A6: a totals row, not a lead: 'Summa'" in reading.report_lines()


def test_a_company_named_like_a_total_at_the_bottom_stays_a_lead():
    rows = [HEADER] + _leads("Vanlig", 2) + [["Total AB", "Eva", "070-999 99 99", "ringt", "2026-05-04", ""]]
    assert list(normalize(rows, year=2026).frame["company"])[-1] == "Total AB"


def test_invisible_characters_do_not_make_another_company():
    assert company_key(f"Vol{ZWSP}vo AB") == company_key(f"{RLM}Volvo AB") == company_key("Volvo\u200d AB") == "volvo"


def test_companies_named_in_other_scripts_keep_their_names_apart():
    keys = {company_key(n) for n in ("شركة نور AB", "شركة أخرى AB", "Яндекс", "Лаборатория Касперского",
                                     "Σ Technologies AB")}
    assert len(keys) == 5 and "" not in keys and "ab" not in keys
    assert company_key("Яндекс ООО") != company_key("Касперский ООО")


def test_the_header_under_a_tall_block_of_blank_rows_is_found(tmp_path):
    _, _, reading = reading_of(tmp_path, "header_under_blank_rows")
    assert reading.normalized.header_row == 39


def test_an_empty_template_in_front_is_not_taken_for_the_crm():
    template = Tab("Mall", [HEADER])
    crm = Tab("CRM", [HEADER] + _leads("Riktig"))
    assert choose_crm_tab(Workbook("w", {"Mall": template, "Anteckningar": Tab("Anteckningar", [["hej"]]),
                                         "CRM": crm}, None, "w")) == "CRM"
    assert choose_crm_tab(Workbook("w", {"Mall": template}, None, "w")) == "Mall"    # only a header: still it


def test_a_space_in_the_last_cell_of_a_sheet_is_read_without_a_grid_of_it(tmp_path):
    """calamine would lay out 1,048,576 x 16,384 cells (550 GB) and abort the process."""
    _, workbook, reading = reading_of(tmp_path, "stray_cells_far_away")
    rows = workbook.tabs["CRM"].rows
    assert rows[0] == HEADER and rows[-1] == [" "] and len(rows) == 1_048_576
    assert reading.normalized.header_row == 0


@pytest.mark.parametrize("name", ["dates_and_numbers_as_text", "phone_forms", "formula_text", "two_header_rows",
                                  "crm_on_third_tab", "totals_row"])
def test_the_row_by_row_reading_gives_the_same_cells(tmp_path, monkeypatch, name):
    from sheetsync.backends import xlsx
    _, dense, _ = reading_of(tmp_path, name)
    monkeypatch.setattr(xlsx, "MAX_DENSE_CELLS", 0)
    sparse = read_xlsx(tmp_path / f"{name}.xlsx", Student(name, name), version=None)
    assert {t: tab.rows for t, tab in sparse.tabs.items()} == {t: tab.rows for t, tab in dense.tabs.items()}
    assert {t: tab.formulas for t, tab in sparse.tabs.items()} == {t: tab.formulas for t, tab in dense.tabs.items()}


def test_a_company_called_total_with_a_contact_stays_a_lead():
    rows = [HEADER] + _leads("Vanlig", 2) + [["Total", "Eva", "070-999 99 99", "ringt", "2026-05-04", ""],
                                              ["Summa", "2", "", "", "", "100%"]]
    norm = normalize(rows, year=2026)
    assert list(norm.frame["company"]) == ["Vanlig 1 AB", "Vanlig 2 AB", "Total"]
    assert [(p.cell, p.kind) for p in norm.problems] == [("A5", "totals_row")]


def test_a_title_naming_fields_does_not_beat_a_short_real_header():
    rows = [["Företag – kontakt – status (maj)"], [], ["Företag", "Telefon"], ["Volvo AB", "070-123 45 67"]]
    assert normalize(rows, year=2026).header_row == 2
