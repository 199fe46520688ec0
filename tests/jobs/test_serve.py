"""`sheetsync serve` through three nights on a fake clock, one of them with Google failing."""
import datetime as dt
import logging
import threading
from zoneinfo import ZoneInfo

from jobs.serve import Service
from sheetsync.backends.google import GoogleBackend
from sheetsync.demo import generate_cohort
from sheetsync.demo.google import upload_cohort
from sheetsync.lock import AlreadyRunning, lock_for
from sheetsync.testing import FakeGoogle
from tests.conftest import NOW

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def at(day: dt.date, hh: int, mm: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hh, mm, tzinfo=STOCKHOLM)


def test_three_nights_with_errors_the_lock_and_the_reports(tmp_path, caplog):
    caplog.set_level(logging.INFO)
    with FakeGoogle() as google:
        config, sheets, master = upload_cohort(google, generate_cohort(3, 2, NOW), tmp_path)
        clock = [at(NOW, 1, 0)]
        service = Service(config, clock=lambda: clock[0],
                          backend_factory=lambda: GoogleBackend(config, sleep=lambda s: None))
        assert service.tick() is None                         # 01:00: not yet
        nights = []
        for night in range(3):
            day = NOW + dt.timedelta(days=night)
            clock[0] = at(day, 2, 31)
            if night == 1:                                    # Google has a bad night
                # 6 tries of the Drive export, then 6 of the Sheets read it falls back to
                google.fail(500, times=12, path=next(iter(sheets.values())))
            nights.append(service.tick())
            clock[0] = at(day, 2, 45)
            assert service.tick() is None                     # never twice in a night
        first, bad, third = nights
        assert first.ok and third.ok
        assert bad.count("failed") == 1 and bad.count("ok") == 2
        assert [r.judged_on for r in nights] == [str(NOW + dt.timedelta(days=n)) for n in range(3)]
        runs = google.get_values(master, "Körningar")
        assert [r[0] for r in runs[1:]] == ["1", "2", "3"] and runs[2][6] == "1"   # night 2: 1 failed
        assert "failed" in caplog.text and "nightly run 3 done" in caplog.text

        clock[0] = at(NOW + dt.timedelta(days=3), 2, 31)      # night 4: another run holds the lock
        with lock_for(config):
            assert service.tick() is None
        assert "another sheetsync run holds" in caplog.text
        assert service.tick().ok                              # the next minute it runs


def test_a_missed_night_is_made_up_once_at_start(demo_config):
    clock = [at(NOW, 10, 0)]                                  # the machine was off at 02:30
    service = Service(demo_config, clock=lambda: clock[0])
    assert service.tick().ok
    assert service.tick() is None


def test_the_lock_refuses_a_second_holder(demo_config):
    with lock_for(demo_config):
        try:
            with lock_for(demo_config):
                raise AssertionError("two holders")
        except AlreadyRunning as e:
            assert "pid" in str(e)


def test_stop_finishes_the_current_student_and_skips_the_rest(demo_config):
    clock = [at(NOW, 3, 0)]
    service = Service(demo_config, clock=lambda: clock[0])
    done = []

    def stop_after_two(outcome):
        done.append(outcome.id)
        if len(done) == 2:
            service.stop()
    from jobs import serve
    original = serve._log_student
    serve._log_student = stop_after_two
    try:
        report = service.tick()
    finally:
        serve._log_student = original
    assert report.count("ok") == 2 and report.count("skipped") == len(report.students) - 2
    assert report.master is None                              # the master waits for a whole run


def test_serve_forever_exits_when_stopped(demo_config):
    service = Service(demo_config, clock=lambda: at(NOW, 1, 0))
    thread = threading.Thread(target=lambda: service.serve_forever(poll_seconds=0.01), daemon=True)
    original_signal = __import__("signal").signal
    __import__("signal").signal = lambda *a: None             # signals belong to the main thread
    try:
        thread.start()
        service.stop()
        thread.join(timeout=5)
    finally:
        __import__("signal").signal = original_signal
    assert not thread.is_alive()


def test_other_kinds_of_run_do_not_count_as_tonights(demo_config):
    """A distribute or master run earlier today must not make serve skip the night."""
    from jobs.nightly import run_nightly
    run_nightly(demo_config, now=NOW, write_students=False)          # `sheetsync master`
    service = Service(demo_config, clock=lambda: at(NOW, 3, 0))
    report = service.tick()
    assert report is not None and sum(s.cells_written for s in report.students) > 0
