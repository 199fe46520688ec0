"""Both Google read paths give the same reading: a Drive export read by the local reader
and a Sheets read, compared cell by cell on the demo cohort and on odd sheets."""
import pytest

from sheetsync.backends.google import GoogleBackend
from sheetsync.demo.google import upload_cohort
from sheetsync.normalize import read_crm
from sheetsync.testing import FakeGoogle

ODD = {
    "typed": {"CRM": [["Företag", "Antal", "Datum", "Klar", "Kommentar"],
                      ["Saab", 3, "2026-05-10", True, "=inte en formel"],
                      ["Volvo", 2.5, "", False, "  mellanslag  "],
                      ["", "", "", "", ""], ["Ikea", -7, "x", "", "emoji 🎯 och \"citat\" & <tagg>"]]},
    "many tabs": {"Anteckningar": [["bara text"]], "CRM": [["Företag", "Status"], ["Abb", "ringt"]],
                  "Logg": [["Datum", "Företag", "Kanal"], ["2026-05-01", "Abb", "telefon"]]},
    "wide and sparse": {"Blad1": [[""] * 30 + ["Företag"], [""] * 30 + ["Långt bort AB"]]},
    "quotes in a tab name": {"Anna's CRM": [["Företag", "Telefon"], ["Kth", "070-123 45 67"]]},
    "empty": {"Blad1": []},
}


def read_both(config, student):
    out = {}
    for read_via in ("export", "sheets"):
        config.quota["read_via"] = read_via
        backend = GoogleBackend(config, sleep=lambda s: None)
        out[read_via] = backend.read(student)
        assert backend.calls["exports"] == (1 if read_via == "export" else 0)
    return out["export"], out["sheets"]


def test_the_demo_cohort_reads_the_same_on_both_paths(demo_cohort, tmp_path, now):
    with FakeGoogle() as google:
        config, sheets, _ = upload_cohort(google, demo_cohort, tmp_path)
        for student in config.students:
            export, sheet = read_both(config, student)
            assert {t: tab.rows for t, tab in export.tabs.items()} == \
                   {t: tab.rows for t, tab in sheet.tabs.items()}, student.id
            assert {t: tab.formulas for t, tab in export.tabs.items()} == \
                   {t: tab.formulas for t, tab in sheet.tabs.items()}
            a = read_crm(export, year=now.year, student=student.id).normalized.frame
            b = read_crm(sheet, year=now.year, student=student.id).normalized.frame
            assert a.equals(b), student.id                                  # the same reading


@pytest.mark.parametrize("name", ODD)
def test_odd_sheets_read_the_same_on_both_paths(name, tmp_path):
    with FakeGoogle() as google:
        sid = google.create_spreadsheet(name, ODD[name])
        if name == "typed":
            google.set_formula(sid, "CRM", 2, 6, "=B2*2", shows="6")
            google.set_formula(sid, "CRM", 3, 6, '=IF(B3>2;"stor";"liten")', shows="stor")
        google.credentials_file(tmp_path / "credentials.json")
        (tmp_path / "sheetsync.toml").write_text(
            '[backend]\nkind = "google"\n[master]\nsheet = "x"\n'
            f'[[students]]\nid = "s"\nname = "S"\nsheet = "{sid}"\n', encoding="utf-8")
        from sheetsync import load_config
        config = load_config(tmp_path / "sheetsync.toml")
        export, sheet = read_both(config, config.students[0])
        assert list(export.tabs) == list(sheet.tabs)
        for title in sheet.tabs:
            assert export.tabs[title].rows == sheet.tabs[title].rows, (title, export.tabs[title].rows)
            assert export.tabs[title].formulas == sheet.tabs[title].formulas
        assert not export.structure_known and sheet.structure_known
