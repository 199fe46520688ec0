"""Reaching students beyond the sheet, after a night: the weekly digest e-mail and each
student's private calendar (both opt-in: `[digest]`, `[calendars]`).

Both are made from each student's own judgement (their leads, findings and figures),
so neither can hold another student's name or data. The digest goes once per ISO week
per student, from `[digest] weekday` on (a missed Monday is sent on Tuesday), recorded
in the state store as each one goes, so a restart never sends one twice; with
`eml_folder` set it is written there as .eml files instead (a dry run for staff).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
from collections import Counter
from pathlib import Path

import pandas as pd

from jobs.night.context import Night
from jobs.night.judge import Judgement
from sheetsync.config import WEEKDAYS, Config, Student
from sheetsync.engine.insight import week_of
from sheetsync.engine.leads import processed
from sheetsync.errors import SheetsyncError
from sheetsync.notify.calendar import student_calendar
from sheetsync.notify.digest import DueItem, digest_text
from sheetsync import notify
from sheetsync.notify.mail import compose, deliver_each
from sheetsync.privacy.files import private_dir, write_private
from sheetsync.state import StateStore


log = logging.getLogger("sheetsync.beyond")


def reach_students(night: Night, judged: Judgement, roster: list[Student], digests: bool = True) -> None:
    """The digests due tonight (`digests`: a whole night, not `run --student`) and the
    calendars of everyone judged; a failure is logged and reported, never a failed
    night (the sheets are what counts)."""
    config, report = night.config, night.report
    people = [s for s in roster if _judged(judged, s.id)]
    if config.calendars["enabled"]:
        try:
            report.calendars = write_calendars(night, judged, people)
        except (OSError, SheetsyncError) as e:
            report.beyond_error = f"calendars not written: {e}"
    if digests and config.digest["enabled"] and digest_due(config, night.now):
        try:
            report.digests = send_digests(night, judged, people)
        except OSError as e:            # the .eml folder; SMTP's outcomes are in the report's counts
            report.beyond_error = f"digests not all written: {e}"
    if report.beyond_error:
        log.error("%s", report.beyond_error)


def _judged(judged: Judgement, sid: str) -> bool:
    try:
        judged.summaries.of(sid)
        return True
    except KeyError:          # not read tonight and no snapshot: nothing to tell them
        return False


def digest_due(config: Config, today: dt.date) -> bool:
    return today.weekday() >= WEEKDAYS.index(config.digest["weekday"])


def due_items(judged: Judgement, sid: str, today: dt.date) -> list[DueItem]:
    return [DueItem(row, company if isinstance(company, str) else "", step, due,
                    due is not None and due < today)
            for row, company, step, due in judged.summaries.week_of(sid)]


def send_digests(night: Night, judged: Judgement, people: list[Student]) -> int:
    """This week's digests not yet sent; each message on its own, so an address the SMTP
    server refuses is recorded for that student and week (with the server's answer,
    not tried again before next week) and the others still go. The report counts what
    was sent, refused and not sent (no time left, no connection: the next night sends
    those). Returns the number sent."""
    config, judge, state, report = night.config, night.judge, night.state, night.report
    week, how = week_of(judge.now), "eml" if config.digest["eml_folder"] else "smtp"
    folder = config.resolve(config.digest["eml_folder"]) / week if how == "eml" else None
    tip = judge.insight.tip(config.language) if judge.insight is not None else ""
    due: list[tuple[Student, object]] = []
    for s in people:
        if not s.email or state.digest_sent(s.id, week, how):
            continue
        if how == "smtp" and state.digest_refused(s.id, week, s.email):
            continue                    # refused this week already: once a week is enough
        figures = judged.summaries.of(s.id)
        subject, body = digest_text(s.name, due_items(judged, s.id, judge.now), figures,
                                    len(judged.found_of(s.id)), now=judge.now, calendar=judge.calendar,
                                    cohort=config.cohort["name"], language=config.language,
                                    tip="" if figures["lia"] else tip)     # a secured LIA: the hunt is over
        due.append((s, compose(config.alerts, [s.email], subject, body)))
    student_of = {id(message): s for s, message in due}

    def now() -> str:
        return dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")

    def mark(message) -> None:          # recorded as each one goes: a restart sends only the rest
        state.mark_digest(student_of[id(message)].id, week, how, now())

    def refused(message, code: int, answer: str) -> None:
        s = student_of[id(message)]
        state.mark_digest_refused(s.id, week, s.email, code, answer, now())
        report.digests_refused.append({"id": s.id, "name": s.name, "address": s.email,
                                       "answer": f"{code} {answer}"})
    if folder is not None:
        private_dir(folder)
        for s, message in due:
            write_private(folder / f"{s.id}.eml", bytes(message))
            mark(message)
        return len(due)
    delivery = deliver_each(config.alerts, [message for _, message in due], notify.budget_for(config, report),
                            keep=notify.reserve(config), sent=mark, refused=refused)
    report.digests_not_sent = len(delivery.not_sent)
    for why, count in Counter(why for _, why in delivery.not_sent).items():
        report.undelivered.append(f"{count} weekly digest(s) not sent: {why}; the next night tries again")
    if delivery.refused or delivery.not_sent:
        log.warning("digests: %d sent, %d refused, %d not sent", len(delivery.sent), len(delivery.refused),
                    len(delivery.not_sent))
    return len(delivery.sent)


def calendar_folder(config: Config) -> Path:
    given = config.calendars["folder"]
    return config.resolve(given) if given else config.state_path.parent / "calendars"


def write_calendars(night: Night, judged: Judgement, people: list[Student]) -> int:
    """Each student's .ics beside the state store; on Google also a Drive file shared
    with the student alone, uploaded only when an event changed (Drive's quota)."""
    config, backend, judge, state = night.config, night.backend, night.judge, night.state
    folder = calendar_folder(config)
    private_dir(folder)
    stamp = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    for s in people:
        before = state.calendar_events(s.id)
        kept = dict(before)
        ics = student_calendar(s.id, s.name, follow_ups(judged, s.id), judge.calendar, config.language, stamp,
                               kept)
        changed = {u: v for u, v in kept.items() if before.get(u) != v}
        if changed:                     # the SEQUENCE of each event, kept for the next night
            state.save_calendar_events(s.id, changed)
        write_private(folder / f"{s.id}.ics", ics)
        if backend.kind == "google" and s.email:
            _to_drive(backend, state, s, ics)
    return len(people)


def _to_drive(backend, state: StateStore, student: Student, ics: bytes) -> None:
    events = hashlib.sha256(re.sub(rb"DTSTAMP:[^\r\n]*", b"", ics)).hexdigest()
    kept = json.loads(state.setting(f"calendar.{student.id}") or "{}")
    if kept.get("events") == events:
        return
    file_id = backend.put_private_file(kept.get("file"), f"LIA – {student.name}.ics", ics,
                                       "text/calendar", student.email)
    state.set_setting(f"calendar.{student.id}", json.dumps({"file": file_id, "events": events}))


def follow_ups(judged: Judgement, sid: str) -> list[tuple[str, str, dt.date, str]]:
    """(company key, company, date, next step) of each open lead with an agreed follow-up."""
    frame = judged.leads_of(sid)
    if not len(frame):
        return []
    _, _, steps = judged.per_lead(sid)
    open_ = frame["follow_up"].notna() & ~processed(frame) & frame["company"].notna()
    keys = frame["company_key"].where(frame["company_key"].notna(), "row" + frame["row"].astype(str))
    return [(str(k), str(c), pd.Timestamp(d).date(), str(st))
            for k, c, d, st, keep in zip(keys, frame["company"], frame["follow_up"], steps, open_) if keep]
