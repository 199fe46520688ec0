"""The state store survives: a damaged store is set aside and the last good copy restored
with the lottery's draws; an unwritable folder, a full disk and Ctrl-C each end with one
line and their own exit code, and lose nothing."""
import sqlite3

import pytest
from click.testing import CliRunner

from jobs.nightly import Interrupted, run_nightly
from sheetsync.cli import main
from sheetsync.state import KEEP_COPIES, StateError, StateStore


def draws_of(config):
    store = StateStore(config.state_path)
    try:
        return store.draws()
    finally:
        store.close()


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_store_is_set_aside_and_the_last_copy_restored_with_its_draws(demo_config, now, damage):
    assert run_nightly(demo_config, now=now).ok
    draws = draws_of(demo_config)
    assert draws                                                # the demo has popular companies
    path = demo_config.state_path
    if damage == "garbage":
        path.write_bytes(b"this is no database" * 100)
    else:
        path.write_bytes(path.read_bytes()[:1500])
    report = run_nightly(demo_config, now=now)
    assert report.ok and report.count("ok") == len(report.students)
    assert "damaged" in report.state_warning and "restored" in report.state_warning
    assert draws_of(demo_config) == draws                      # the lottery did not draw again
    assert list(path.parent.glob(f"{path.name}.damaged-*"))    # set aside, never deleted
    store = StateStore(path)
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()


def test_copies_are_kept_for_the_last_nights_only(demo_config, now):
    for _ in range(KEEP_COPIES + 2):
        run_nightly(demo_config, now=now)
    copies = sorted((demo_config.state_path.parent / "state-copies").glob("state-*.db"))
    assert len(copies) == KEEP_COPIES
    copy = sqlite3.connect(copies[-1])
    assert copy.execute("SELECT count(*) FROM runs").fetchone()[0] == KEEP_COPIES + 2
    copy.close()


def test_ctrl_c_is_an_interrupted_run_not_a_finished_one(demo_config, now):
    seen = []

    def press_ctrl_c_after_three(outcome):
        seen.append(outcome.id)
        if len(seen) == 3:
            raise KeyboardInterrupt
    with pytest.raises(Interrupted) as stop:
        run_nightly(demo_config, now=now, on_student=press_ctrl_c_after_three)
    total = len(stop.value.report.students)
    assert stop.value.report.interrupted.startswith(f"interrupted after 3 of {total} students")
    assert stop.value.exit_code == 130
    store = StateStore(demo_config.state_path)
    row = store.runs(limit=1)[0]
    store.close()
    assert row["report"]["interrupted"].startswith(f"interrupted after 3 of {total}")
    assert sum(s["status"] == "skipped" for s in stop.value.report.to_dict()["students"]) == total - 3
    again = run_nightly(demo_config, now=now)                     # the next run completes it
    assert again.ok and again.count("ok") == total


def test_an_unwritable_state_folder_is_one_line_and_exit_3(demo_config):
    blocker = demo_config.path.parent / "not-a-folder"
    blocker.write_text("a file where the state folder should be", encoding="utf-8")
    text = demo_config.path.read_text(encoding="utf-8").replace(
        'path = ".sheetsync/state.db"', 'path = "not-a-folder/state.db"')
    demo_config.path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(main, ["run", "--config", str(demo_config.path), "--now", "2026-05-12"])
    assert result.exit_code == 3
    said = (result.stderr or result.output).strip().splitlines()
    assert len(said) == 1 and "is not writable" in said[0] and "Traceback" not in result.output


def test_a_full_disk_is_one_line_and_exit_4(demo_config, now, monkeypatch):
    def full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")
    monkeypatch.setattr(StateStore, "finish_run", full)
    with pytest.raises(StateError) as error:
        run_nightly(demo_config, now=now)
    assert error.value.exit_code == 4 and "is full" in str(error.value)
    result = CliRunner().invoke(main, ["run", "--config", str(demo_config.path), "--now", "2026-05-12"])
    assert result.exit_code == 4


def test_draws_come_back_from_the_master_when_every_copy_is_lost(demo_config, now):
    from jobs.rebuild import rebuild_draws
    assert run_nightly(demo_config, now=now).ok
    draws = draws_of(demo_config)
    assert draws
    folder = demo_config.state_path.parent
    import shutil
    shutil.rmtree(folder)                                         # the store and all its copies
    restored, kept = rebuild_draws(demo_config)
    assert restored == len(draws) and kept == 0
    assert draws_of(demo_config) == draws
    again = run_nightly(demo_config, now=now)
    assert again.ok and draws_of(demo_config) == draws             # nothing drawn anew
    result = CliRunner().invoke(main, ["state", "rebuild", "--config", str(demo_config.path)])
    assert result.exit_code == 0 and f"0 draw(s) restored from the master; {len(draws)} already" in result.output
