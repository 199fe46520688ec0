"""Beyond the sheet (D7): the weekly digest read back from a real local SMTP server, per
student, with their own items and no one else's name, sent once a week; the .eml dry
run; each student's .ics holding every follow-up once after two nights."""
import datetime as dt
import email
import re
from email import policy

import pandas as pd
from icalendar import Calendar

from jobs.nightly import run_nightly
from sheetsync import load_config
from sheetsync.engine.leads import processed
from sheetsync.normalize import read_crm
from sheetsync.backends.xlsx import XlsxBackend

WEEKDAY = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def with_digest(demo_config, now, extra: str):
    """The demo's config with an e-mail per student and the digest due today."""
    text = re.sub(r'(\[\[students\]\]\nid = "([^"]+)")', r'\1\nemail = "\2@student.example"',
                  demo_config.path.read_text(encoding="utf-8"))
    text += f'\n[digest]\nenabled = true\nweekday = "{WEEKDAY[now.weekday()]}"\n{extra}'
    demo_config.path.write_text(text, encoding="utf-8")
    return load_config(demo_config.path)


def own_follow_ups(config, student, now, days=7):
    """The companies the student's own sheet has due within a week, read independently."""
    book = XlsxBackend(config).read(student)
    frame = read_crm(book, year=now.year, student=student.id).normalized.frame
    if (frame["stage"] == "yes").any():          # a secured LIA ends the hunt's advice
        return set()
    due = frame[frame["follow_up"].notna() & (frame["follow_up"] <= pd.Timestamp(now + dt.timedelta(days=days)))
                & ~processed(frame) & frame["company"].notna()]
    return set(due["company"])


def test_the_weekly_digest_reaches_each_student_once_with_their_own_items(demo_config, demo_cohort, now,
                                                                          smtp_server):
    port, inbox = smtp_server
    config = with_digest(demo_config, now, f'[alerts]\nsmtp_host = "127.0.0.1"\nsmtp_port = {port}\n'
                                           'smtp_from = "lia@skolan.se"\n')
    report = run_nightly(config, now=now)
    assert report.digests == len(config.students) == len(inbox.messages)
    names = {s.name for s in demo_cohort.students}
    for rcpt, raw in inbox.messages:
        message = email.message_from_string(raw, policy=policy.default)
        student = next(s for s in config.students if [f"{s.id}@student.example"] == rcpt)
        body = message.get_content()
        assert message["To"] == f"{student.id}@student.example"
        assert message["Subject"].startswith("Din LIA-vecka")
        for company in own_follow_ups(config, student, now):
            assert company in body, (student.id, company)
        assert not any(n in body for n in names - {student.name}), student.id
        assert "Kvalitetsleads:" in body and "mjuk deadline" in body
        lines = body.splitlines()
        items = lines[lines.index("Att göra den här veckan (försenade först):") + 1:]
        items = items[:next(i for i, line in enumerate(items) if not line.startswith("- "))]
        overdue = [line.startswith("- FÖRSENAD") for line in items]
        assert overdue == sorted(overdue, reverse=True)               # overdue first
    again = run_nightly(config, now=now)                               # same week: nothing more
    assert again.digests == 0 and len(inbox.messages) == len(config.students)


def test_a_dry_run_writes_the_digests_as_eml_files(demo_config, now):
    config = with_digest(demo_config, now, 'eml_folder = "digests"\n')
    report = run_nightly(config, now=now)
    week = f"{now.isocalendar()[0]}-W{now.isocalendar()[1]:02d}"
    files = sorted((config.resolve("digests") / week).glob("*.eml"))
    assert report.digests == len(files) == len(config.students)
    message = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
    assert message["To"].endswith("@student.example") and "Dina siffror:" in message.get_content()


def test_each_student_calendar_holds_every_follow_up_once_after_two_nights(demo_config, now):
    text = demo_config.path.read_text(encoding="utf-8") + '\n[calendars]\nenabled = true\n'
    demo_config.path.write_text(text, encoding="utf-8")
    config = load_config(demo_config.path)
    run_nightly(config, now=now)
    student = config.students[0]
    path = config.state_path.parent / "calendars" / f"{student.id}.ics"
    first = Calendar.from_ical(path.read_bytes())
    run_nightly(config, now=now + dt.timedelta(days=1))
    cal = Calendar.from_ical(path.read_bytes())
    events = list(cal.walk("VEVENT"))
    uids = [str(e["UID"]) for e in events]
    assert len(uids) == len(set(uids))                                  # none twice
    assert {str(e["UID"]) for e in first.walk("VEVENT")} == set(uids)   # the same events, updated
    follow = [e for e in events if str(e["SUMMARY"]).startswith("Följ upp: ")]
    expected = own_follow_ups(config, student, now, days=3650)
    assert {str(e["SUMMARY"])[len("Följ upp: "):] for e in follow} == expected
    assert len(events) == len(follow) + 4                               # and the four deadlines
    soft = next(e for e in events if str(e["SUMMARY"]) == "Mjuk deadline för LIA")
    assert soft.decoded("DTSTART") == dt.date(now.year, 6, 30)
    others = {s.name for s in config.students} - {student.name}
    assert not any(n in path.read_text(encoding="utf-8") for n in others)


def test_on_google_each_calendar_is_a_drive_file_only_its_student_can_read(demo_cohort, tmp_path, now):
    from sheetsync.backends.google import GoogleBackend
    from sheetsync.demo.google import upload_cohort
    from sheetsync.testing import FakeGoogle
    with FakeGoogle() as google:
        config, sheets, _ = upload_cohort(google, demo_cohort, tmp_path)
        text = re.sub(r'(\[\[students\]\]\nid = "([^"]+)")', r'\1\nemail = "\2@student.example"',
                      config.path.read_text(encoding="utf-8")) + "\n[calendars]\nenabled = true\n"
        config.path.write_text(text, encoding="utf-8")
        config = load_config(config.path)
        backend = GoogleBackend(config, sleep=lambda s: None)
        run_nightly(config, now=now, backend=backend)
        files = {f.name: f for f in google.files.values()}
        assert len(files) == len(config.students)
        for s in config.students:
            file = files[f"LIA – {s.name}.ics"]
            readers = [(p["type"], p["role"], p.get("emailAddress")) for p in file.permissions]
            assert readers == [("user", "reader", f"{s.id}@student.example")]     # nobody else
            assert Calendar.from_ical(file.content).walk("VEVENT")
        versions = {f.id: f.version for f in google.files.values()}
        run_nightly(config, now=now, backend=backend)                # nothing moved: no upload
        assert {f.id: f.version for f in google.files.values()} == versions and len(google.files) == len(files)
