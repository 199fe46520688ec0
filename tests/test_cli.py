"""The command line as a newcomer meets it."""
from click.testing import CliRunner

from sheetsync.cli import main


def test_demo_builds_a_cohort_runs_it_and_can_run_again(tmp_path):
    runner = CliRunner()
    result = runner.invoke(main, ["demo", "--dir", str(tmp_path / "d"), "--students", "4",
                                  "--seed", "3", "--now", "2026-05-12"])
    assert result.exit_code == 0, result.output
    assert "4 ok, 0 skipped, 0 failed" in result.output
    assert len(list((tmp_path / "d" / "students").glob("*.xlsx"))) == 4
    again = runner.invoke(main, ["run", "--config", str(tmp_path / "d" / "sheetsync.toml"),
                                 "--now", "2026-05-12", "--json", str(tmp_path / "r.json")])
    assert again.exit_code == 0, again.output
    assert '"ok": 4' in (tmp_path / "r.json").read_text()


def test_run_with_a_bad_config_is_one_clear_line(tmp_path):
    bad = tmp_path / "sheetsync.toml"
    bad.write_text('[cohort]\nname = "X"\nlanguge = "sv"\n')
    result = CliRunner().invoke(main, ["run", "--config", str(bad)])
    assert result.exit_code == 2
    assert "unknown key 'cohort.languge'" in result.output and str(bad) in result.output


def test_rules_lists_every_rule_with_example():
    result = CliRunner().invoke(main, ["rules"])
    assert result.exit_code == 0
    for code in ("CL01", "DD01", "LC01", "FU01", "PR01"):
        assert code in result.output
    assert "Anti-pattern" in result.output


def test_demo_through_the_google_code_path_against_the_fake(tmp_path):
    result = CliRunner().invoke(main, ["demo", "--backend", "google-fake", "--dir",
                                       str(tmp_path / "g"), "--students", "3", "--now", "2026-05-12"])
    assert result.exit_code == 0, result.output
    # night 1: each sheet exported (Drive), its shape read (Sheets) and written in one call
    assert ("night 1: 0 of 3 student sheets unchanged (not read); 3 Drive exports, 4 Sheets reads,"
            " 4 structural, 1 values writes") in result.output
    # night 2: what night 1 wrote is exported again; its shape is last night's, nothing to write
    assert ("night 2: 0 of 3 student sheets unchanged (not read); 3 Drive exports, 1 Sheets reads,"
            " 0 structural, 1 values writes") in result.output
    # night 3: only the master (its Runs log grows)
    assert ("night 3: 3 of 3 student sheets unchanged (not read); 0 Drive exports, 1 Sheets reads,"
            " 0 structural, 1 values writes") in result.output


def test_the_google_fake_demo_leaves_the_local_demo_runnable(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for args in ([], ["--backend", "google-fake"]):
        result = runner.invoke(main, ["demo", "--students", "2", "--now", "2026-05-12", *args])
        assert result.exit_code == 0, result.output
    again = runner.invoke(main, ["run", "--config", "sheetsync-demo/sheetsync.toml", "--now", "2026-05-12"])
    assert again.exit_code == 0, again.output
    assert (tmp_path / "sheetsync-demo-google" / "sheetsync.toml").exists()


def test_check_shows_how_each_sheet_was_understood_and_flags_attention(tmp_path):
    from openpyxl import Workbook
    runner = CliRunner()
    runner.invoke(main, ["demo", "--dir", str(tmp_path / "d"), "--students", "2", "--now", "2026-05-12"])
    odd = Workbook()
    odd.active.append(["Namn", "Telefon", "Status"])
    odd.active.append(["Anna", "070-1234567", "ja"])
    odd.save(tmp_path / "d" / "students" / "odd.xlsx")
    config = tmp_path / "d" / "sheetsync.toml"
    config.write_text(config.read_text() + '\n[[students]]\nid = "odd"\nname = "Odd One"\n')
    result = runner.invoke(main, ["check", "--config", str(config), "--now", "2026-05-12"])
    assert result.exit_code == 1, result.output
    assert "-> company (1.00)" in result.output and "first run would write 0 cell(s)" in result.output
    assert "needs attention: no column was understood as the company name" in result.output
    assert "2 of 3 students ready; 1 need attention" in result.output


def test_master_refreshes_the_staff_sheet_and_touches_no_student(tmp_path):
    runner = CliRunner()
    runner.invoke(main, ["demo", "--dir", str(tmp_path / "d"), "--students", "3", "--now", "2026-05-12"])
    students = sorted((tmp_path / "d" / "students").glob("*.xlsx"))
    (tmp_path / "d" / "master.xlsx").unlink()
    before = {p.name: p.read_bytes() for p in students}
    result = runner.invoke(main, ["master", "--config", str(tmp_path / "d" / "sheetsync.toml"),
                                  "--now", "2026-05-13"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "d" / "master.xlsx").exists()
    assert {p.name: p.read_bytes() for p in students} == before


def test_rules_prints_settings_that_paste_into_a_config(tmp_path):
    import re

    from sheetsync import load_config
    result = CliRunner().invoke(main, ["rules"])
    assert result.exit_code == 0 and "**" not in result.output and "True" not in result.output
    blocks = re.findall(r"    (\[(?:rules\.\w+|triage)\]\n(?:    \w+ = .*\n)+)", result.output)
    assert len(blocks) == result.output.count("settings (paste into sheetsync.toml)")
    pasted = "\n".join(b.replace("\n    ", "\n") for b in blocks)
    (tmp_path / "sheetsync.toml").write_text(
        '[backend]\nkind = "xlsx"\nfolder = "students"\n[master]\npath = "m.xlsx"\n' + pasted,
        encoding="utf-8")
    config = load_config(tmp_path / "sheetsync.toml")          # unknown keys would be an error
    assert config.rules["LC01"]["cap"] == 3 and config.rules["LC01"]["enabled"] is True
    assert config.triage["silent_days"] == 14 and config.triage["processed_share"] == 0.25   # the master's triage


def test_undo_names_an_unknown_run_and_an_already_undone_one(tmp_path):
    runner = CliRunner()
    folder = tmp_path / "d"
    assert runner.invoke(main, ["demo", "--dir", str(folder), "--students", "2", "--now", "2026-05-12"]).exit_code == 0
    config = str(folder / "sheetsync.toml")
    unknown = runner.invoke(main, ["undo", "999", "--config", config])
    assert unknown.exit_code == 2 and "no run 999" in unknown.output and "latest is run 1" in unknown.output
    first = runner.invoke(main, ["undo", "1", "--config", config])
    assert first.exit_code == 0 and "run 1: 0 cell(s) restored" in first.output
    again = runner.invoke(main, ["undo", "1", "--config", config])
    assert again.exit_code == 2 and "run 1 was already undone" in again.output
    assert again.output.count("\n") == 1


def test_a_demo_run_is_never_silent_when_piped(tmp_path):
    result = CliRunner().invoke(main, ["demo", "--dir", str(tmp_path / "d"), "--students", "10",
                                       "--now", "2026-05-12"])
    assert result.exit_code == 0
    said = result.stderr if result.stderr else result.output
    assert [line for line in said.splitlines() if line.startswith("sheetsync: nightly job:")][-1] == \
        "sheetsync: nightly job: 10 of 10 done"


def test_check_speaks_in_words_and_names_a_workbook_open_in_excel(tmp_path):
    runner = CliRunner()
    runner.invoke(main, ["demo", "--dir", str(tmp_path / "d"), "--students", "3", "--now", "2026-05-12"])
    students = sorted((tmp_path / "d" / "students").glob("*.xlsx"))
    (students[0].parent / f"~${students[0].name}").write_bytes(b"owner")       # open in Excel
    result = runner.invoke(main, ["check", "--config", str(tmp_path / "d" / "sheetsync.toml"),
                                  "--now", "2026-05-12"])
    assert f"!! " in result.output and "open in another program" in result.output, result.output
    assert "2 of 3 students ready; 1 need attention" in result.output
    assert "status status_raw" not in result.output and "phone phone" not in result.output   # a cell in words
