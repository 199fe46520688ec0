"""`sheetsync roster import`: a school's class list into the roster, on the local folder
and on Google (through real gspread against FakeGoogle)."""
import hashlib

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from jobs.nightly import run_nightly
from sheetsync import load_config
from sheetsync.cli import main
from sheetsync.onboarding.classlist import ClassListError, read_class_list
from tests.conftest import NOW

# as Excel saves "CSV (semicolon)" in a Swedish Windows: Windows-1252, ';', surname first
SWEDISH = ("Klass;Efternamn;Förnamn;E-post;Vårdnadshavares e-post\r\n"
           "FS26;Andersson;Anna;anna.andersson@elev.skolan.se;mamma@example.se\r\n"
           "FS26;Öberg;Björn;bjorn.oberg@elev.skolan.se;\r\n"
           ";;;;\r\n"
           "FS26;Lind;Åsa;asa.lind@elev.skolan.se;pappa@example.se\r\n")


def folder_config(tmp_path, students=""):
    path = tmp_path / "sheetsync.toml"
    path.write_text('# staff notes\n[cohort]\nname = "FS26"\n[backend]\nkind = "xlsx"\n'
                    f'[state]\npath = "s.db"\n{students}', encoding="utf-8")
    return path


def import_(*args):
    return CliRunner().invoke(main, ["roster", "import", *map(str, args)])


def fingerprint(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.rglob("*") if p.is_file()}


def test_a_swedish_list_then_create_then_a_night_gives_every_student_a_crm_and_a_summary(tmp_path):
    path = folder_config(tmp_path)
    (tmp_path / "klass.csv").write_bytes(SWEDISH.encode("cp1252"))
    result = import_(tmp_path / "klass.csv", "--config", path, "--create")
    assert result.exit_code == 0, result.output
    assert "3 student(s) added" in result.output
    config = load_config(path)
    assert [(s.id, s.name, s.email) for s in config.students] == [
        ("anna-andersson", "Anna Andersson", "anna.andersson@elev.skolan.se"),
        ("bjorn-oberg", "Björn Öberg", "bjorn.oberg@elev.skolan.se"),
        ("asa-lind", "Åsa Lind", "asa.lind@elev.skolan.se")]          # not the guardians' addresses
    assert path.read_text(encoding="utf-8").startswith("# staff notes")
    assert "klass.csv, line 5" in path.read_text(encoding="utf-8")     # the blank line 4 is skipped
    report = run_nightly(config, now=NOW)
    assert report.ok and len(report.students) == 3, report.table()
    for s in config.students:
        book = load_workbook(tmp_path / "students" / s.file)
        assert book.sheetnames[:1] == ["CRM"] and "sheetsync" in book.sheetnames
        assert book["sheetsync"]["A1"].value.startswith("sheetsync")
    before = (path.read_text(encoding="utf-8"), fingerprint(tmp_path / "students"))
    again = import_(tmp_path / "klass.csv", "--config", path, "--create")
    assert again.exit_code == 0 and "0 student(s) added" in again.output
    assert "3 already in the roster" in again.output
    assert (path.read_text(encoding="utf-8"), fingerprint(tmp_path / "students")) == before


def test_bad_rows_are_named_with_their_line_and_nothing_is_written(tmp_path):
    path = folder_config(tmp_path)
    text = ("Namn;E-post\nAnna Andersson;anna@skolan.se\n;bo@skolan.se\nCia Berg;cia.skolan.se\n"
            "Dan Ek;anna@skolan.se\n")
    (tmp_path / "klass.csv").write_text(text, encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    result = import_(tmp_path / "klass.csv", "--config", path, "--create")
    assert result.exit_code == 2
    assert "line 3: no name" in result.output
    assert "line 4: Cia Berg: 'cia.skolan.se' is not an e-mail address" in result.output
    assert "line 5: Dan Ek: the e-mail anna@skolan.se is also on line 2" in result.output
    assert "has 3 bad row(s); nothing was written" in result.output
    assert path.read_text(encoding="utf-8") == before and not (tmp_path / "students").exists()


@pytest.mark.parametrize("text", [
    "email,name,student id\nanna@skolan.se,\"Andersson, Anna\",a1\n",
    "First name\tLast name\tE-mail address\tID\nAnna\tAndersson\tanna@skolan.se\ta1\n",
    "\ufeffE-postadress|Elevens namn|Elev-id\nanna@skolan.se|Anna Andersson|a1\n",
])
def test_any_column_order_delimiter_and_language(tmp_path, text):
    (tmp_path / "list.csv").write_text(text, encoding="utf-8")
    [row] = read_class_list(tmp_path / "list.csv")
    assert (row.name, row.email, row.id, row.line) == ("Anna Andersson", "anna@skolan.se", "a1", 2)


def test_a_list_without_names_says_which_headers_it_looks_for(tmp_path):
    (tmp_path / "list.csv").write_text("Klass;Rum\nFS26;A1\n", encoding="utf-8")
    with pytest.raises(ClassListError, match="no header row naming the students"):
        read_class_list(tmp_path / "list.csv")


def test_students_already_in_the_roster_by_email_or_id_are_not_added_again(tmp_path):
    path = folder_config(tmp_path, '[[students]]\nid = "a1"\nname = "Anna A."\nfile = "a1.xlsx"\n'
                                   '[[students]]\nid = "bo"\nname = "Bo"\nemail = "BO@skolan.se"\nfile = "bo.xlsx"\n')
    (tmp_path / "list.csv").write_text("Namn,E-post,Id\nAnna Andersson,anna@skolan.se,a1\n"
                                       "Bo Berg,bo@skolan.se,\nCia Dahl,cia@skolan.se,\n", encoding="utf-8")
    result = import_(tmp_path / "list.csv", "--config", path)
    assert result.exit_code == 0, result.output
    assert [s.id for s in load_config(path).students] == ["a1", "bo", "cia-dahl"]
    assert "1 student(s) added" in result.output and "2 already in the roster" in result.output


def test_a_folder_roster_is_kept_when_the_first_list_is_imported(tmp_path):
    path = folder_config(tmp_path)
    assert CliRunner().invoke(main, ["template", "--config", str(path), "--student", "omar",
                                     "--name", "Omar Ali"]).exit_code == 0
    (tmp_path / "list.csv").write_text("Namn;E-post\nOmar Ali;omar@skolan.se\nPia Ek;pia@skolan.se\n",
                                       encoding="utf-8")
    result = import_(tmp_path / "list.csv", "--config", path, "--create")
    assert result.exit_code == 0, result.output
    ids = [s.id for s in load_config(path).students]
    assert ids == ["omar", "omar-ali", "pia-ek"], ids      # the folder's omar.xlsx stays in the roster
    assert "1 workbook(s) of the folder roster written into" in result.output


def test_on_google_create_gives_each_student_a_crm_shared_with_them(tmp_path):
    from sheetsync.backends.google_user_login import sign_in_path
    from sheetsync.testing import FakeGoogle
    with FakeGoogle() as google:
        master = google.create_spreadsheet("Master", {"Blad1": []})
        linked = google.create_spreadsheet("Bo Berg CRM", {"CRM": [["Företag"]]})
        path = tmp_path / "sheetsync.toml"
        path.write_text('[backend]\nkind = "google"\ncredentials = "user"\n'
                        f'[master]\nsheet = "{master}"\n[state]\npath = "s.db"\n', encoding="utf-8")
        google.authorized_user_file(sign_in_path(load_config(path)), "teacher@school.se")
        (tmp_path / "list.csv").write_text(
            "Name,Email,Sheet\nAnna Andersson,anna@school.se,\n"
            f"Bo Berg,bo@school.se,https://docs.google.com/spreadsheets/d/{linked}/edit\n", encoding="utf-8")
        without = import_(tmp_path / "list.csv", "--config", path)
        assert without.exit_code == 2 and "line 2: Anna Andersson: no sheet link (add --create" in without.output
        assert load_config(path).students == []
        result = import_(tmp_path / "list.csv", "--config", path, "--create")
        assert result.exit_code == 0, result.output
        anna, bo = load_config(path).students
        book = next(b for b in google.books.values() if b.title == "Anna Andersson – LIA CRM")
        assert anna.sheet.endswith(f"/d/{book.id}/edit") and bo.sheet.endswith(f"/d/{linked}/edit")
        assert [(p["emailAddress"], p["role"]) for p in book.permissions] == [("anna@school.se", "writer")]
        assert len([b for b in google.books.values() if b.title.endswith("LIA CRM")]) == 1
