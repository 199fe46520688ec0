"""Google's bad minutes: for every fault the run finishes, every student's outcome is in
the report, no student cell changes, owned cells end consistent after a rerun (the run
after it writes no student cell; only the master's Runs log grows), and the state store
stays sound. docs/reliability.md lists each fault and its test."""
import sqlite3

import pytest

from jobs.nightly import run_nightly
from sheetsync.backends.google import GoogleBackend
from sheetsync.demo import generate_cohort
from sheetsync.demo.google import upload_cohort
from sheetsync.testing import FakeGoogle
from tests.conftest import NOW

pytestmark = pytest.mark.usefixtures("read_via")     # on both Google read paths


def student_view(google, sid):
    rows = google.get_values(sid, "CRM")
    owned = {c for row in rows for c, v in enumerate(row) if v.lower().startswith(("sheetsync", "⚑"))}
    kept = [[v for c, v in enumerate(row) if c not in owned] for row in rows]
    return [r[:max((i + 1 for i, v in enumerate(r) if v), default=0)] for r in kept]


def run(config):
    return run_nightly(config, now=NOW, backend=GoogleBackend(config, sleep=lambda s: None))


def integrity(config) -> str:
    with sqlite3.connect(config.state_path) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


@pytest.fixture
def cohort(tmp_path):
    with FakeGoogle() as google:
        config, sheets, master = upload_cohort(google, generate_cohort(4, 11, NOW), tmp_path)
        yield google, config, sheets


def first(sheets):
    return next(iter(sheets.values()))


FAULTS = {
    "429 burst on reads": lambda g, s: g.fail(429, times=5, kind="read"),
    "500 on writes": lambda g, s: g.fail(500, times=2, kind="write"),
    "503 on every kind of call": lambda g, s: g.fail(503, times=4),
    "read timeouts": lambda g, s: g.fail("timeout", times=2, kind="read"),
    "connection reset before a write arrives": lambda g, s: g.fail("reset", times=2, kind="write"),
    "connection reset after a write was applied": lambda g, s: g.fail(
        "reset_after", times=1, path=f"{first(s)}/values:batchUpdate"),
    "token endpoint failing": lambda g, s: g.fail_token(4),
    "sheet deleted during the run": lambda g, s: g.before(
        lambda: g.delete(first(s)), kind="drive", path=first(s)),
    "sheet unshared during the run": lambda g, s: g.before(
        lambda: g.unshare(first(s)), kind="drive", path=first(s)),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_fault_costs_no_student_data_and_a_rerun_makes_it_whole(cohort, fault):
    google, config, sheets = cohort
    before = {sid: student_view(google, sid) for sid in sheets.values()}
    FAULTS[fault](google, sheets)
    report = run(config)
    assert {s.id for s in report.students} == set(sheets)          # every outcome reported
    assert all(s.status in ("ok", "failed") and (s.status == "ok" or s.message)
               for s in report.students), report.table()
    gone = fault.startswith("sheet ")
    for student, sid in sheets.items():
        if sid in google.books:
            assert student_view(google, sid) == before[sid], (fault, student)
    if gone:
        assert report.students[0].status == "failed" and first(sheets) in report.students[0].message
    else:
        assert report.ok, report.table()
    if "unshared" in fault:
        google.books[first(sheets)].shared_with_service = True
    rerun = run(config)
    settled = run(config)                # owned cells consistent: nothing left to change
    assert rerun.count("failed") == (1 if fault == "sheet deleted during the run" else 0)
    assert sum(s.cells_written for s in settled.students) == 0, settled.table()
    assert integrity(config) == "ok"


def test_a_stop_between_read_and_write_then_a_rerun(cohort):
    google, config, sheets = cohort
    before = {sid: student_view(google, sid) for sid in sheets.values()}

    def stop():
        raise KeyboardInterrupt        # the process is told to stop mid-run
    google.before(stop, kind="drive", path=list(sheets.values())[1])
    with pytest.raises(KeyboardInterrupt):
        run(config)
    assert all(student_view(google, sid) == before[sid] for sid in sheets.values())
    assert run(config).ok and sum(s.cells_written for s in run(config).students) == 0
    assert integrity(config) == "ok"


def test_a_quota_that_never_recovers_fails_that_student_clearly(cohort):
    google, config, sheets = cohort
    google.fail(429, times=100, kind="read", path=first(sheets))
    report = run(config)
    failed = report.students[0]
    assert failed.status == "failed" and "quota" in failed.message.lower()
    assert report.count("ok") == len(sheets) - 1
