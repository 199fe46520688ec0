"""Private on disk: with a umask of 022, every file and folder a night creates (state
store and its WAL, copies, backups, reports, calendars, .eml digests, the xlsx master)
is owner-only, on the xlsx backend and on Google through real gspread and FakeGoogle;
`sheetsync check` names a service file others can read."""
import datetime as dt
import os

from click.testing import CliRunner

from jobs.nightly import run_nightly
from sheetsync import load_config
from sheetsync.backends.google import GoogleBackend
from sheetsync.cli import main
from sheetsync.demo import generate_cohort
from sheetsync.demo.google import upload_cohort
from sheetsync.testing import FakeGoogle

from disk_modes import open_to_others

EXTRA = '\n[calendars]\nenabled = true\n[digest]\nenabled = true\nweekday = "monday"\neml_folder = "outbox"\n'


def _with_extras(config):
    text = config.path.read_text(encoding="utf-8")
    # every student gets an address, so the .eml digests are written
    text = text.replace('[[students]]\nid = "', '[[students]]\nemail = "s@student.example"\nid = "')
    config.path.write_text(text + EXTRA, encoding="utf-8")
    return load_config(config.path)


def test_every_path_a_night_creates_is_owner_only_on_xlsx(demo_config, now, umask_022):
    config = _with_extras(demo_config)
    report = run_nightly(config, now=now)
    assert report.ok and report.calendars and report.digests
    # the second night as cron runs it: the command line takes the lock file too
    result = CliRunner().invoke(main, ["run", "--config", str(config.path), "--now",
                                       (now + dt.timedelta(days=1)).isoformat(),
                                       "--json", str(config.root / "night.json")])
    assert result.exit_code == 0, result.output
    state_dir = config.state_path.parent
    made = [state_dir, config.resolve("master.xlsx"), config.resolve("outbox"), config.root / "night.json"]
    assert {p.name for p in state_dir.iterdir()} >= {"state.db", "state-copies", "backups", "reports",
                                                    "calendars", "run.lock"}
    assert list((state_dir / "backups").glob("*/*.xlsx")) and list(config.resolve("outbox").glob("*/*.eml"))
    assert open_to_others(made) == []
    # a probe that the umask really was 022: a file made the ordinary way is readable by all
    probe = state_dir.parent / "probe.txt"
    probe.write_text("x")
    assert probe.stat().st_mode & 0o044


def test_a_students_own_workbook_keeps_its_mode_when_we_write_it(demo_config, now, umask_022):
    book = next(demo_config.resolve("students").glob("*.xlsx"))
    os.chmod(book, 0o640)
    run_nightly(demo_config, now=now)
    assert list((demo_config.state_path.parent / "backups").glob(f"{book.stem}/*.xlsx"))
    assert oct(book.stat().st_mode & 0o777) == oct(0o640)


def test_every_path_a_night_creates_is_owner_only_on_google(tmp_path, now, umask_022):
    with FakeGoogle() as google:
        config, sheets, _ = upload_cohort(google, generate_cohort(4, 3, now), tmp_path / "g")
        config = _with_extras(config)
        for day in range(2):
            assert run_nightly(config, now=now + dt.timedelta(days=day), backend=GoogleBackend(config)).ok
    state_dir = config.state_path.parent
    assert list((state_dir / "reports").glob("run-*.json")) and list((state_dir / "calendars").glob("*.ics"))
    assert open_to_others([state_dir, config.resolve("outbox")]) == []


def test_check_names_a_service_file_others_can_read(demo_config, now, umask_022):
    run_nightly(demo_config, now=now)
    runner = CliRunner()
    clean = runner.invoke(main, ["check", "--config", str(demo_config.path), "--now", now.isoformat()])
    assert "privacy" not in clean.output
    report = next((demo_config.state_path.parent / "reports").glob("run-*.json"))
    os.chmod(report, 0o644)
    os.chmod(demo_config.resolve("master.xlsx"), 0o604)
    result = runner.invoke(main, ["check", "--config", str(demo_config.path), "--now", now.isoformat()])
    lines = [line for line in result.output.splitlines() if line.startswith("!! privacy:")]
    assert len(lines) == 2, result.output
    assert str(report) in lines[0] + lines[1] and "master.xlsx" in lines[0] + lines[1]
    assert "chmod 600" in lines[0]
    assert result.exit_code == 1
