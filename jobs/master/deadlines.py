"""Who has no LIA at the soft and hard deadlines, and the October placement list (D8)."""
from __future__ import annotations

from jobs.master.students import CohortFacts

TEXT = {"sv": {"student": "Student", "dialogue": "I dialog", "meetings": "Möten/intervjuer",
               "offers": "Erbjudanden",
               "without": "Utan LIA {date}", "in_days": " (om {days} dagar)",
               "placement": "Placeringslista", "silent": "Dagar sedan senaste kontakt"},
        "en": {"student": "Student", "dialogue": "In dialogue", "meetings": "Meetings/interviews",
               "offers": "Offers",
               "without": "No LIA at {date}", "in_days": " (in {days} days)",
               "placement": "Placement list", "silent": "Days since last contact"}}


def deadlines_tab(facts: CohortFacts, outcomes, calendar, now, language: str) -> list[list]:
    """One row per student without a secured LIA, most at risk first. The days left to
    a deadline are the same for everyone, so they stand in its header, not on each row."""
    T = TEXT[language]
    header = [T["student"], T["dialogue"], T["meetings"], T["offers"]]
    for deadline in (calendar.soft_deadline, calendar.hard_deadline):
        days = (deadline - now).days
        header.append(T["without"].format(date=f"{deadline.day}/{deadline.month}")
                      + (T["in_days"].format(days=days) if days >= 0 else ""))
    header += [T["placement"], T["silent"]]
    rows = []
    placing = now >= calendar.placement_start
    for o in outcomes:
        f = facts.of(o.id)
        if f["lia"]:
            continue
        last = facts.last_contact.get(o.id)
        rows.append([o.name, f["dialogue"], f["meetings"], f["offers"],
                     "✔" if now > calendar.soft_deadline else "",
                     "✔" if now > calendar.hard_deadline else "",
                     "✔" if placing else "", "" if last is None else (now - last.date()).days])
    rows.sort(key=lambda r: (r[3] + r[2], r[1], r[0]))     # fewest offers and meetings first
    return [header] + rows
