"""A night that writes while it reads, through real gspread against FakeGoogle: the cap
settled at the end is the same as if everyone had been read first."""
import pytest
import threading

from jobs.night import stream
from jobs.night.judge import Judge
from jobs.nightly import run_nightly
from sheetsync.backends.google import GoogleBackend
from sheetsync.demo.google import upload_cohort
from sheetsync.engine.context import Calendar
from sheetsync.engine.leads import contacted
from sheetsync.normalize import normalize
from sheetsync.normalize.headers import map_header
from sheetsync.testing import FakeGoogle

pytestmark = pytest.mark.usefixtures("read_via")     # on both Google read paths


class Student:
    def __init__(self, sid, rows, now):
        self.student = type("S", (), {"id": sid})
        self.normalized = normalize(rows, year=now.year, student=sid, tab="CRM")


def lost_and_drawn(config, google, sheets, now):
    """Per student: companies lost to the cap, and companies held by lot (no contact yet)."""
    reads = [Student(sid, google.get_values(sheet, "CRM"), now) for sid, sheet in sheets.items()]
    judged = Judge(config, now, Calendar.default(now.year), {})(reads)
    lost, drawn = {}, {}
    for r in reads:
        frame, sid = r.normalized.frame, r.student.id
        rows = {row for row, _ in judged.cap_of(sid)}
        lost[sid] = set(frame.loc[frame["row"].isin(rows), "company_key"])
        active = frame[frame["stage"] != "no"]
        drawn[sid] = {k for k, g in active.groupby("company_key") if not contacted(g).any()} - lost[sid]
    return lost, drawn


def set_cell(google, sheet, row, field, value):
    rows = google.get_values(sheet, "CRM")
    header = next(i for i, r in enumerate(rows) if len(r) > 3)
    col = next(c for c, v in enumerate(rows[header]) if map_header(v)[0] == field)
    rows[row - 1][col] = value
    google.set_values(sheet, "CRM", rows)


def lc01_rows(google, sheet):
    rows = google.get_values(sheet, "CRM")
    header = next(i for i, r in enumerate(rows) if len(r) > 3)
    col = next(c for c, v in enumerate(rows[header]) if v.lower().startswith(("sheetsync", "⚑")) and "flag" in v.lower())
    return {i + 1 for i, r in enumerate(rows) if len(r) > col and "LC01" in r[col]}


def test_a_place_freed_by_a_sheet_read_later_reaches_the_student_written_earlier(
        demo_cohort, tmp_path, now, monkeypatch):
    monkeypatch.setattr(stream, "MIN_BATCH", 1)
    with FakeGoogle() as google:
        config, sheets, _ = upload_cohort(google, demo_cohort, tmp_path)
        first = run_nightly(config, now=now, backend=GoogleBackend(config, sleep=lambda s: None))
        assert first.ok and not first.streamed              # the first night reads everyone first
        lost, drawn = lost_and_drawn(config, google, sheets, now)
        key, loser, winner = next((k, s, w) for s in sheets for k in lost[s] for w in sheets
                                  if sum(k in v for v in lost.values()) == 1 and k in drawn[w])
        loser_rows = lc01_rows(google, sheets[loser])
        assert loser_rows

        # tonight the loser edits something else, and the winner drops the company
        frame = normalize(google.get_values(sheets[loser], "CRM"), year=now.year).frame
        other = int(frame.loc[frame["company_key"] != key, "row"].iloc[0])
        set_cell(google, sheets[loser], other, "company", "")
        frame = normalize(google.get_values(sheets[winner], "CRM"), year=now.year).frame
        for row in frame.loc[frame["company_key"] == key, "row"]:
            set_cell(google, sheets[winner], int(row), "company", "")

        # ...and the winner's sheet is read only after the loser's has been written
        backend = GoogleBackend(config, sleep=lambda s: None)
        loser_written = threading.Event()
        read, write = backend.read, backend.write

        def slow_read(student, version=None):
            if student.id == winner:
                assert loser_written.wait(10)
            return read(student, version)

        def noting_write(student, plan, workbook):
            written = write(student, plan, workbook)
            if student.id == loser:
                loser_written.set()
            return written
        monkeypatch.setattr(backend, "read", slow_read)
        monkeypatch.setattr(backend, "write", noting_write)
        start = len(google.requests)
        second = run_nightly(config, now=now, backend=backend)
        assert second.ok and second.streamed, second.table()
        assert second.rewritten == 1

        flagged_now = lc01_rows(google, sheets[loser])
        loser_frame = normalize(google.get_values(sheets[loser], "CRM"), year=now.year).frame
        key_rows = set(loser_frame.loc[loser_frame["company_key"] == key, "row"].astype(int))
        assert key_rows & loser_rows and not key_rows & flagged_now    # the place came to them
        assert flagged_now == loser_rows - key_rows                     # other losses stand

        writes = [c for c in google.requests[start:] if c.path.endswith("values:batchUpdate")]
        per_sheet = {sid: sum(sheets[sid] in c.path for c in writes) for sid in sheets}
        assert per_sheet[loser] == 2 and per_sheet[winner] == 1
        assert all(n == 0 for sid, n in per_sheet.items() if sid not in (loser, winner))

        # the settled state is what a night reading everyone first would leave: nothing to do
        third = run_nightly(config, now=now, backend=GoogleBackend(config, sleep=lambda s: None))
        assert third.ok and sum(o.cells_written for o in third.students) == 0


def test_the_first_night_and_a_night_with_many_new_students_read_everyone_first():
    from jobs.nightly import ReadJob
    known = [ReadJob(None, None, "v", None, ("v", "2026-05-11", None)) for _ in range(95)]
    new = [ReadJob(None, None, "v", None, None) for _ in range(5)]
    assert stream.can_stream(known + new)
    assert not stream.can_stream(known + new + new[:1])
    assert not stream.can_stream(new)
    unchanged = [ReadJob(None, None, "v", ("v", "2026-05-11", None), ("v", "2026-05-11", None))]
    assert not stream.can_stream(unchanged * 3)          # nothing to read: nothing to stream
