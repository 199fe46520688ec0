"""Whom staff should call first: each student's risk of missing the LIA, from the
signals that predict it at this point of the year (DOMAIN.md D4-D8 and the sprints),
the one or two that weigh most for that student as the reason, with figures, and a
suggested staff action.

A signal is (key, weight, figures). Weights are points on one scale so that signals
compare across students: an empty CRM (100) outweighs everything; a deadline passed
without an LIA comes next; silence, overdue follow-ups, no dialogue, a low share
processed, the quality gap and draws lost weigh by how far they are from fine. The
thresholds are settings (`[triage]` in sheetsync.toml, `sheetsync rules` lists them).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sheetsync.config import _SCHEMA

# the [triage] table's defaults: sheetsync/config.py's schema holds them
DEFAULTS = {key: default for key, (_, default) in _SCHEMA["triage"].items()}
EXPLAINED = {
    "silent_days": "days without a logged contact before silence is a risk",
    "overdue_followups": "overdue follow-ups before they are a risk",
    "processed_share": "share of leads processed (D6) expected once reach-out starts (May)",
    "lost_draws": "leads lost in the draw and not replaced before they are a risk",
    "soon_days": "days left to the next deadline, without a meeting or offer, that are a risk",
    "high": "risk points from which a student is 'high' (an empty CRM is 100)",
    "medium": "risk points from which a student is 'medium'",
}

REASONS = {
    "sv": {"empty": "tomt CRM", "placement": "praktiken har börjat utan LIA",
           "hard": "hård deadline {date} passerad utan LIA", "soft": "mjuk deadline {date} passerad utan dialog",
           "never": "{leads} leads men ingen kontakt loggad", "silent": "ingen kontakt på {days} dagar",
           "overdue": "{n} försenade uppföljningar", "no_dialogue": "{contacted} kontaktade, ingen i dialog",
           "processed": "{share} % bearbetade", "quality_passed": "{quality} av {target} kvalitetsleads, målet var {date}",
           "quality_pace": "{quality} av {target} kvalitetsleads till {date}, under takten",
           "lost": "{n} leads förlorade i lottningen, inte ersatta",
           "soon": "inget möte, {left} till mjuk deadline",
           "soon_hard": "inget möte, {left} till hård deadline",
           "lia": "LIA säkrad", "ahead": "före: {quality} kvalitetsleads, {dialogue} i dialog", "ok": "i fas"},
    "en": {"empty": "empty CRM", "placement": "placement started without an LIA",
           "hard": "hard deadline {date} passed without an LIA", "soft": "soft deadline {date} passed without a dialogue",
           "never": "{leads} leads but no contact logged", "silent": "no contact for {days} days",
           "overdue": "{n} overdue follow-ups", "no_dialogue": "{contacted} contacted, none in dialogue",
           "processed": "{share} % processed", "quality_passed": "{quality} of {target} quality leads, the target was {date}",
           "quality_pace": "{quality} of {target} quality leads by {date}, behind the pace",
           "lost": "{n} leads lost in the draw, not replaced",
           "soon": "no meeting, {left} to the soft deadline",
           "soon_hard": "no meeting, {left} to the hard deadline",
           "lia": "LIA secured", "ahead": "ahead: {quality} quality leads, {dialogue} in dialogue", "ok": "on track"},
}
# what staff do about the signal that weighs most
ACTIONS = {
    "sv": {"empty": "Ring studenten: tomt CRM {when}", "placement": "Placera studenten (D8)",
           "hard": "Planera placering: ingen LIA vid hård deadline",
           "soft": "Boka avstämning: mjuk deadline passerad utan dialog",
           "never": "Ring studenten: {leads} leads men ingen kontakt loggad",
           "silent": "Ring studenten: ingen kontakt på {days} dagar",
           "overdue": "Påminn om uppföljningarna: {n} försenade",
           "no_dialogue": "Coacha samtalen: {contacted} kontaktade, ingen i dialog",
           "processed": "Hjälp studenten att prioritera: {share} % bearbetade",
           "quality_passed": "Boka en researchtimme: {gap} kvalitetsleads kvar till {target}",
           "quality_pace": "Påminn om målet: {gap} kvalitetsleads kvar till {date}",
           "lost": "Påminn om att ersätta {n} leads förlorade i lottningen",
           "soon": "Boka avstämning: inget möte, {left} till mjuk deadline",
           "soon_hard": "Boka avstämning: inget möte, {left} till hård deadline",
           "lia": "Kontrollera att LIA är registrerad", "ahead": "", "ok": "",
           "before_soft": "{left} före mjuk deadline", "after_soft": "efter mjuk deadline"},
    "en": {"empty": "Call the student: empty CRM {when}", "placement": "Place the student (D8)",
           "hard": "Plan a placement: no LIA at the hard deadline",
           "soft": "Book a check-in: soft deadline passed without a dialogue",
           "never": "Call the student: {leads} leads but no contact logged",
           "silent": "Call the student: no contact for {days} days",
           "overdue": "Remind them of the follow-ups: {n} overdue",
           "no_dialogue": "Coach the calls: {contacted} contacted, none in dialogue",
           "processed": "Help the student prioritise: {share} % processed",
           "quality_passed": "Book a research session: {gap} quality leads short of {target}",
           "quality_pace": "Remind them of the target: {gap} quality leads to go by {date}",
           "lost": "Remind them to replace {n} leads lost in the draw",
           "soon": "Book a check-in: no meeting, {left} to the soft deadline",
           "soon_hard": "Book a check-in: no meeting, {left} to the hard deadline",
           "lia": "Check that the LIA is registered", "ahead": "", "ok": "",
           "before_soft": "{left} before the soft deadline", "after_soft": "after the soft deadline"},
}
# an unreadable sheet: what staff ask the student to do, by the problem's kind (jobs/night/outcome.py PROBLEMS)
SHEET_ACTIONS = {
    "sv": {"not_found": "Be studenten om en ny länk: bladet finns inte", "not_shared":
           "Be studenten dela bladet med tjänsten igen", "no_tab": "Be studenten återställa rubrikraden",
           "busy": "Be studenten stänga filen", "changing": "Inget: läses igen nästa natt",
           "quota": "Inget: Googles kvot tog slut, läses nästa natt",
           "credentials": "Kontrollera tjänstens nyckel", "unreadable": "Öppna bladet och se felet",
           "internal": "Kontakta den som driftar tjänsten", "stopped": "Inget: läses nästa natt",
           "column": "Be studenten återställa kolumnen"},
    "en": {"not_found": "Ask the student for a new link: the sheet is gone", "not_shared":
           "Ask the student to share the sheet with the service again", "no_tab":
           "Ask the student to restore the header row", "busy": "Ask the student to close the file",
           "changing": "Nothing: read again next night", "quota": "Nothing: Google's quota ran out, read next night",
           "credentials": "Check the service's key", "unreadable": "Open the sheet and see the error",
           "internal": "Contact whoever runs the service", "stopped": "Nothing: read next night",
           "column": "Ask the student to restore the column"},
}
# a sheet's trouble in words (the kinds of jobs/night/outcome.py PROBLEMS), for the reason and the Runs tab
PROBLEM_WORDS = {
    "sv": {"not_found": "bladet finns inte", "not_shared": "bladet är inte delat med tjänsten",
           "no_tab": "ingen flik med företag och status", "busy": "filen var öppen i ett annat program",
           "changing": "bladet ändrades under körningen", "quota": "Googles kvot tog slut",
           "credentials": "tjänstens nyckel fungerar inte", "unreadable": "bladet kunde inte läsas",
           "internal": "ett fel i tjänsten", "stopped": "körningen stoppades före bladet"},
    "en": {"not_found": "the sheet does not exist", "not_shared": "the sheet is not shared with the service",
           "no_tab": "no tab with companies and a status", "busy": "the file was open in another program",
           "changing": "the sheet changed during the run", "quota": "Google's quota ran out",
           "credentials": "the service's key does not work", "unreadable": "the sheet could not be read",
           "internal": "a fault in the service", "stopped": "the run stopped before the sheet"},
}
# kinds whose words say it all; for the others staff need the error itself (it names the cell)
SELF_EXPLAINED = ("not_found", "not_shared", "no_tab", "busy", "changing", "quota", "stopped")
LEVEL_ORDER = {"attention": 0, "high": 1, "medium": 2, "low": 3, "-": 4}


@dataclass
class Student:
    """What the triage knows of one student (from the master's CohortFacts)."""
    leads: int = 0
    quality: int = 0
    contacted: int = 0
    processed: int = 0
    dialogue: int = 0           # leads in dialogue, meeting or offer
    meetings: int = 0
    offers: int = 0
    lia: int = 0
    overdue: int = 0            # FU01 findings
    lost: int = 0               # leads lost in the draw
    pace: bool = False          # PR02: behind the pace to the target
    silent_days: int | None = None   # None: no contact ever logged


@dataclass
class Verdict:
    level: str                   # attention / high / medium / low / -
    score: int
    reasons: list = field(default_factory=list)     # (key, figures), most weight first
    action: tuple = ("ok", {})


def _date(day: dt.date) -> str:
    return f"{day.day}/{day.month}"


def signals(s: Student, now: dt.date, calendar, settings: dict) -> list[tuple[str, float, dict]]:
    """Every signal that counts against this student tonight, weighed."""
    out = []
    target = calendar.quality_target
    reach_out = now > calendar.research_deadline          # April's research is over
    if s.leads == 0:
        out.append(("empty", 100, {}))
    if now >= calendar.placement_start:
        out.append(("placement", 95, {}))
    elif now > calendar.hard_deadline:
        out.append(("hard", 85, {"date": _date(calendar.hard_deadline)}))
    elif now > calendar.soft_deadline and not s.dialogue:
        out.append(("soft", 70, {"date": _date(calendar.soft_deadline)}))
    if s.leads and s.silent_days is None:
        out.append(("never", 60 if reach_out else 15, {"leads": s.leads}))
    elif s.silent_days is not None and s.silent_days >= settings["silent_days"]:
        out.append(("silent", min(80, 30 + 2 * (s.silent_days - settings["silent_days"])),
                    {"days": s.silent_days}))
    if s.overdue >= settings["overdue_followups"]:
        out.append(("overdue", min(70, 20 + 6 * s.overdue), {"n": s.overdue}))
    soft_said = any(key == "soft" for key, _, _ in out)      # "passed without a dialogue" says it
    if reach_out and s.contacted and not s.dialogue and not soft_said:
        out.append(("no_dialogue", 35 + min(15, s.contacted), {"contacted": s.contacted}))
    share = s.processed / s.leads if s.leads else 1.0
    if reach_out and s.leads >= 5 and share < settings["processed_share"]:
        low = (settings["processed_share"] - share) / settings["processed_share"]
        out.append(("processed", round(15 + 25 * low), {"share": round(100 * share)}))
    gap = max(0, target - s.quality)
    if s.leads and gap:
        figures = {"quality": s.quality, "target": target, "gap": gap,
                   "date": _date(calendar.research_deadline)}
        if now > calendar.research_deadline:
            out.append(("quality_passed", round(10 + 40 * gap / target), figures))
        elif s.pace:
            out.append(("quality_pace", round(10 + 20 * gap / target), figures))
    if gap and s.lost >= settings["lost_draws"]:
        out.append(("lost", min(30, 10 + 3 * s.lost), {"n": s.lost}))
    # no meeting yet weighs more the nearer the next deadline (soft, then hard)
    key, deadline = ("soon", calendar.soft_deadline) if now <= calendar.soft_deadline else (
        "soon_hard", calendar.hard_deadline)
    to_go = (deadline - now).days
    if reach_out and 0 <= to_go <= settings["soon_days"] and not (s.meetings or s.offers):
        out.append((key, round(20 + 40 * (1 - to_go / settings["soon_days"])),
                    {"days": to_go}))
    return out


def judge(s: Student, now: dt.date, calendar, settings: dict) -> Verdict:
    """The student's level, score, reasons (the two that weigh most) and staff action."""
    if s.lia:
        return Verdict("-", 0, [("lia", {})], ("lia", {}))
    found = sorted(signals(s, now, calendar, settings), key=lambda x: -x[1])
    if not found:
        ahead = s.quality >= calendar.quality_target and s.meetings + s.offers >= 2
        key = "ahead" if ahead else "ok"
        figures = {"quality": s.quality, "dialogue": s.dialogue}
        return Verdict("low", 0, [(key, figures)], (key, figures))
    # the one that weighs most, half the next and a quarter the third
    score = round(found[0][1] + sum(w / 2 ** i for i, (_, w, _) in enumerate(found[1:3], 1)))
    level = "high" if score >= settings["high"] else "medium" if score >= settings["medium"] else "low"
    key, _, figures = found[0]
    if key == "empty":
        figures = {"to_soft": (calendar.soft_deadline - now).days}
    # a low risk is for staff to know, not to act on
    action = (key, figures) if level != "low" else ("ok", {})
    return Verdict(level, score, [(k, f) for k, _, f in found[:2]], action)


def reason_text(verdict: Verdict, language: str) -> str:
    return "; ".join(REASONS[language][key].format(**_worded(figures, language))
                     for key, figures in verdict.reasons)


TIME_LEFT = {"sv": ("{n} dag", "{n} dagar", "{n} veckor"), "en": ("{n} day", "{n} days", "{n} weeks")}


def _worded(figures: dict, language: str) -> dict:
    """Figures as a sentence wants them: the days left in weeks from two weeks on."""
    if "days" not in figures:
        return figures
    days = figures["days"]
    one, many, weeks = TIME_LEFT[language]
    left = weeks.format(n=days // 7) if days >= 14 else (one if days == 1 else many).format(n=days)
    return {**figures, "left": left}


def action_text(verdict: Verdict, language: str) -> str:
    words = ACTIONS[language]
    key, figures = verdict.action
    if key == "empty":
        days = figures.get("to_soft", 0)
        if days >= 14:
            when = words["before_soft"].format(left=TIME_LEFT[language][2].format(n=_spelled(days // 7, language)))
        elif days >= 0:
            when = words["before_soft"].format(left=_worded({"days": days}, language)["left"])
        else:
            when = words["after_soft"]
        return words["empty"].format(when=when)
    return words[key].format(**_worded(figures, language))


NUMBERS = {"sv": ("noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio", "elva", "tolv"),
           "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                  "eleven", "twelve")}


def _spelled(n: int, language: str) -> str:
    """Small numbers in words, as one writes them in a sentence ('sex veckor')."""
    return NUMBERS[language][n] if 0 <= n < len(NUMBERS[language]) else str(n)


def problem_text(problem: str, language: str) -> str:
    words = PROBLEM_WORDS[language]
    return words.get(problem or "unreadable", words["unreadable"])


def sheet_action(problem: str, message: str, language: str) -> str:
    """For a sheet that could not be read: what to ask the student, in the cohort's
    language; the error itself (English, naming sheet and cell) only where the words
    cannot say it."""
    words = SHEET_ACTIONS[language]
    action = words.get(problem or "unreadable", words["unreadable"])
    return action if problem in SELF_EXPLAINED or not message else f"{action}: {message}"
