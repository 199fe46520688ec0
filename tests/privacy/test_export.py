"""`sheetsync student export`: one student's files hold their companies, their own lottery
places and outcomes and a README in the cohort's language, and no other student's id,
name or contact; on xlsx and on Google through real gspread and FakeGoogle."""
import csv
import datetime as dt
import json
import os

from click.testing import CliRunner

from jobs.nightly import run_nightly
from sheetsync import load_config
from sheetsync.backends.google import GoogleBackend
from sheetsync.cli import main
from sheetsync.demo import write_demo
from sheetsync.demo.google import upload_cohort
from sheetsync.privacy.export import export_student
from sheetsync.testing import FakeGoogle

from bytes_search import where_found
from distinct_student import ID, cohort_with_a_distinct_student, lottery_losses


def _all_text(folder) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.iterdir()))


def _check_export(folder, cohort, student, others_contacts, language="sv"):
    files = {p.name for p in folder.iterdir()}
    assert {"README.txt", "draws.csv", "cell_changes.csv", "runs.json", "digests.csv"} <= files
    assert any(f.startswith("sheet-") for f in files)
    text = _all_text(folder)
    me = next(s for s in cohort.students if s.id == student)
    for lead in me.leads:
        if lead.company:
            assert lead.company in text, lead.company
    others = [w for s in cohort.students if s.id != student for w in (s.id, s.name)]
    assert where_found([folder], others + others_contacts) == {}
    readme = (folder / "README.txt").read_text(encoding="utf-8")
    assert ("Det här är allt som tjänsten sheetsync har sparat om dig" if language == "sv"
            else "This is everything the sheetsync service keeps about you") in readme
    assert all(name in readme for name in files - {"README.txt"})
    assert not os.stat(folder).st_mode & 0o077
    return text


def test_export_of_one_student_holds_their_companies_and_no_one_elses(tmp_path, now):
    cohort, contacts = cohort_with_a_distinct_student(now)
    config = load_config(write_demo(tmp_path / "demo", cohort))
    text = config.path.read_text(encoding="utf-8")
    config.path.write_text(text + "\n[cleanup]\nin_place = true\n[calendars]\nenabled = true\n", encoding="utf-8")
    config = load_config(config.path)
    for day in range(2):
        run_nightly(config, now=now + dt.timedelta(days=day))
    losses = lottery_losses(config)

    result = CliRunner().invoke(main, ["student", "export", ID, "--config", str(config.path),
                                       "--out", str(tmp_path / "zofia")])
    assert result.exit_code == 0, result.output
    mine = _check_export(tmp_path / "zofia", cohort, ID, [])
    assert all(c in mine for c in contacts)           # her contacts are hers to see
    with open(tmp_path / "zofia" / "draws.csv", encoding="utf-8") as f:
        draws = list(csv.DictReader(f))
    assert draws and {d["company_key"] for d in draws if d["outcome"] == "lotten föll inte på dig"} == losses[ID]
    assert all(1 <= int(d["your_place"]) <= int(d["drawn_among"]) for d in draws)
    entries = json.loads((tmp_path / "zofia" / "runs.json").read_text(encoding="utf-8"))
    assert [e["run"] for e in entries] == [1, 2] and {e["id"] for e in entries} == {ID}
    assert (tmp_path / "zofia" / "calendar.ics").exists()

    other = next(s for s in cohort.students if s.id != ID)
    export_student(config, other.id, tmp_path / "other")
    _check_export(tmp_path / "other", cohort, other.id, contacts)
    with open(tmp_path / "other" / "cell_changes.csv", encoding="utf-8") as f:
        assert len(list(csv.reader(f))) > 1        # the cleanup changed some of their cells


def test_export_on_google_in_english(tmp_path, now):
    cohort, contacts = cohort_with_a_distinct_student(now)
    with FakeGoogle() as google:
        config, _, _ = upload_cohort(google, cohort, tmp_path / "g", language="en")
        run_nightly(config, now=now, backend=GoogleBackend(config))
    export_student(config, ID, tmp_path / "out")
    mine = _check_export(tmp_path / "out", cohort, ID, [], language="en")
    assert all(c in mine for c in contacts)


def test_export_of_an_unknown_student_says_so(demo_config, now):
    run_nightly(demo_config, now=now)
    result = CliRunner().invoke(main, ["student", "export", "nobody-here", "--config", str(demo_config.path),
                                       "--out", str(demo_config.root / "x")])
    assert result.exit_code == 2 and "holds nothing about 'nobody-here'" in result.output
