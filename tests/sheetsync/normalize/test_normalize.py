"""normalize(rows): the header found under titles, rows kept with their sheet numbers."""
from hypothesis import given, settings
from hypothesis import strategies as st

from sheetsync.normalize import normalize


def test_title_row_blank_rows_and_sheet_row_numbers():
    rows = [["Mitt CRM – LIA 2026"], [], ["Företag", "Tel", "Status", "Prio"],
            ["Volvo AB", "070-123 45 67", "Ja!", "hög"], [], ["↳", "08-123 456 78", "blå", ""]]
    n = normalize(rows, year=2026)
    assert n.header_row == 2
    assert n.mapping == {"Företag": "company", "Tel": "phone", "Status": "status_raw", "Prio": None}
    assert list(n.frame["row"]) == [4, 6]
    assert list(n.frame["company"]) == ["Volvo AB", "Volvo AB"]       # ↳ = same as above
    assert list(n.frame["stage"]) == ["yes", "unknown"]
    assert [(p.cell, p.kind) for p in n.problems] == [("C6", "status")]


def test_an_attempts_cell_that_holds_no_count_is_reported_and_counts_nothing():
    rows = [["Företag", "Antal försök", "Status"], ["Volvo AB", "46701234567", "ringt"],
            ["Saab", "2", "ringt"], ["Ikea", "ringde", "ringt 3 ggr"], ["Scania", "", ""]]
    n = normalize(rows, year=2026)
    assert list(n.frame["attempts"]) == [1, 2, 3, 0]     # the status still tells a call was made
    assert [(p.cell, p.kind, p.value) for p in n.problems] == [
        ("B2", "attempts", "46701234567"), ("B4", "attempts", "ringde")]


def test_two_columns_for_one_field_keep_the_better():
    n = normalize([["Företag", "Telefon", "Telefonn"], ["A", "070-1234567", "x"]])
    assert n.mapping["Telefon"] == "phone" and n.mapping["Telefonn"] is None


def test_attempt_columns_count_and_date_the_last_contact():
    n = normalize([["Företag", "Försök 1", "Försök 2", "Försök 3"],
                   ["A", "3/5", "5/5", "7/5"], ["B", "3/5", "", ""]], year=2026)
    assert list(n.frame["attempts"]) == [3, 1]
    assert str(n.frame.loc[0, "last_contact"].date()) == "2026-05-07"


def test_no_header_is_reported_not_raised():
    n = normalize([["hej"], [1, 2, 3]])
    assert n.header_row is None and n.frame.empty and n.problems[0].kind == "no_header"


def test_the_service_own_columns_are_not_read_as_student_data():
    n = normalize([["Företag", "Status", "⚑ Flaggor"], ["A", "ja", "DD01 x"]])
    assert "⚑ Flaggor" not in n.mapping


cells = st.one_of(st.text(max_size=12), st.integers(-10**6, 10**6), st.floats(allow_nan=True),
                  st.none(), st.sampled_from(["Företag", "Telefon", "Status", "=A1+1", "#REF!",
                                              "😀", "مرحبا", "Följ upp", "3/5", "ringt 3 ggr"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(cells, max_size=12), max_size=30))
def test_random_grids_never_raise(rows):
    n = normalize(rows, year=2026)
    assert len(n.frame) <= len(rows)


def test_a_per_student_override_maps_or_ignores_a_column():
    rows = [["Företag", "Tel", "Prio"], ["Volvo AB", "070-1234567", "Industri"]]
    n = normalize(rows, overrides={"Prio": "category", "Tel": ""})
    assert n.mapping == {"Företag": "company", "Tel": None, "Prio": "category"}
    assert n.frame.loc[0, "category"] == "Industri" and n.frame.loc[0, "phone"] is None
