"""Who has no LIA at the soft and hard deadlines, and the October placement list (D8)."""
from __future__ import annotations

from jobs.master.students import CohortFacts

HEADER = {"sv": ["Student", "I dialog", "Möten/erbjudanden", "Utan LIA 30/6", "Utan LIA 30/9",
                 "Placeringslista", "Dagar till nästa deadline"],
          "en": ["Student", "In dialogue", "Meetings/offers", "No LIA at soft", "No LIA at hard",
                 "Placement list", "Days to next deadline"]}


def deadlines_tab(facts: CohortFacts, outcomes, calendar, now, language: str) -> list[list]:
    """One row per student without a secured LIA, most at risk first."""
    rows = []
    upcoming = [d for d in (calendar.soft_deadline, calendar.hard_deadline) if d >= now]
    days = (upcoming[0] - now).days if upcoming else ""
    placing = now >= calendar.placement_start
    for o in outcomes:
        f = facts.of(o.id)
        if f["lia"]:
            continue
        rows.append([o.name, f["dialogue"], f["meetings"],
                     "✔" if now > calendar.soft_deadline else "",
                     "✔" if now > calendar.hard_deadline else "",
                     "✔" if placing else "", days])
    rows.sort(key=lambda r: (r[2], r[1], r[0]))       # fewest meetings and dialogues first
    return [HEADER[language]] + rows
