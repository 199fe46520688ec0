"""An operator's mistake never publishes a collapse and never stops the night for
everyone (Trust, round 3): a misspelt students folder, a file name that is not UTF-8, a
night judged as of a future day, a disk that fills mid-run, most students failing for
one shared cause. Through the CLI as staff run it, on the local backend."""
import datetime as dt
import json
import os
import sqlite3

import pytest
from click.testing import CliRunner

from jobs.nightly import run_nightly
from sheetsync import load_config
from sheetsync.cli import main
from sheetsync.state import StateStore
from tests.helpers import cells


def run_cli(config, *args):
    return CliRunner().invoke(main, ["run", "--config", str(config.path), *args])


def snapshot_of_files(*paths) -> dict:
    return {p: p.read_bytes() for folder in paths for p in sorted(folder.rglob("*.xlsx"))}


def folder_roster(config):
    """The demo's config without its [[students]]: the roster is the folder."""
    text = config.path.read_text(encoding="utf-8")
    config.path.write_text(text[:text.index("[[students]]")] if "[[students]]" in text else text,
                           encoding="utf-8")
    return load_config(config.path)


@pytest.mark.parametrize("roster", ["listed", "the folder"])
def test_a_misspelt_students_folder_leaves_the_master_and_sheets_as_they_were(demo_config, now, roster):
    config = demo_config if roster == "listed" else folder_roster(demo_config)
    assert run_nightly(config, now=now).ok
    master = config.resolve(config.master["path"])
    before = master.read_bytes()
    text = config.path.read_text(encoding="utf-8").replace('folder = "students"', 'folder = "studnets"')
    config.path.write_text(text, encoding="utf-8")
    result = run_cli(config, "--now", now.isoformat())
    assert result.exit_code == 2
    said = result.output.strip().splitlines()
    assert len(said) == 1 and "studnets" in said[0] and "does not exist" in said[0], said
    assert master.read_bytes() == before


def test_a_file_name_that_is_not_utf8_is_read_like_any_other(demo_config, now):
    config = folder_roster(demo_config)
    folder = config.resolve(config.backend["folder"])
    first = sorted(folder.glob("*.xlsx"))[0]
    odd = os.fsdecode(bytes(folder) + b"/J\xf6ns-\xc5kesson.xlsx")      # Latin-1 bytes, as a Windows zip leaves them
    os.rename(first, odd)
    result = run_cli(config, "--now", now.isoformat(), "--json", str(config.path.parent / "r.json"))
    assert result.exit_code == 0, result.output
    assert "Jöns-Åkesson" in result.output
    report = json.loads((config.path.parent / "r.json").read_text(encoding="utf-8"))
    assert any(s["id"] == "Jöns-Åkesson" and s["status"] == "ok" and s["leads"] > 0 for s in report["students"])
    assert any(isinstance(v, str) and "⚑" in v for v in cells(odd).values())       # written too
    master = cells(config.resolve(config.master["path"]))
    assert "Jöns-Åkesson" in master.values()


def test_a_night_judged_after_today_is_a_preview_unless_asked_to_write(demo_config):
    config = demo_config
    folder = config.resolve(config.backend["folder"])
    master = config.resolve(config.master["path"])
    today = dt.date.today()
    assert run_nightly(config, now=today).ok
    before = snapshot_of_files(folder, master.parent)
    next_monday = today + dt.timedelta(days=7 - today.weekday())
    result = run_cli(config, "--now", next_monday.isoformat())
    assert result.exit_code == 0, result.output
    assert "preview" in result.output and "--write" in result.output
    assert snapshot_of_files(folder, master.parent) == before           # nothing written
    written = run_cli(config, "--now", next_monday.isoformat(), "--write")
    assert written.exit_code == 0, written.output
    assert snapshot_of_files(folder, master.parent) != before
    past = run_cli(config, "--now", (today - dt.timedelta(days=30)).isoformat())   # replays still write
    assert past.exit_code == 0 and "preview" not in past.output


def test_a_disk_that_fills_mid_run_is_one_line_and_exit_4(demo_config, now, monkeypatch):
    calls = []

    def fills_on_the_third(self, *args, **kwargs):
        calls.append(1)
        if len(calls) >= 3:
            raise sqlite3.OperationalError("database or disk is full")
        return saved(self, *args, **kwargs)
    saved = StateStore.save_snapshot
    monkeypatch.setattr(StateStore, "save_snapshot", fills_on_the_third)
    result = run_cli(demo_config, "--now", now.isoformat())
    assert result.exit_code == 4, result.output
    said = [line for line in result.output.splitlines() if "sheetsync:" in line and "done" not in line]
    assert len(said) == 1 and "is full" in said[0], result.output
    assert "Traceback" not in result.output


def test_a_disk_full_writing_a_workbook_is_one_line_and_exit_4(demo_config, now, monkeypatch):
    from sheetsync.backends import xlsx

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(xlsx.XlsxBackend, "_backup", no_space)
    result = run_cli(demo_config, "--now", now.isoformat())
    assert result.exit_code == 4, result.output
    assert "Traceback" not in result.output and "is full" in result.output


def test_most_students_failing_for_one_cause_publishes_nothing(demo_config, now):
    config = demo_config
    master = config.resolve(config.master["path"])
    assert run_nightly(config, now=now).ok
    before_master = master.read_bytes()
    folder = config.resolve(config.backend["folder"])
    books = sorted(folder.glob("*.xlsx"))
    for path in books[1:]:                          # all but one cut off by a broken sync
        path.write_bytes(path.read_bytes()[:100])
    kept = books[0].read_bytes()
    result = run_cli(config, "--now", now.isoformat())
    assert result.exit_code == 1
    assert "one cause" in result.output
    assert master.read_bytes() == before_master
    assert books[0].read_bytes() == kept
