"""An .ics event whose date moves keeps its UID and gets SEQUENCE one higher, so every
calendar client takes the new date; an event that did not change keeps its SEQUENCE."""
import datetime as dt

from icalendar import Calendar
from openpyxl import load_workbook

from jobs.nightly import run_nightly
from sheetsync.backends.xlsx import XlsxBackend
from sheetsync.normalize.dates import parse_date
from sheetsync.workbook import is_owned_header
from tests.notify.outward_setup import configure


def events(path) -> dict[str, tuple[str, dt.date, int]]:
    cal = Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): (str(e["SUMMARY"]), e.decoded("DTSTART"), int(e["SEQUENCE"]))
            for e in cal.walk("VEVENT")}


def move_follow_up(workbook_path, company: str, day: dt.date, days: int) -> None:
    """The student moves the follow-up of `company` from `day` by `days`, in their own workbook."""
    book = load_workbook(workbook_path)
    for ws in book.worksheets:
        theirs = [not is_owned_header(c.value) if isinstance(c.value, str) else True for c in ws[1]]
        for row in ws.iter_rows():
            if not any(isinstance(c.value, str) and c.value.strip() == company for c in row):
                continue
            for c, typed in zip(row, theirs):     # their columns, as typed ("14 May", a date...)
                if typed and c.value is not None and parse_date(c.value, day.year) == day:
                    c.value = (day + dt.timedelta(days=days)).isoformat()
                    book.save(workbook_path)
                    return
    raise AssertionError(f"no follow-up {day} for {company}")


def test_a_moved_follow_up_raises_its_sequence_by_one_and_nothing_else_moves(demo_config, now):
    config = configure(demo_config, now, calendars=True)
    student = config.students[0]
    ics = config.state_path.parent / "calendars" / f"{student.id}.ics"
    run_nightly(config, now=now)
    first = events(ics)
    assert {seq for _, _, seq in first.values()} == {0}
    moved_uid, (summary, day, _) = next((u, e) for u, e in sorted(first.items(), key=lambda kv: kv[1][1])
                                        if e[0].startswith("Följ upp: ") and e[1] > now)
    move_follow_up(XlsxBackend(config).path(student), summary[len("Följ upp: "):], day, 3)

    run_nightly(config, now=now + dt.timedelta(days=1))
    second = events(ics)
    assert second[moved_uid] == (summary, day + dt.timedelta(days=3), 1)          # same UID, one higher
    assert {u: e for u, e in second.items() if u != moved_uid} == \
        {u: e for u, e in first.items() if u != moved_uid}                       # the rest as they were

    run_nightly(config, now=now + dt.timedelta(days=2))
    assert events(ics) == second                                                  # nothing moved: no rise
