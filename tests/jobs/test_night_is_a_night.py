"""A night is a night: only a whole-cohort run is tonight's for `serve`. A student who
saves at 00:10 (a `watch` run) or staff running `run --student` must not make serve skip
02:30 for everyone (the overdue flags, the digests, the ping); each run says its kind."""
import datetime as dt
from zoneinfo import ZoneInfo

from click.testing import CliRunner
from openpyxl import load_workbook

from jobs.nightly import run_nightly
from jobs.serve import Service
from jobs.watch import Watch
from sheetsync.backends.google import GoogleBackend
from sheetsync.cli import main
from sheetsync.demo.google import upload_cohort
from sheetsync.testing import FakeGoogle
from sheetsync.state import StateStore
from tests.conftest import NOW
from tests.jobs.test_watch_pending import add_lead_on_google

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(day: dt.date, hh: int, mm: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hh, mm, tzinfo=STOCKHOLM)


def save_an_edit(config, student) -> None:
    """The student adds a lead and saves, as Excel would."""
    path = config.resolve("students") / f"{student.id}.xlsx"
    book = load_workbook(path)
    ws = book.worksheets[0]
    ws.cell(row=ws.max_row + 1, column=1, value="Nattföretaget AB")
    book.save(path)


def kinds(config) -> list[str]:
    with StateStore(config.state_path) as state:
        return [r["report"]["kind"] for r in reversed(state.runs())]


def runs_tab_kinds(config) -> list[str]:
    runs = load_workbook(config.resolve(config.master["path"]))["Körningar"]
    return [row[-2] for row in runs.iter_rows(min_row=2, values_only=True)]      # "Slag", before "Klar"


def test_a_watch_run_at_00_10_leaves_the_0230_night_to_come(demo_config):
    yesterday = NOW - dt.timedelta(days=1)
    assert run_nightly(demo_config, now=yesterday).ok                    # last night
    watch = Watch(demo_config, today=lambda: NOW)
    assert watch.poll() is None                                          # marks where the folder stands
    student = demo_config.students[1]
    save_an_edit(demo_config, student)                                   # 00:10: a student saves
    early = watch.poll()
    assert early is not None and early.judged_on == NOW.isoformat()
    clock = [at(NOW, 0, 10)]
    service = Service(demo_config, clock=lambda: clock[0])
    assert service.tick() is None                                        # not 02:30 yet
    clock[0] = at(NOW, 2, 31)
    night = service.tick()
    assert night is not None, "the 00:10 watch run was taken for tonight's night"
    assert night.kind == "night" and early.kind == "watch" and night.judged_on == NOW.isoformat()
    assert not any("not in this run" in o.message for o in night.students)   # the whole cohort
    assert len(night.students) == len(demo_config.students)
    clock[0] = at(NOW, 2, 45)
    assert service.tick() is None                                        # and never twice
    assert kinds(demo_config) == ["night", "watch", "night"]
    assert runs_tab_kinds(demo_config) == ["natt", "bevakning", "natt"]


def test_on_google_the_0010_watch_run_leaves_the_night_to_come(demo_cohort, tmp_path):
    with FakeGoogle() as google:
        config, sheets, master = upload_cohort(google, demo_cohort, tmp_path)
        backend = lambda: GoogleBackend(config, sleep=lambda s: None)   # noqa: E731
        assert run_nightly(config, now=NOW - dt.timedelta(days=1), backend=backend()).ok
        watch = Watch(config, backend(), today=lambda: NOW)
        assert watch.poll() is None
        editor = demo_cohort.students[2].id
        add_lead_on_google(google, sheets[editor], "Midnattsbolaget AB")   # 00:10
        assert watch.poll() is not None
        service = Service(config, clock=lambda: at(NOW, 2, 31), backend_factory=backend)
        night = service.tick()
        assert night is not None, "the 00:10 watch run was taken for tonight's night"
        assert night.kind == "night" and len(night.students) == len(demo_cohort.students)
        assert not any("not in this run" in o.message for o in night.students)
        kinds_shown = [r[-2] for r in google.get_values(master, "Körningar")[1:]]
        assert kinds_shown == ["natt", "bevakning", "natt"]


def test_run_student_is_not_the_night_and_a_busy_watch_day_is_no_second_night(demo_config):
    student = demo_config.students[0]
    result = CliRunner().invoke(main, ["run", "--config", str(demo_config.path), "--student", student.id,
                                       "--now", NOW.isoformat()])
    assert result.exit_code == 0, result.output
    clock = [at(NOW, 2, 31)]
    service = Service(demo_config, clock=lambda: clock[0])
    night = service.tick()
    assert night is not None, "`run --student` was taken for the night"
    assert night.kind == "night" and kinds(demo_config) == ["student", "night"]
    assert "not tonight's night" in result.output                       # the table says what it was
    # a day of edits: many more watch runs than the latest few, and still no second night
    with StateStore(demo_config.state_path) as state:
        for minute in range(30):
            run = state.start_run(f"{NOW}T03:{minute:02d}:00+00:00", NOW.isoformat(), False)
            state.finish_run(run, f"{NOW}T03:{minute:02d}:05+00:00", {"kind": "watch"},
                             {"kind": "watch", "run_id": run, "judged_on": NOW.isoformat()})
    clock[0] = at(NOW, 23, 50)
    assert service.tick() is None
    assert runs_tab_kinds(demo_config)[-1] == "natt"


def test_a_master_refresh_and_a_dry_run_are_not_the_night_either(demo_config):
    run_nightly(demo_config, now=NOW, write_students=False)             # `sheetsync master`
    run_nightly(demo_config, now=NOW, dry_run=True)                      # `sheetsync check`
    assert kinds(demo_config) == ["master"]
    assert Service(demo_config, clock=lambda: at(NOW, 2, 31)).tick().kind == "night"
