"""The master's Students, Companies and (opt-in) Contacts tabs."""
from __future__ import annotations

from collections import Counter

import pandas as pd

from sheetsync.engine.leads import COUNTS, counts_per_student, lost_rows

HEADERS = {
    "sv": {"students": ["Student", "Blad", "Status", "Leads", "Kvalitetsleads", "Mål", "Varma",
                        "Kontaktade", "Bearbetade", "I dialog", "Möten/intervjuer", "Erbjudanden", "LIA",
                        "Försenade uppföljningar", "Flaggor", "Senaste aktivitet", "Risk",
                        "Meddelande"],
           "companies": ["Företag", "Nyckel", "Antal studenter", "Över taket", "Lägen", "Lottning",
                         "Dragen ordning"],
           "contacts": ["Student", "Företag", "Kontaktperson", "Telefon", "E-post"],
           "tabs": {"overview": "Översikt", "students": "Studenter", "companies": "Företag",
                    "feedback": "Återkoppling", "deadlines": "Deadlines", "insight": "Insikter",
                    "runs": "Körningar",
                    "contacts": "Kontakter"}},
    "en": {"students": ["Student", "Sheet", "Status", "Leads", "Quality leads", "Target", "Warm",
                        "Contacted", "Processed", "In dialogue", "Meetings/interviews", "Offers", "LIA",
                        "Overdue follow-ups", "Flags", "Last activity", "Risk", "Message"],
           "companies": ["Company", "Key", "Students", "Over cap", "Stages", "Lottery", "Drawn order"],
           "contacts": ["Student", "Company", "Contact person", "Phone", "E-mail"],
           "tabs": {"overview": "Overview", "students": "Students", "companies": "Companies",
                    "feedback": "Feedback", "deadlines": "Deadlines", "insight": "Insight",
                    "runs": "Runs",
                    "contacts": "Contacts"}},
}


RISK_WORDS = {"sv": {"high": "hög", "medium": "medel", "low": "låg", "-": "-"},
              "en": {"high": "high", "medium": "medium", "low": "low", "-": "-"}}
RISK_ORDER = {"attention": 0, "high": 1, "medium": 2, "low": 3, "-": 4}
REASONS = {
    "sv": {"lia": "LIA säkrad", "unreadable": "bladet kunde inte läsas", "placement": "praktiken har börjat utan LIA",
           "hard": "hård deadline passerad", "soft": "mjuk deadline passerad utan dialog",
           "silent": "tyst i {days} dagar", "never": "ingen kontakt loggad",
           "volume": "{quality} av {target} kvalitetsleads", "pr02": "under takten", "ok": "i fas"},
    "en": {"lia": "LIA secured", "unreadable": "the sheet could not be read", "placement": "placement started without an LIA",
           "hard": "hard deadline passed", "soft": "soft deadline passed without a dialogue",
           "silent": "silent for {days} days", "never": "no contact logged",
           "volume": "{quality} of {target} quality leads", "pr02": "behind the pace", "ok": "on track"},
}


def risk_level(has_lia: bool, in_dialogue: int, codes: set[str], *, quality: int = 0, target: int = 50,
               silent_days: int | None = None, now=None, calendar=None) -> tuple[str, list[str]]:
    """(high / medium / low / '-', the reasons as keys with their figures) from the
    calendar (placement start, deadlines), silence, volume and the progress rules."""
    if has_lia:
        return "-", [("lia", {})]
    high, medium = [], []
    if calendar is not None and now is not None:
        if now >= calendar.placement_start:
            high.append(("placement", {}))
        elif now > calendar.hard_deadline:
            high.append(("hard", {}))
        elif now > calendar.soft_deadline and not in_dialogue:
            high.append(("soft", {}))
    if silent_days is None:
        (medium if quality else high).append(("never", {}))
    elif silent_days >= 30 and not in_dialogue:
        high.append(("silent", {"days": silent_days}))
    elif silent_days >= 14:
        medium.append(("silent", {"days": silent_days}))
    if quality < target:
        (high if quality < target / 2 and "PR01" in codes else medium).append(
            ("volume", {"quality": quality, "target": target}))
    if "PR02" in codes:
        (high if not in_dialogue else medium).append(("pr02", {}))
    if high:
        return "high", high + medium
    if medium:
        return "medium", medium
    return "low", [("ok", {})]


def reasons_text(reasons, language: str) -> str:
    return "; ".join(REASONS[language][key].format(**params) for key, params in reasons)


class CohortFacts:
    """Per student, what the master's tabs show, from one grouped pass over the cohort
    and one over the findings (a pandas selection per student costs seconds at 1,000)."""

    def __init__(self, cohort: pd.DataFrame, found: pd.DataFrame):
        self.counts = counts_per_student(cohort, lost=lost_rows(cohort, found))
        self.empty = {k: 0 for k in COUNTS}
        last = cohort.groupby("student", sort=False)["last_contact"].max() if len(cohort) else {}
        self.last_contact = {s: d for s, d in dict(last).items() if not pd.isna(d)}
        self.codes: dict[str, set[str]] = {}
        self.overdue, self.flagged = Counter(), Counter()
        for student, code in zip(found["student"].tolist(), found["code"].tolist()):
            self.codes.setdefault(student, set()).add(code)
            self.overdue[student] += code == "FU01"
            self.flagged[student] += 1      # on a lead or about the sheet: as the run table counts

    def of(self, student: str) -> dict[str, int]:
        return self.counts.get(student, self.empty)


NEEDS_ATTENTION = {"sv": "behöver åtgärd", "en": "needs attention"}
STATUS_WORDS = {"sv": {"ok": "ok", "skipped": "hoppades över", "failed": "misslyckades"},
                "en": {"ok": "ok", "skipped": "skipped", "failed": "failed"}}


def students_tab(facts: CohortFacts, outcomes, links: dict[str, str], about) -> list[list]:
    """One row per student, the most at risk first: sheets that need attention (could
    not be read, or a needed column is gone), then high, medium, low, LIA secured.
    `about`: the master's MasterContext (calendar, date, language)."""
    calendar, now, language = about.calendar, about.now, about.language
    target = calendar.quality_target
    header = HEADERS[language]["students"] + [{"sv": "Varför", "en": "Why"}[language]]
    rows = []
    for o in outcomes:
        f = facts.of(o.id)
        last = facts.last_contact.get(o.id)
        silent = None if last is None or now is None else (now - last.date()).days
        attention = getattr(o, "attention", "") or o.status != "ok"
        if attention:
            level, why = "attention", REASONS[language]["unreadable"] if o.status != "ok" else o.attention
            risk = NEEDS_ATTENTION[language]
        else:
            level, reasons = risk_level(bool(f["lia"]), f["dialogue"], facts.codes.get(o.id, set()),
                                        quality=f["quality"], target=target, silent_days=silent,
                                        now=now, calendar=calendar)
            risk, why = RISK_WORDS[language][level], reasons_text(reasons, language)
        status = (NEEDS_ATTENTION[language] if getattr(o, "attention", "")
                  else STATUS_WORDS[language].get(o.status, o.status))
        rows.append((RISK_ORDER[level], o.name, [
            o.name, links.get(o.id, ""), status, f["leads"], f["quality"], target,
            f["warm"], f["contacted"], f["processed"], f["dialogue"], f["meetings"],
            f["offers"], "✔" if f["lia"] else "", facts.overdue[o.id], facts.flagged[o.id],
            "" if last is None else last.strftime("%Y-%m-%d"), risk, o.message, why]))
    rows.sort(key=lambda r: (r[0], r[1]))
    return [header] + [r[2] for r in rows]


def companies_tab(cohort: pd.DataFrame, cap: int, language: str, draws: dict) -> list[list]:
    """Companies more than one student holds; the lottery column says whether lots were drawn."""
    rows = [HEADERS[language]["companies"]]
    if not len(cohort):
        return rows
    held = cohort[cohort["company_key"].notna()]
    groups = held.groupby("company_key")
    summary = pd.DataFrame({"name": groups["company"].first(),
                            "students": groups["student"].nunique(),
                            "stages": groups["stage"].agg(lambda s: ", ".join(sorted(set(s))))})
    summary = summary[summary["students"] > 1].sort_values(["students", "name"], ascending=[False, True])
    drawn = {"sv": "lottad bland {n}", "en": "drawn among {n}"}[language]
    for key, r in summary.iterrows():
        lottery = drawn.format(n=len(draws[key])) if key in draws else ""
        # the draw itself (student ids in drawn order): the state store can be rebuilt
        # from it if every copy of it is lost (sheetsync state rebuild)
        order = ", ".join(draws[key]) if key in draws else ""
        rows.append([r["name"], key, int(r["students"]), "✔" if r["students"] > cap else "",
                     r["stages"], lottery, order])
    return rows


def contacts_tab(cohort: pd.DataFrame, outcomes, language: str) -> list[list]:
    names = {o.id: o.name for o in outcomes}
    return [HEADERS[language]["contacts"]] + [
        [names.get(r.student, r.student), _text(r.company), _text(r.contact_name), _text(r.phone),
         _text(r.email)] for r in cohort.itertuples()
        if _text(r.contact_name) or _text(r.phone) or _text(r.email)]


def _text(value) -> str:
    """A text cell of the cohort frame: missing is None or NaN depending on the column."""
    return value if isinstance(value, str) else ""


def risk_colours(tab: str, rows: list[list], language: str) -> list:
    """Whole Students rows coloured by their risk: needs attention and high red, medium
    amber, LIA secured green (conditional formats, so they follow the rows each night)."""
    from sheetsync.a1 import column_letter
    from sheetsync.writeback.formats import AMBER, GREEN, RED
    from sheetsync.writeback.plan import FormatRule
    header = rows[0]
    col = column_letter(header.index("Risk") + 1)
    words = RISK_WORDS[language]
    width = len(header)
    return [FormatRule(tab, kind, f'=${col}2="{text}"', 2, 1, width, colour) for kind, text, colour in (
        ("attention", NEEDS_ATTENTION[language], RED), ("high", words["high"], RED),
        ("medium", words["medium"], AMBER), ("lia", words["-"], GREEN))]
