"""Retention: ten nights of edits leave at most 7 backups of a workbook; reports, the
undo log and backups past their days are deleted at the end of a night and counted in
its report; `undo` of such a run says it is past retention; `[retention]` changes it."""
import datetime as dt
import json
import os
import re
import sqlite3

import pytest

from jobs.nightly import run_nightly
from jobs.undo import undo_run
from sheetsync import load_config
from sheetsync.errors import ConfigError


def test_ten_nights_of_edits_leave_at_most_seven_backups_of_a_workbook(demo_config, now):
    backups = demo_config.state_path.parent / "backups"
    written, pruned = {}, 0
    for day in range(10):
        report = run_nightly(demo_config, now=now + dt.timedelta(days=day))
        for o in report.students:
            written[o.id] = written.get(o.id, 0) + (o.cells_written > 0)
        pruned += report.pruned["backups"]
    assert max(written.values()) == 10          # each night wrote them: a backup each time
    for sid, times in written.items():
        kept = list((backups / sid).glob("*.xlsx"))
        assert len(kept) == min(times, 7), sid
    masters = list((backups / "master").glob("*.xlsx"))
    assert len(masters) == 7                     # the master's own backups too
    assert pruned == sum(max(t - 7, 0) for t in written.values()) + 9 - 7
    assert len(list((demo_config.state_path.parent / "state-copies").glob("state-*.db"))) == 7


def test_old_reports_undo_log_and_backups_go_and_undo_says_past_retention(demo_config, now):
    text = demo_config.path.read_text(encoding="utf-8")
    demo_config.path.write_text(text + "\n[cleanup]\nin_place = true\n[retention]\nreports_days = 90\n",
                                encoding="utf-8")
    config = load_config(demo_config.path)
    first = run_nightly(config, now=now)
    state_dir = config.state_path.parent
    with sqlite3.connect(config.state_path) as db:
        assert db.execute("SELECT count(*) FROM cell_writes WHERE run_id = ?", (first.run_id,)).fetchone()[0]
    # the first night was long ago: its report file, its run row and one backup are old
    long_ago = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=200)
    report_file = state_dir / "reports" / f"run-{first.run_id:05d}.json"
    os.utime(report_file, (long_ago.timestamp(), long_ago.timestamp()))
    with sqlite3.connect(config.state_path) as db:
        db.execute("UPDATE runs SET started = ? WHERE id = ?", (long_ago.isoformat(), first.run_id))
    some = sorted((state_dir / "backups").glob("*/*.xlsx"))[0]
    old_backup = some.with_name(some.stem.rsplit("-", 1)[0] + "-" + (dt.datetime.now() - dt.timedelta(days=31))
                                .strftime("%Y%m%dT%H%M%S%f") + ".xlsx")
    some.rename(old_backup)

    second = run_nightly(config, now=now + dt.timedelta(days=1))
    assert second.pruned["reports"] == 2         # the file and the full report in the store
    assert second.pruned["undo_log_cells"] > 0 and second.pruned["backups"] == 1
    assert "retention: deleted" in second.table()
    assert not report_file.exists() and not old_backup.exists()
    with sqlite3.connect(config.state_path) as db:
        assert db.execute("SELECT count(*) FROM cell_writes WHERE run_id = ?", (first.run_id,)).fetchone()[0] == 0
        report, summary = db.execute("SELECT report, summary FROM runs WHERE id = ?", (first.run_id,)).fetchone()
    assert report is None and "students" not in json.loads(summary)
    with pytest.raises(ConfigError, match=f"run {first.run_id} .* is past retention"):
        undo_run(config, first.run_id)
    # the newer run's undo log is still kept
    saved = json.loads((state_dir / "reports" / f"run-{second.run_id:05d}.json").read_text())
    assert saved["pruned"]["undo_log_cells"] == second.pruned["undo_log_cells"]


def test_retention_settings_are_checked(demo_config):
    text = demo_config.path.read_text(encoding="utf-8")
    demo_config.path.write_text(text + "\n[retention]\nbackups_keep = 0\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="retention.backups_keep must be at least 1"):
        load_config(demo_config.path)


def test_a_student_off_the_roster_loses_their_calendar_and_digest_files_the_next_night(demo_config, now):
    text = demo_config.path.read_text(encoding="utf-8").replace(
        '[[students]]\nid = "', '[[students]]\nemail = "s@student.example"\nid = "')
    demo_config.path.write_text(text + '\n[calendars]\nenabled = true\n[digest]\nenabled = true\n'
                                       'weekday = "monday"\neml_folder = "outbox"\n', encoding="utf-8")
    config = load_config(demo_config.path)
    run_nightly(config, now=now)
    leaver = config.students[0].id
    calendars, outbox = config.state_path.parent / "calendars", config.resolve("outbox")
    assert (calendars / f"{leaver}.ics").exists() and list(outbox.glob(f"*/{leaver}.eml"))
    text = config.path.read_text(encoding="utf-8")
    entry = re.search(rf'\[\[students\]\]\n(?:[a-z]+ = .*\n)*?id = "{leaver}"\n(?:[a-z]+ = .*\n)*', text)
    config.path.write_text(text.replace(entry.group(0), ""), encoding="utf-8")
    config = load_config(config.path)
    report = run_nightly(config, now=now + dt.timedelta(days=1))
    assert report.pruned["calendars"] == 1 and report.pruned["digests"] == 1
    assert not (calendars / f"{leaver}.ics").exists() and not list(outbox.glob(f"*/{leaver}.eml"))
    assert len(list(calendars.glob("*.ics"))) == len(config.students) == 7    # the others' stay
