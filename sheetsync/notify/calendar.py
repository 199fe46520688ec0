"""A private calendar per student: their agreed follow-ups and the programme's deadlines
as an .ics file (RFC 5545, the `icalendar` library). Each event's UID is made from the
student and the company, not the row or the night, so a calendar that subscribes to the
file updates an event when its date moves instead of adding a second one; and its
SEQUENCE rises by one each time its date or summary changes (RFC 5545 3.8.7.4: some
clients keep the old date of an event whose SEQUENCE did not rise)."""
from __future__ import annotations

import datetime as dt
import hashlib

from icalendar import Calendar as ICalendar
from icalendar import Event

WORDS = {"sv": {"name": "LIA: {name}", "follow_up": "Följ upp: {company}",
                "research": "Deadline: {target} kvalitetsleads", "soft": "Mjuk deadline för LIA",
                "hard": "Hård deadline för LIA", "placement": "Personalen börjar placera"},
         "en": {"name": "LIA: {name}", "follow_up": "Follow up: {company}",
                "research": "Deadline: {target} quality leads", "soft": "Soft LIA deadline",
                "hard": "Hard LIA deadline", "placement": "Staff start placing students"}}


def uid(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:24] + "@sheetsync"


def student_calendar(student_id: str, name: str, follow_ups: list[tuple[str, str, dt.date, str]],
                     calendar, language: str, now: dt.datetime,
                     kept: dict[str, tuple[int, str]] | None = None) -> bytes:
    """`follow_ups`: (company key, company, date, next step). One event per company: the
    earliest date when a company is listed twice. `kept`: uid -> (SEQUENCE, fingerprint)
    of each event as last written, updated here (a new event starts at 0)."""
    kept = {} if kept is None else kept
    W = WORDS[language]
    cal = ICalendar()
    cal.add("prodid", "-//sheetsync//LIA follow-ups//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", W["name"].format(name=name))
    earliest: dict[str, tuple[str, dt.date, str]] = {}
    for key, company, day, step in follow_ups:
        if key not in earliest or day < earliest[key][1]:
            earliest[key] = (company, day, step)
    for key, (company, day, step) in sorted(earliest.items(), key=lambda kv: (kv[1][1], kv[0])):
        cal.add_component(_event(uid(student_id, "follow-up", key), W["follow_up"].format(company=company),
                                 day, now, kept, step))
    for kind, day in (("research", calendar.research_deadline), ("soft", calendar.soft_deadline),
                      ("hard", calendar.hard_deadline), ("placement", calendar.placement_start)):
        cal.add_component(_event(uid(student_id, "deadline", kind, str(calendar.year)),
                                 W[kind].format(target=calendar.quality_target), day, now, kept))
    return cal.to_ical()


def sequence(kept: dict[str, tuple[int, str]], event_uid: str, summary: str, day: dt.date) -> int:
    """The event's SEQUENCE: as last written, one more if its date or summary changed."""
    fingerprint = hashlib.sha1(f"{day.isoformat()}\x1f{summary}".encode("utf-8")).hexdigest()[:16]
    before = kept.get(event_uid)
    number = 0 if before is None else before[0] + (before[1] != fingerprint)
    kept[event_uid] = (number, fingerprint)
    return number


def _event(event_uid: str, summary: str, day: dt.date, now: dt.datetime,
           kept: dict[str, tuple[int, str]], description: str = "") -> Event:
    event = Event()
    event.add("uid", event_uid)
    event.add("sequence", sequence(kept, event_uid, summary, day))
    event.add("dtstamp", now)
    event.add("summary", summary)
    event.add("dtstart", day)                     # a date: an all-day event
    event.add("dtend", day + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    if description:
        event.add("description", description)
    return event
