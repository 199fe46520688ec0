"""The master's Insight tab: answer rates per channel and per kind of company, so far
this year and this sprint (engine.insight), for staff to coach the cohort with."""
from __future__ import annotations

from sheetsync.engine.insight import CHANNELS, CohortInsight, Rate
from sheetsync.i18n import t

TEXT = {"sv": {"channel": "Kanal", "kind": "Företagstyp", "tried": "Försök", "answered": "Svar",
               "rate": "Svarsfrekvens", "year": "i år", "sprint": "sprint {n}"},
        "en": {"channel": "Channel", "kind": "Kind of company", "tried": "Tried", "answered": "Answered",
               "rate": "Answer rate", "year": "this year", "sprint": "sprint {n}"}}


def _cells(rate: Rate | None) -> list:
    if rate is None or not rate.tried:
        return [0, 0, ""]
    return [rate.tried, rate.answered, f"{round(100 * rate.share)} %"]


def insight_tab(insight: CohortInsight, language: str) -> list[list]:
    T = TEXT[language]
    year, sprint = T["year"], T["sprint"].format(n=insight.sprint)
    rows = [[T["channel"]] + [f"{T[k]} {when}" for when in (year, sprint) for k in ("tried", "answered", "rate")]]
    for channel in CHANNELS:
        rows.append([t(f"channel.{channel}", language)] + _cells(insight.channels.get(channel))
                    + _cells(insight.sprint_channels.get(channel)))
    said = insight.sentence(language)
    if said:
        rows += [[], [said]]
    rows += [[], [T["kind"], f"{T['tried']} {year}", f"{T['answered']} {year}", f"{T['rate']} {year}"]]
    for kind, rate in sorted(insight.kinds.items(), key=lambda kv: (-kv[1].share, kv[0])):
        rows.append([kind] + _cells(rate))
    return rows
