"""A sheet whose colours were laid by an older sheetsync (amber from the viewer's TODAY(),
before round 3) or in another language gets tonight's rules, once: its old rules on our
columns are taken away, the student's own rules stay, and the next night writes nothing.
On Google through real gspread and FakeGoogle, and on an .xlsx workbook."""
import datetime as dt

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import PatternFill

from jobs.nightly import run_nightly
from sheetsync import load_config
from sheetsync.backends.google import GoogleBackend
from sheetsync.backends.ooxml import Package
from sheetsync.testing import FakeGoogle
from sheetsync.writeback import sheet as sheet_planning
from sheetsync.writeback.formats import AMBER, look_mark, owned_formats
from sheetsync.writeback.plan import FormatRule
from tests.helpers import HEADER, LEADS

NOW = dt.date(2026, 5, 12)
OLD_AMBER = '=AND(LEFT($I2,9)="Följ upp ",DATEVALUE(RIGHT($I2,10))-TODAY()<=3)'   # next step in I
STUDENTS_RULE = '=$D2="ja"'


def write_config(tmp_path, backend: str, language: str = "sv", master: str = 'path = "master.xlsx"') -> None:
    (tmp_path / "sheetsync.toml").write_text(
        f'[cohort]\nlanguage = "{language}"\n{backend}[master]\n{master}\n[state]\npath = "s.db"\n',
        encoding="utf-8")


# ---- Google ---------------------------------------------------------------------------------
class OnGoogle:
    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.google = FakeGoogle().__enter__()
        self.sid = self.google.create_spreadsheet("CRM", {"CRM": [HEADER] + LEADS})
        self.master = self.google.create_spreadsheet("Master", {"Blad1": []})
        self.google.credentials_file(tmp_path / "credentials.json")
        self.language("sv")

    def language(self, language: str) -> None:
        write_config(self.tmp_path, f'[backend]\nkind = "google"\n[[students]]\nid = "s"\nname = "S"\n'
                                    f'sheet = "{self.sid}"\n', language, f'sheet = "{self.master}"')

    def night(self):
        config = load_config(self.tmp_path / "sheetsync.toml")
        return run_nightly(config, now=NOW, backend=GoogleBackend(config, sleep=lambda s: None))

    @property
    def sheet(self):
        return self.google.books[self.sid].sheet("CRM")

    def rules(self) -> list[tuple[str, tuple[int, int]]]:
        """(formula, (first, last) 0-based columns) of each conditional format, in order."""
        return [(r["booleanRule"]["condition"]["values"][0]["userEnteredValue"],
                 (r["ranges"][0]["startColumnIndex"], r["ranges"][0]["endColumnIndex"] - 1))
                for r in self.sheet.conditional_formats]

    def looks(self) -> list[str]:
        return [m["metadataValue"] for m in self.google.metadata(self.sid)
                if m["metadataValue"].startswith("look")]

    def students_rule(self) -> None:
        """The student colours their Status column (D) themselves."""
        self.google.edit(self.sid, [{"addConditionalFormatRule": {"index": 0, "rule": {
            "ranges": [{"sheetId": self.sheet.sheet_id, "startRowIndex": 1, "startColumnIndex": 3,
                        "endColumnIndex": 4}],
            "booleanRule": {"condition": {"type": "CUSTOM_FORMULA", "values": [{"userEnteredValue": STUDENTS_RULE}]},
                            "format": {"backgroundColor": {"red": 1}}}}}}])


def colours_before_round_3(plan, tab, crm_tab, owned, header_row, language):
    """How an older sheetsync coloured our columns: amber from the viewer's TODAY(), and
    no mark of which rules a sheet has."""
    if owned.placed:
        first, last = min(owned.cols.values()), max(owned.cols.values())
        plan.formats = [FormatRule(crm_tab, "soon", OLD_AMBER, header_row + 2, first, last, AMBER)]


@pytest.fixture
def on_google(tmp_path, read_via):          # on both of Google's read paths
    student = OnGoogle(tmp_path)
    yield student
    student.google.__exit__(None, None, None)


def test_a_google_sheet_from_before_round_3_gets_tonights_colours_once(on_google, monkeypatch):
    with monkeypatch.context() as older:
        older.setattr(sheet_planning, "_colour", colours_before_round_3)
        assert on_google.night().ok
    assert on_google.rules() == [(OLD_AMBER, (6, 8))] and on_google.looks() == []
    on_google.students_rule()

    assert on_google.night().ok
    after = on_google.rules()
    assert sorted(after) == sorted(tonight("sv") + [(STUDENTS_RULE, (3, 3))])   # the student's rule kept
    assert on_google.looks() == [look_mark("sv")]

    writes = len(on_google.google.calls("write", path=on_google.sid))
    again = on_google.night()
    assert again.ok and sum(o.cells_written for o in again.students) == 0
    assert len(on_google.google.calls("write", path=on_google.sid)) == writes     # nothing laid again
    assert on_google.rules() == after


def test_colours_laid_again_whose_answer_is_lost_are_never_sent_twice(on_google, monkeypatch):
    # rules are taken away by their index: the same call applied twice would take away
    # the new rules, or the student's; it is not resent, and the next night finds it done
    with monkeypatch.context() as older:
        older.setattr(sheet_planning, "_colour", colours_before_round_3)
        assert on_google.night().ok
    on_google.students_rule()
    on_google.google.fail("reset_after", kind="write", path=on_google.sid)
    lost = on_google.night()
    assert [o.status for o in lost.students] == ["failed"]
    assert "did not answer" in lost.students[0].message
    assert sorted(on_google.rules()) == sorted(tonight("sv") + [(STUDENTS_RULE, (3, 3))])
    assert on_google.night().ok
    assert sorted(on_google.rules()) == sorted(tonight("sv") + [(STUDENTS_RULE, (3, 3))])
    assert on_google.looks() == [look_mark("sv")]


def tonight(language: str) -> list[tuple[str, tuple[int, int]]]:
    """The rules tonight's sheetsync lays on the owned columns G:I of a CRM headed in row 1."""
    return [(r.formula, (r.first_col - 1, r.last_col - 1))
            for r in owned_formats("CRM", {"flags": 7, "state": 8, "next": 9}, 2, language)]


def test_a_cohort_switched_to_english_gets_english_colours_and_one_mark(on_google):
    assert on_google.night().ok
    assert sorted(on_google.rules()) == sorted(tonight("sv"))
    on_google.language("en")
    assert on_google.night().ok
    assert sorted(on_google.rules()) == sorted(tonight("en"))      # no Swedish rule left
    assert on_google.looks() == [look_mark("en")]


# ---- .xlsx ------------------------------------------------------------------------------
def xlsx_rules(path) -> list[tuple[str, str]]:
    ws = load_workbook(path)["CRM"]
    return [(str(cf.sqref), rule.formula[0]) for cf in ws.conditional_formatting for rule in cf.rules]


def test_an_xlsx_workbook_from_before_round_3_gets_tonights_colours_once(tmp_path):
    folder = tmp_path / "students"
    folder.mkdir()
    book = Workbook()
    book.active.title = "CRM"
    for row in [HEADER] + LEADS:
        book.active.append(row)
    book.save(folder / "s.xlsx")
    write_config(tmp_path, '[backend]\nkind = "xlsx"\nfolder = "students"\n')
    config = load_config(tmp_path / "sheetsync.toml")
    path = folder / "s.xlsx"
    assert run_nightly(config, now=NOW).ok
    tonight = xlsx_rules(path)
    assert len(tonight) == 4
    ours = tonight[0][0]                    # e.g. G2:I1001

    # as an older sheetsync left it: its amber on our columns, no look mark; the student's rule
    package = Package(path)
    package.remove_conditional_formats("CRM", set(range(7, 10)))
    package.remove_defined_names("sheetsync_look")
    package.save(path)
    book = load_workbook(path)
    red = PatternFill("solid", start_color="FFFF0000", end_color="FFFF0000")
    book["CRM"].conditional_formatting.add(ours, FormulaRule(formula=[OLD_AMBER.lstrip("=")], fill=red))
    book["CRM"].conditional_formatting.add("D2:D100", FormulaRule(formula=[STUDENTS_RULE.lstrip("=")], fill=red))
    book.save(path)

    assert run_nightly(config, now=NOW).ok
    after = xlsx_rules(path)
    assert sorted(after) == sorted(tonight + [("D2:D100", STUDENTS_RULE.lstrip("="))])
    assert not any("TODAY" in f for _, f in after)
    again = run_nightly(config, now=NOW)
    assert again.ok and sum(o.cells_written for o in again.students) == 0
    assert xlsx_rules(path) == after
