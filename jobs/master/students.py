"""The master's Students, Companies and (opt-in) Contacts tabs."""
from __future__ import annotations

import pandas as pd

from sheetsync.engine.leads import IN_DIALOGUE, contacted, processed, quality_mask

HEADERS = {
    "sv": {"students": ["Student", "Blad", "Status", "Leads", "Kvalitetsleads", "Mål", "Varma",
                        "Kontaktade", "Bearbetade", "I dialog", "Möten", "Erbjudanden", "LIA",
                        "Försenade uppföljningar", "Flaggor", "Senaste aktivitet", "Risk",
                        "Meddelande"],
           "companies": ["Företag", "Nyckel", "Antal studenter", "Över taket", "Lägen", "Lottning"],
           "contacts": ["Student", "Företag", "Kontaktperson", "Telefon", "E-post"],
           "tabs": {"overview": "Översikt", "students": "Studenter", "companies": "Företag",
                    "feedback": "Återkoppling", "deadlines": "Deadlines", "runs": "Körningar",
                    "contacts": "Kontakter"}},
    "en": {"students": ["Student", "Sheet", "Status", "Leads", "Quality leads", "Target", "Warm",
                        "Contacted", "Processed", "In dialogue", "Meetings", "Offers", "LIA",
                        "Overdue follow-ups", "Flags", "Last activity", "Risk", "Message"],
           "companies": ["Company", "Key", "Students", "Over cap", "Stages", "Lottery"],
           "contacts": ["Student", "Company", "Contact person", "Phone", "E-mail"],
           "tabs": {"overview": "Overview", "students": "Students", "companies": "Companies",
                    "feedback": "Feedback", "deadlines": "Deadlines", "runs": "Runs",
                    "contacts": "Contacts"}},
}


def risk_level(has_lia: bool, leads: pd.DataFrame, codes: set[str]) -> str:
    if has_lia:
        return "-"
    if "PR02" in codes and not leads["stage"].isin(IN_DIALOGUE).any():
        return "high"
    if "PR02" in codes or "PR01" in codes:
        return "medium"
    return "low"


def by_student(cohort: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Each student's leads; a student with none gets an empty frame from `.get`."""
    return dict(tuple(cohort.groupby("student"))) if len(cohort) else {}


def students_tab(cohort: pd.DataFrame, found: pd.DataFrame, outcomes, links: dict[str, str], *,
                 target: int, language: str) -> list[list]:
    rows = [HEADERS[language]["students"]]
    leads_of = by_student(cohort)
    for o in outcomes:
        leads = leads_of.get(o.id, cohort.iloc[0:0])
        mine = found[found["student"] == o.id]
        codes = set(mine["code"])
        has_lia = bool((leads["stage"] == "yes").any())
        last = leads["last_contact"].max() if len(leads) else pd.NaT
        rows.append([o.name, links.get(o.id, ""), o.status, len(leads),
                     int(quality_mask(leads).sum()), target,
                     int((leads["temperature"] == "warm").sum()), int(contacted(leads).sum()),
                     int(processed(leads).sum()), int(leads["stage"].isin(IN_DIALOGUE).sum()),
                     int(leads["stage"].isin(("meeting", "offer")).sum()),
                     int((leads["stage"] == "offer").sum()), "✔" if has_lia else "",
                     int((mine["code"] == "FU01").sum()), int(mine["row"].notna().sum()),
                     "" if pd.isna(last) else last.strftime("%Y-%m-%d"),
                     risk_level(has_lia, leads, codes), o.message])
    return rows


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
        rows.append([r["name"], key, int(r["students"]), "✔" if r["students"] > cap else "",
                     r["stages"], lottery])
    return rows


def contacts_tab(cohort: pd.DataFrame, outcomes, language: str) -> list[list]:
    names = {o.id: o.name for o in outcomes}
    return [HEADERS[language]["contacts"]] + [
        [names.get(r.student, r.student), r.company or "", r.contact_name or "", r.phone or "",
         r.email or ""] for r in cohort.itertuples() if r.contact_name or r.phone or r.email]
