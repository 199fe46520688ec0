"""The first night's one write racing a student's edit (Trust, round 3): the owned columns
are inserted, not written into cells that looked empty at read time, and leads whose rows
moved between our read and our write get their verdict by the second night. Through real
gspread against FakeGoogle, on the export read path (the default, whose first night is one
batchUpdate) and, where it applies, the Sheets read path."""
import datetime as dt

import pytest

from tests.helpers import EXPECT, HEADER, LEADS
from tests.reliability.test_student_sheet_trust import (OWNED_HEADERS, GoogleStudent,
                                                        assert_flags_on_their_leads)

NOW = dt.date(2026, 5, 12)


@pytest.fixture
def google():
    from sheetsync.testing import FakeGoogle
    with FakeGoogle() as fake:
        yield fake


def test_a_header_typed_just_before_the_first_nights_write_moves_right(google, tmp_path):
    student = GoogleStudent(google, tmp_path, {"CRM": [HEADER] + LEADS})
    student.config.quota["read_via"] = "export"

    def types_a_column_of_their_own():      # after our version check, before the one write
        student.type_into("CRM", 1, 7, "Min kolumn")
        student.type_into("CRM", 3, 7, "ringer fredag")
    google.before(types_a_column_of_their_own, kind="write", path=student.sid)
    assert student.night().ok
    rows = student.rows()
    assert rows[0][6:9] == OWNED_HEADERS
    assert rows[0][9] == "Min kolumn" and rows[2][9] == "ringer fredag"     # moved right, kept
    assert student.owned_cols() == {"flags": 6, "state": 7, "next": 8}
    assert_flags_on_their_leads(rows, 6)
    assert student.night().ok                     # and it stays the student's column
    rows = student.rows()
    assert rows[0][6:10] == OWNED_HEADERS + ["Min kolumn"] and rows[2][9] == "ringer fredag"


def test_the_first_nights_columns_go_in_the_same_single_call(google, tmp_path):
    student = GoogleStudent(google, tmp_path, {"CRM": [HEADER] + LEADS})
    student.config.quota["read_via"] = "export"
    assert student.night().ok
    writes = google.calls(kind="write", path=student.sid)
    assert len(writes) == 1
    assert student.rows()[0] == HEADER + OWNED_HEADERS


NEW_ROWS = {
    "leads below the header": (2, [["Nytt AB", "Eva", "070-555 55 55", "ringt 1 ggr", "2026-05-10",
                                    "tror de kanske anställer"], ["Annat AB", "Fia", "070-666 66 66"]]),
    "a title above the header": (1, [["Mina leads"], []]),
}


# (read path, the write call the rows come just before): the export path's first night is
# one batchUpdate; the Sheets path shapes the sheet right after its read, then writes values
MOMENTS = {"export, the one write": ("export", None), "sheets, the shape": ("sheets", None),
           "sheets, the values": ("sheets", "values:batchUpdate")}


@pytest.mark.parametrize("where", NEW_ROWS)
@pytest.mark.parametrize("moment", MOMENTS)
def test_rows_inserted_at_the_top_before_the_first_write_are_settled_by_the_second_night(
        google, tmp_path, moment, where):
    student = GoogleStudent(google, tmp_path, {"CRM": [HEADER] + LEADS})
    read_via, write_call = MOMENTS[moment]
    student.config.quota["read_via"] = read_via
    before_row, new_rows = NEW_ROWS[where]
    google.before(lambda: google.insert_rows(student.sid, "CRM", before_row, new_rows),
                  kind="write", path=write_call or student.sid)
    assert student.night().ok
    assert student.night().ok
    rows = student.rows()
    header = rows.index(HEADER + OWNED_HEADERS)
    assert all(cell == "" for row in rows[:header] for cell in row[6:]), rows[:header]  # nothing of ours above
    expect = {**EXPECT, "Nytt AB": "CL05", "Annat AB": None}
    for row in rows[header + 1:]:
        code = expect[row[0]]
        assert row[6].split("\n")[0].endswith(f"({code})") if code else not row[6], row
        assert row[7], row                         # every lead has its state
