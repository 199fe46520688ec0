"""Onboarding: a template CRM made, shared and registered; 250 sheets discovered; and
`check` naming every kind of problem before the first night."""
import datetime as dt

from click.testing import CliRunner
from openpyxl import load_workbook

from jobs.nightly import run_nightly
from sheetsync import load_config
from sheetsync.backends.google import GoogleBackend
from sheetsync.cli import main
from sheetsync.onboarding.template import template
from sheetsync.testing import FakeGoogle
from tests.conftest import NOW


def google_cohort_config(tmp_path, google, extra_students=""):
    google.credentials_file(tmp_path / "credentials.json")
    master = google.create_spreadsheet("Master", {"Sheet1": []})
    path = tmp_path / "sheetsync.toml"
    path.write_text('# staff notes stay\n[cohort]\nname = "FS26"\n[backend]\nkind = "google"\n'
                    f'[master]\nsheet = "{master}"\n[state]\npath = "s.db"\n{extra_students}',
                    encoding="utf-8")
    return path, master


def run(config):
    return run_nightly(config, now=NOW, backend=GoogleBackend(config, sleep=lambda s: None))


def test_template_is_created_shared_registered_and_understood(tmp_path, monkeypatch):
    with FakeGoogle() as google:
        path, _ = google_cohort_config(tmp_path, google)
        monkeypatch.setattr("sheetsync.backends.google.time.sleep", lambda s: None)
        result = CliRunner().invoke(main, ["template", "--config", str(path), "--student", "anna",
                                           "--name", "Anna Andersson", "--email", "anna@skolan.se"])
        assert result.exit_code == 0, result.output
        config = load_config(path)
        assert path.read_text().startswith("# staff notes stay")
        [anna] = config.students
        assert (anna.id, anna.name, anna.email) == ("anna", "Anna Andersson", "anna@skolan.se")
        book = next(b for b in google.books.values() if b.title == "Anna Andersson – LIA CRM")
        assert anna.sheet.endswith(f"/d/{book.id}/edit")
        assert [(p["emailAddress"], p["role"]) for p in book.permissions] == [("anna@skolan.se", "writer")]
        assert [s.title for s in book.sheets] == ["CRM", "Kontaktlogg", "Så använder du"]
        assert book.sheet("CRM").frozen_rows == 1
        kinds = [next(iter(r)) for r in book.requests]
        assert kinds.count("setDataValidation") == 6 and kinds.count("repeatCell") == 3
        report = run(config)
        outcome = report.students[0]
        assert outcome.status == "ok" and outcome.tab == "CRM"
        columns = [line for line in outcome.understood if "->" in line]
        assert len(columns) == 18 and all(line.endswith("(1.00)") for line in columns)


def test_a_filled_template_gets_only_the_flags_its_leads_deserve(tmp_path):
    with FakeGoogle() as google:
        path, _ = google_cohort_config(tmp_path, google)
        config = load_config(path)
        from sheetsync.config import Student
        sid = GoogleBackend(config, sleep=lambda s: None).create_crm(
            Student(id="bo", name="Bo Ek"), template("sv"))
        header = google.get_values(sid, "CRM")[0]

        def lead(**v):
            names = {"company": "Företag", "category": "Typ av företag", "contact_name": "Kontaktperson",
                     "phone": "Telefon", "status": "Status", "follow_up": "Följ upp",
                     "last_contact": "Senast kontaktad", "notes": "Kommentar"}
            return [v.get(next((k for k, h in names.items() if h == col), ""), "") for col in header]
        soon = (NOW + dt.timedelta(days=5)).isoformat()
        leads = [lead(company=f"Firma {i} AB", category="Industri", contact_name="Kim",
                      phone=f"070-000 00 {i:02d}", status="ej kontaktad") for i in range(9)]
        leads.append(lead(company="Dialog AB", category="Startup", contact_name="Eva", phone="070-111 11 11",
                          status="i dialog", last_contact="2026-05-10", follow_up=soon))
        leads.append(lead(company="Sen AB", category="Startup", contact_name="Per", phone="070-222 22 22",
                          status="i dialog", last_contact="2026-05-01", follow_up="2026-05-05"))
        leads.append(lead(company="AB Firma 3", category="Industri", contact_name="Lo", phone="070-333 33 33",
                          status="ej kontaktad"))
        google.set_values(sid, "CRM", [header] + leads)
        config.students.append(Student(id="bo", name="Bo Ek", sheet=sid))
        report = run(config)
        assert report.students[0].status == "ok", report.table()
        rows = google.get_values(sid, "CRM")
        fcol = rows[0].index("⚑ Flaggor")
        flags = {r[0]: (r[fcol] if fcol < len(r) else "") for r in rows[1:]}
        assert "(FU01)" in flags["Sen AB"] and "(DD01)" in flags["AB Firma 3"]
        assert all(not text for company, text in flags.items() if company not in ("Sen AB", "AB Firma 3"))


def test_discovery_over_250_shared_sheets_keeps_existing_entries(tmp_path):
    with FakeGoogle() as google:
        known = [google.create_spreadsheet(f"Känd {i}", {"CRM": [["Företag"]]}) for i in range(3)]
        entries = "".join(f'[[students]]\nid = "k{i}"\nname = "Känd {i}"\nsheet = "{sid}"\n'
                          for i, sid in enumerate(known))
        path, master = google_cohort_config(tmp_path, google, entries)
        first = ["Anna", "Bo", "Cia", "Dan", "Eva"]
        for i in range(250):
            google.create_spreadsheet(f"{first[i % 5]} Student{i} – LIA CRM", {"CRM": []})
        result = CliRunner().invoke(main, ["roster", "discover", "--config", str(path), "--write"])
        assert result.exit_code == 0, result.output
        assert "250 new sheet(s) found; 3 already in the roster" in result.output
        drive_lists = [c for c in google.calls(kind="drive") if c.method == "GET" and c.path.endswith("/files")]
        assert len(drive_lists) == 3                                # 100 + 100 + 53 visible sheets
        config = load_config(path)
        assert len(config.students) == 253 and [s.id for s in config.students[:3]] == ["k0", "k1", "k2"]
        assert "Anna Student0" in {s.name for s in config.students}
        again = CliRunner().invoke(main, ["roster", "discover", "--config", str(path)])
        assert "0 new sheet(s) found; 253 already in the roster" in again.output


def test_check_names_every_kind_of_problem(tmp_path):
    with FakeGoogle() as google:
        ok = google.create_spreadsheet("ok", {"CRM": [["Företag", "Telefon", "Status"], ["Volvo AB", "", "ja"]]})
        gone = google.create_spreadsheet("gone", {"CRM": [["Företag"]]})
        google.delete(gone)
        private = google.create_spreadsheet("private", {"CRM": [["Företag"]]}, shared=False)
        blank = google.create_spreadsheet("blank", {"CRM": [["hej"], ["då"]]})
        nameless = google.create_spreadsheet("nameless", {"CRM": [["Namn", "Telefon", "Status"], ["Bo", "", ""]]})
        sheets = {"ok": ok, "gone": gone, "private": private, "wrongid": "not-a-sheet-id", "blank": blank,
                  "nameless": nameless}
        entries = "".join(f'[[students]]\nid = "{k}"\nname = "{k.title()}"\nsheet = "{v}"\n' for k, v in sheets.items())
        path, _ = google_cohort_config(tmp_path, google, entries)
        result = CliRunner().invoke(main, ["check", "--config", str(path), "--now", "2026-05-12"])
        out = result.output
        assert result.exit_code == 1
        lines = {k: next(line for line in out.splitlines() if f"({k})" in line) for k in sheets}
        assert lines["ok"].startswith("ok ")
        assert "not found (deleted, or a wrong id)" in lines["gone"] and gone in lines["gone"]
        assert "not shared with the service account" in lines["private"]
        assert "not found" in lines["wrongid"] and "not-a-sheet-id" in lines["wrongid"]
        assert "no tab with a recognisable header" in lines["blank"]
        assert "no column was understood as the company name" in out
        assert "1 of 6 students ready; 5 need attention" in out


def test_a_local_template_has_dropdowns_dates_and_a_frozen_header(tmp_path):
    (tmp_path / "sheetsync.toml").write_text('[cohort]\nlanguage = "en"\n[backend]\nkind = "xlsx"\n',
                                             encoding="utf-8")
    result = CliRunner().invoke(main, ["template", "--config", str(tmp_path / "sheetsync.toml"),
                                       "--student", "omar", "--name", "Omar Ali"])
    assert result.exit_code == 0 and "the folder roster picks it up" in result.output
    book = load_workbook(tmp_path / "students" / "omar.xlsx")
    assert book.sheetnames == ["CRM", "Contact log", "How to use"]
    crm = book["CRM"]
    assert crm.freeze_panes == "A2" and crm["A1"].value == "Company"
    assert len(crm.data_validations.dataValidation) == 5          # status, channel, warm/cold, type, mode
    assert len(book["Contact log"].data_validations.dataValidation) == 1
    assert crm["O2"].number_format == "yyyy-mm-dd"
    again = CliRunner().invoke(main, ["template", "--config", str(tmp_path / "sheetsync.toml"),
                                      "--student", "omar", "--name", "Omar Ali"])
    assert again.exit_code == 2 and "not overwritten" in again.output
