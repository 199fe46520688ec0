"""The weekly digest: one e-mail per student, in the cohort's language, with this week's
follow-ups and next steps (overdue first), their numbers against the target and the
deadlines. Built from that student's own judgement only: it never names anyone else."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sheetsync.writeback.summary import progress_bar, time_left

TEXT = {
    "sv": {"subject": "Din LIA-vecka {week}: {due} att följa upp",
           "hello": "Hej {name}!",
           "intro": "Här är din vecka i LIA-jakten, från ditt CRM som det såg ut i natt.",
           "week": "Att göra den här veckan (försenade först):",
           "overdue": "FÖRSENAD",
           "row": "rad {row}",
           "nothing": "Inget inbokat den här veckan: boka uppföljningar med dem du har kontakt med.",
           "numbers": "Dina siffror:",
           "quality": "Kvalitetsleads: {quality} av {target}  {bar}",
           "dialogue": "I dialog: {dialogue}, möten/intervjuer: {meetings}, erbjudanden: {offers}",
           "lia": "LIA: säkrad – grattis!",
           "deadlines": "Tid kvar: mjuk deadline {soft} ({soft_date}), hård deadline {hard} ({hard_date}).",
           "flags": "Ditt CRM har {flags} flaggor att titta på (kolumnen ⚑ Flaggor).",
           "bye": "Lycka till! /sheetsync, för {cohort}"},
    "en": {"subject": "Your LIA week {week}: {due} to follow up",
           "hello": "Hi {name}!",
           "intro": "Here is your week in the LIA hunt, from your CRM as it was last night.",
           "week": "To do this week (overdue first):",
           "overdue": "OVERDUE",
           "row": "row {row}",
           "nothing": "Nothing booked this week: agree follow-ups with those you are in touch with.",
           "numbers": "Your numbers:",
           "quality": "Quality leads: {quality} of {target}  {bar}",
           "dialogue": "In dialogue: {dialogue}, meetings/interviews: {meetings}, offers: {offers}",
           "lia": "LIA: secured – congratulations!",
           "deadlines": "Time left: soft deadline {soft} ({soft_date}), hard deadline {hard} ({hard_date}).",
           "flags": "Your CRM has {flags} flags to look at (the ⚑ Flags column).",
           "bye": "Good luck! /sheetsync, for {cohort}"},
}


@dataclass(frozen=True)
class DueItem:
    row: int
    company: str
    step: str
    due: dt.date | None
    overdue: bool


def digest_text(name: str, items: list[DueItem], figures: dict, flags: int, *, now: dt.date,
                calendar, cohort: str, language: str, tip: str = "") -> tuple[str, str]:
    """(subject, body) of one student's digest."""
    T = TEXT[language]
    week = f"{now.isocalendar()[1]}"
    items = sorted(items, key=lambda i: (not i.overdue, i.due or now, i.row))
    lines = [T["hello"].format(name=name.split()[0] if name else ""), "", T["intro"], "", T["week"]]
    for i in items:
        when = i.due.isoformat() if i.due else ""
        mark = f"{T['overdue']} " if i.overdue else ""
        lines.append(f"- {mark}{when} {i.company} ({T['row'].format(row=i.row)}): {i.step}".replace("  ", " "))
    if not items:
        lines.append(T["nothing"])
    target = calendar.quality_target
    lines += ["", T["numbers"],
              T["quality"].format(quality=figures["quality"], target=target,
                                  bar=progress_bar(figures["quality"], target)),
              T["dialogue"].format(**figures)]
    if figures.get("lia"):
        lines.append(T["lia"])
    lines.append(T["deadlines"].format(
        soft=time_left((calendar.soft_deadline - now).days, language), soft_date=calendar.soft_deadline,
        hard=time_left((calendar.hard_deadline - now).days, language), hard_date=calendar.hard_deadline))
    if flags:
        lines.append(T["flags"].format(flags=flags))
    if tip:
        lines += ["", tip]
    lines += ["", T["bye"].format(cohort=cohort)]
    return T["subject"].format(week=week, due=len(items)), "\n".join(lines) + "\n"
