"""The master's Students, Companies and (opt-in) Contacts tabs."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import PurePath

import pandas as pd

from jobs.master import triage

from sheetsync.engine.leads import COUNTS, counts_per_student, lost_rows

HEADERS = {
    "sv": {"students": ["Student", "Risk", "Varför", "Meddelande", "Blad", "Status", "Leads",
                        "Kvalitetsleads", "Mål", "Varma", "Kontaktade", "Bearbetade", "I dialog",
                        "Möten/intervjuer", "Erbjudanden", "LIA", "Försenade uppföljningar",
                        "Förlorade i lottningen", "Flaggor", "Senaste aktivitet", "Dagar utan kontakt"],
           "companies": ["Företag", "Nyckel", "Antal studenter", "Över taket", "Lägen", "Lottning",
                         "Dragen ordning"],
           "contacts": ["Student", "Företag", "Kontaktperson", "Telefon", "E-post"],
           "tabs": {"overview": "Översikt", "students": "Studenter", "companies": "Företag",
                    "feedback": "Återkoppling", "deadlines": "Deadlines", "insight": "Insikter",
                    "runs": "Körningar",
                    "contacts": "Kontakter"}},
    "en": {"students": ["Student", "Risk", "Why", "Message", "Sheet", "Status", "Leads", "Quality leads",
                        "Target", "Warm", "Contacted", "Processed", "In dialogue", "Meetings/interviews",
                        "Offers", "LIA", "Overdue follow-ups", "Lost in the draw", "Flags",
                        "Last activity", "Days without contact"],
           "companies": ["Company", "Key", "Students", "Over cap", "Stages", "Lottery", "Drawn order"],
           "contacts": ["Student", "Company", "Contact person", "Phone", "E-mail"],
           "tabs": {"overview": "Overview", "students": "Students", "companies": "Companies",
                    "feedback": "Feedback", "deadlines": "Deadlines", "insight": "Insight",
                    "runs": "Runs",
                    "contacts": "Contacts"}},
}
# a lead's stage in the Companies tab, in the cohort's language (normalize/statuses.py STAGES)
STAGE_WORDS = {"sv": {"new": "ny", "attempted": "försökt", "in_dialogue": "i dialog", "meeting": "möte",
                      "offer": "erbjudande", "yes": "ja (LIA)", "no": "nej", "unknown": "okänt"},
               "en": {"new": "new", "attempted": "attempted", "in_dialogue": "in dialogue",
                      "meeting": "meeting", "offer": "offer", "yes": "yes (LIA)", "no": "no",
                      "unknown": "unknown"}}
# the Sheet column: a short name, the link itself kept apart (see sheet_cell)
OPEN_SHEET = {"sv": "öppna bladet", "en": "open the sheet"}
SHEET_HEADER = {"sv": "Blad", "en": "Sheet"}


RISK_WORDS = {"sv": {"high": "hög", "medium": "medel", "low": "låg", "-": "-"},
              "en": {"high": "high", "medium": "medium", "low": "low", "-": "-"}}


def kept_leads(cohort: pd.DataFrame, lost: pd.Series) -> pd.Series:
    """The leads a student keeps: each company once, none lost in the draw (what the
    feedback's completeness counts: a duplicate or a lost draw is not a lead to complete)."""
    mask = cohort["company"].notna() & ~lost
    if mask.any():
        repeat = cohort.loc[mask].duplicated(["student", "company_key"])
        mask = mask.copy()
        mask.loc[repeat.index[repeat.to_numpy()]] = False
    return mask


class CohortFacts:
    """Per student, what the master's tabs show, from one grouped pass over the cohort
    and one over the findings (a pandas selection per student costs seconds at 1,000)."""

    def __init__(self, cohort: pd.DataFrame, found: pd.DataFrame):
        lost = lost_rows(cohort, found)
        self.counts = counts_per_student(cohort, lost=lost, lost_draw=lost, kept=kept_leads(cohort, lost))
        self.empty = {k: 0 for k in COUNTS + ("lost_draw", "kept")}
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
COLUMN_GONE = {"sv": "en kolumn bladet behöver är borta: {columns}",
               "en": "a column the sheet needs is gone: {columns}"}


def sheet_cell(link: str, language: str) -> str:
    """What the Sheet column shows: a workbook's file name (not the server's path), or
    for a Google sheet a short label; the backend puts the link itself on the cell."""
    if not link:
        return ""
    if link.startswith(("http://", "https://")):
        return OPEN_SHEET[language]
    return PurePath(link).name


def _attention(o, language: str) -> tuple[str, str]:
    """(reason, staff action) for a sheet that needs attention."""
    if o.status != "ok":
        return triage.problem_text(o.problem, language), triage.sheet_action(o.problem, o.message, language)
    gone = re.search(r"the column (.+?) in tab", o.attention)
    columns = gone.group(1) if gone else o.attention
    return (COLUMN_GONE[language].format(columns=columns),
            f"{triage.SHEET_ACTIONS[language]['column']} {columns}")


def students_tab(facts: CohortFacts, outcomes, links: dict[str, str], about) -> tuple[list[list], dict]:
    """One row per student, the most at risk first (jobs/master/triage.py): sheets that
    need attention (could not be read, or a needed column is gone), then high, medium,
    low, LIA secured; within a level the longest silence first. `about`: the master's
    MasterContext (calendar, date, language, triage settings). Returns the rows and each
    row's link (row index -> link) for the Sheet column."""
    calendar, now, language = about.calendar, about.now, about.language
    settings = {**triage.DEFAULTS, **(getattr(about, "triage", None) or {})}
    target = calendar.quality_target
    rows = []
    for o in outcomes:
        f = facts.of(o.id)
        last = facts.last_contact.get(o.id)
        silent = None if last is None or now is None else (now - last.date()).days
        if getattr(o, "attention", "") or o.status != "ok":
            level, score = "attention", 0
            why, message = _attention(o, language)
            risk = NEEDS_ATTENTION[language]
        else:
            verdict = triage.judge(triage.Student(
                leads=f["leads"], quality=f["quality"], contacted=f["contacted"], processed=f["processed"],
                dialogue=f["dialogue"], meetings=f["meetings"], offers=f["offers"], lia=f["lia"],
                overdue=facts.overdue[o.id], lost=f["lost_draw"], pace="PR02" in facts.codes.get(o.id, ()),
                silent_days=silent), now, calendar, settings)
            level, score = verdict.level, verdict.score
            risk = RISK_WORDS[language][level]
            why, message = triage.reason_text(verdict, language), triage.action_text(verdict, language)
        status = (NEEDS_ATTENTION[language] if getattr(o, "attention", "")
                  else STATUS_WORDS[language].get(o.status, o.status))
        never = 10**6       # never contacted: the longest silence of all
        key = (triage.LEVEL_ORDER[level], -(never if silent is None else silent), -score, o.name)
        rows.append((key, links.get(o.id, ""), [
            o.name, risk, why, message, sheet_cell(links.get(o.id, ""), language), status,
            f["leads"], f["quality"], target, f["warm"], f["contacted"], f["processed"], f["dialogue"],
            f["meetings"], f["offers"], "✔" if f["lia"] else "", facts.overdue[o.id], f["lost_draw"],
            facts.flagged[o.id], "" if last is None else last.strftime("%Y-%m-%d"),
            "" if silent is None else silent]))
    rows.sort(key=lambda r: r[0])
    links_by_row = {i: link for i, (_, link, _) in enumerate(rows, 1) if link}
    return [HEADERS[language]["students"]] + [r[2] for r in rows], links_by_row


def companies_tab(cohort: pd.DataFrame, cap: int, language: str, draws: dict) -> list[list]:
    """Companies more than one student holds; the lottery column says whether lots were drawn."""
    rows = [HEADERS[language]["companies"]]
    if not len(cohort):
        return rows
    words = STAGE_WORDS[language]
    held = cohort[cohort["company_key"].notna()]
    groups = held.groupby("company_key")
    summary = pd.DataFrame({"name": groups["company"].first(),
                            "students": groups["student"].nunique(),
                            "stages": groups["stage"].agg(lambda s: ", ".join(
                                words.get(x, x) for x in sorted(set(s), key=_stage_order)))})
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


def _stage_order(stage: str) -> int:
    """The funnel's order (new first, LIA last), not the alphabet's."""
    order = tuple(STAGE_WORDS["en"])
    return order.index(stage) if stage in order else len(order)


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
