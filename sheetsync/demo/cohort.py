"""Generating a seeded demo cohort, with the truth of what was planted in it.

Every student gets a layout of their own (language, header spellings, column order,
a title row or not, blank rows, date and phone styles) and a set of planted problems,
one of each kind the rules look for. The truth is kept per row so tests can check
that every planted problem is flagged and that clean rows carry no flag.
"""
from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook as XlWorkbook

from sheetsync.demo import vocabulary as V
from sheetsync.normalize.text import fold

POPULAR = 6            # companies that many students want (D1 cap)
POPULAR_HOLDERS = 5    # students holding a popular company, on average (4 to 6)


@dataclass
class LeadTruth:
    row: int                          # 1-based sheet row
    company: str | None
    stage: str
    attempts: int
    expect: set[str] = field(default_factory=set)   # rule codes this row must carry
    popular: bool = False
    channel: str | None = None        # phone / email / linkedin, when the sheet has the column
    category: str | None = None


@dataclass
class DemoStudent:
    id: str
    name: str
    language: str
    rows: list[list]
    leads: list[LeadTruth]


@dataclass
class DemoCohort:
    seed: int
    today: dt.date
    students: list[DemoStudent]
    popular: list[str]


def demo_date(today: dt.date) -> dt.date:
    """The date the demo is judged by: today inside the hunt (April-October), else 12 May."""
    if dt.date(today.year, 4, 1) <= today <= dt.date(today.year, 10, 31):
        return today
    return dt.date(today.year if today.month >= 11 else today.year - 1, 5, 12)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", fold(name)).strip("-")


def _phone(rng: random.Random) -> str:
    digits = f"07{rng.choice('0236')}{rng.randrange(10**7):07d}"
    style = rng.randrange(5)
    if style == 0:
        return f"{digits[:3]}-{digits[3:6]} {digits[6:8]} {digits[8:]}"
    if style == 1:
        return digits
    if style == 2:
        return f"+46 {digits[1:3]} {digits[3:6]} {digits[6:8]} {digits[8:]}"
    if style == 3:
        return f"{digits[:3]} {digits[3:6]} {digits[6:8]} {digits[8:]} (mobil)"
    return int(digits)                      # typed into a number cell: the 0 is lost


def _date(rng: random.Random, day: dt.date, language: str):
    style = rng.randrange(5)
    if style == 0:
        return day.isoformat()
    if style == 1:
        return dt.datetime(day.year, day.month, day.day)      # a real date cell
    if language == "en":
        return day.strftime("%B ") + str(day.day) if style == 2 else f"{day.day} {day.strftime('%b')}"
    months = ("jan", "feb", "mars", "april", "maj", "juni", "juli", "aug", "sep", "okt", "nov", "dec")
    return (f"{day.day}/{day.month}", f"{day.day} {months[day.month - 1]}",
            day.strftime("%d.%m.%Y"))[style - 2]


def generate_cohort(students: int = 30, seed: int = 1, today: dt.date | None = None) -> DemoCohort:
    today = today or demo_date(dt.date.today())
    rng = random.Random(seed)
    names = []
    for i in range(students):
        names.append(f"{V.FIRST[i % len(V.FIRST)]} {V.LAST[(i * 7 + seed) % len(V.LAST)]}"
                     + (f" {i // len(V.FIRST) + 1}" if i >= len(V.FIRST) else ""))
    pool = list(V.COMPANIES)
    rng.shuffle(pool)
    popular, pool = pool[:POPULAR], pool[POPULAR:]
    holders = {c: set(rng.sample(range(students), min(POPULAR_HOLDERS + k % 3 - 1, students)))
               for k, c in enumerate(popular)}          # 4, 5 or 6 students want each
    # the last of ten or more has not started: the sheet and the master must say so first
    out = [_student(i, name, random.Random(seed * 100_003 + i), pool,
                    [c for c in popular if i in holders[c]], today,
                    "not started" if i == students - 1 and students >= 10 else None)
           for i, name in enumerate(names)]
    return DemoCohort(seed, today, out, popular)


# how far students have come, as in a real cohort: (share, companies researched, stage
# weights new/attempted/in_dialogue/meeting/offer/yes/no, overdue follow-ups, quiet leads)
PROFILES = {
    "ahead": (0.2, (50, 70), (15, 20, 25, 12, 6, 4, 18), (0, 1), (0, 1)),
    "on track": (0.55, (35, 55), (30, 25, 15, 7, 3, 2, 15), (0, 2), (0, 2)),
    "stuck": (0.25, (10, 25), (60, 25, 5, 2, 0, 0, 8), (1, 4), (1, 3)),
    "not started": (0.0, (0, 0), (1, 0, 0, 0, 0, 0, 0), (0, 0), (0, 0)),     # only as told
}


def _profile(rng: random.Random) -> str:
    return rng.choices(list(PROFILES), [p[0] for p in PROFILES.values()])[0]


def _student(i: int, name: str, rng: random.Random, pool: list[str], popular: list[str],
             today: dt.date, profile_name: str | None = None) -> DemoStudent:
    chosen = _profile(rng)
    profile = PROFILES[profile_name or ("on track" if i == 0 else chosen)]   # the first: the README's example
    _, (least, most), weights, overdue, quiet = profile
    lang = "sv" if rng.random() < 0.7 else "en"
    always = ("category", "follow_up", "notes", "last_contact")   # planted problems live there
    fields = list(V.CORE) + list(always) + rng.sample(
        [f for f in V.OPTIONAL if f not in always], rng.randint(1, 4))
    rng.shuffle(fields)
    fields.remove("company")
    fields.insert(rng.randint(0, 1), "company")
    header = [rng.choice(V.HEADERS[lang][f]) for f in fields]
    rows: list[list] = []
    if rng.random() < 0.4:
        rows += [[rng.choice(V.TITLES[lang]).format(year=today.year)], []]
    rows.append(header)
    companies = rng.sample(pool, rng.randint(least, most)) + (popular if most else [])
    rng.shuffle(companies)
    planted = ["dup", "three", "speculation", "typo"] + ["overdue"] * rng.randint(*overdue) + \
        ["quiet"] * rng.randint(*quiet) + [
        p for p, chance in (("bad_phone", 0.5), ("no_contact", 0.4), ("unknown_status", 0.3),
                            ("no_company", 0.3)) if rng.random() < chance]
    own = [k for k, c in enumerate(companies) if c not in popular]   # popular rows stay clean
    planted = planted[:len(own)]
    slots = rng.sample(own, k=len(planted))
    plan = dict(zip(slots, planted))
    leads: list[LeadTruth] = []
    first_row: dict[str, int] = {}
    for k, company in enumerate(companies):
        if rng.random() < 0.08:
            rows.append([])                              # a blank row left in the middle
        kind = plan.get(k)
        lead = _lead(rng, lang, company, kind, today, company in popular, weights)
        if kind in ("dup", "typo") and first_row:
            original = rng.choice(sorted(first_row))
            lead["company"] = _variant(original) if kind == "dup" else _typo(original)
            truth_expect = {"DD01"} if kind == "dup" else {"DD02"}
        else:
            truth_expect = set()
        rows.append([lead.get(f, "") for f in fields])
        row = len(rows)
        if lead["company"] and kind not in ("dup", "typo") and company not in popular:
            first_row.setdefault(lead["company"], row)
        truth_expect |= {"dup": set(), "typo": set(), "quiet": {"FU04"}, "three": {"FU02"}, "overdue": {"FU01"},
                         "speculation": {"CL05"}, "spaces": {"CL06"}, "bad_phone": {"CL03"}, "no_contact": {"CL02"},
                         "unknown_status": {"CL04"}, "no_company": {"CL01"}, None: set()}[kind]
        channel = (CHANNEL_KEYS[V.CHANNELS[lang].index(lead["channel"])]
                   if lead["channel"] and "channel" in fields else None)
        leads.append(LeadTruth(row, lead["company"] or None, lead["_stage"], lead["_attempts"],
                               truth_expect, company in popular, channel,
                               lead["category"] if "category" in fields else None))
    return DemoStudent(_slug(name), name, lang, rows, leads)


def _typo(company: str) -> str:
    """The same firm misspelt: a doubled letter, as people type in a hurry."""
    word = company.split()[0]
    i = max(i for i, ch in enumerate(word) if ch.isalpha() and ch.lower() not in "åäö")
    return company.replace(word, word[:i] + word[i] + word[i:], 1)


def _variant(company: str) -> str:
    """The same firm written another way: legal form moved or added, or case changed."""
    if company.endswith(" AB"):
        return f"AB {company[:-3]}"
    if " " not in company:
        return f"{company} AB"
    return company.upper()


def _lead(rng: random.Random, lang: str, company: str, kind: str | None, today: dt.date,
          popular: bool, weights=(30, 25, 15, 7, 3, 2, 15)) -> dict:
    if popular:
        stage = "new"
    elif kind == "three":
        stage = "attempted"
    elif kind == "overdue":
        stage = "in_dialogue"
    elif kind == "quiet":
        stage = "attempted"
    else:
        stage = rng.choices(("new", "attempted", "in_dialogue", "meeting", "offer", "yes", "no"),
                            weights)[0]
    attempts = 3 if kind == "three" else (rng.randint(1, 2) if stage == "attempted" else 0)
    status = rng.choice(V.STATUS[lang][stage]).format(n=attempts)
    contact = rng.choice(V.CONTACTS)
    domain = _slug(company).replace("-", "") + ".se"
    lead = {"company": company, "contact_name": contact, "phone": _phone(rng),
            "email": f"{contact.split()[0].lower()}@{domain}", "status_raw": status,
            "category": rng.choice(V.CATEGORIES), "city": rng.choice(V.CITIES),
            "notes": rng.choice(V.NOTES[lang]), "temperature": rng.choice(V.TEMPERATURE[lang]),
            "channel": _channel(rng, lang, stage),
            "source": rng.choice(V.SOURCES), "_stage": stage, "_attempts": attempts}
    if stage != "new":       # clean leads were touched within the last fortnight
        lead["last_contact"] = _date(rng, today - dt.timedelta(days=rng.randint(1, 12)), lang)
    if kind == "quiet":
        lead["last_contact"] = _date(rng, today - dt.timedelta(days=rng.randint(16, 30)), lang)
    if stage in ("in_dialogue", "meeting", "offer"):
        lead["follow_up"] = _date(rng, today + dt.timedelta(days=rng.randint(1, 20)), lang)
    if kind == "overdue":
        lead["follow_up"] = _date(rng, today - dt.timedelta(days=rng.randint(2, 10)), lang)
    if kind == "speculation":
        lead["notes"] = rng.choice(V.SPECULATION[lang])
    if kind == "bad_phone":
        lead["phone"] = "ring växeln" if lang == "sv" else "call reception"
    if kind == "no_contact":
        lead.update(contact_name="", phone="", email="")
    if kind == "unknown_status":
        lead["status_raw"], lead["_stage"], lead["_attempts"] = "blå?", "unknown", 0   # no count in it
    if kind == "spaces":
        lead["contact_name"] = f" {contact}  "
    if kind == "no_company":
        lead["company"] = ""
    return lead


# the channel a lead was last reached on; phone gets answers most, e-mail least (D5's
# advice, and what cohorts see), so the demo's cohort insight has something to say
CHANNEL_WEIGHTS = {"answered": (55, 20, 25), "unanswered": (25, 50, 25)}
CHANNEL_KEYS = ("phone", "email", "linkedin")


def _channel(rng: random.Random, lang: str, stage: str) -> str:
    if stage == "new":
        return ""
    weights = CHANNEL_WEIGHTS["unanswered" if stage == "attempted" else "answered"]
    return rng.choices(V.CHANNELS[lang], weights)[0]


def _widths_a_student_would_set(ws, rows: list[list]) -> None:
    """Columns as wide as their text (within 8..40 characters), so a first look at a demo
    workbook shows names, dates and phone numbers rather than '###' and 7.2E+08."""
    from openpyxl.utils import get_column_letter
    width = max((len(r) for r in rows), default=0)
    for c in range(width):
        texts = [str(r[c]) for r in rows if c < len(r) and r[c] != ""]
        longest = max((len(t) if not isinstance(t, (dt.date,)) else 10 for t in texts), default=0)
        ws.column_dimensions[get_column_letter(c + 1)].width = max(8, min(40, longest + 2))


GROUP_EXAMPLE = "career-group.xlsx"


def write_group_example(path: Path, cohort: DemoCohort) -> None:
    """A career group's shared CRM, as `sheetsync distribute --group` reads it: the leads,
    then a column per member headed with their name, an x where they want the lead."""
    members = cohort.students[:5]
    rng = random.Random(f"{cohort.today}:group")
    book = XlWorkbook()
    ws = book.active
    ws.title = "Gruppens leads"
    ws.append(["Företag", "Kontaktperson", "Telefon", "Bransch", "Kommentar"] + [m.name for m in members])
    for i in range(12):
        wants = rng.sample(members, min(rng.choice([1, 2, 3, 4]), len(members)))
        ws.append([f"Gruppföretag {chr(65 + i)} AB", f"Kontakt {chr(65 + i)}", f"070-{100 + i:03d} 12 34",
                   "IT", "Tar emot LIA varje höst. Tror de kanske vill ha fler?" if i % 3 == 0
                   else "Träffade dem på mässan."] + ["x" if m in wants else "" for m in members])
    for col, width in zip("ABCDE", (26, 18, 16, 10, 48)):
        ws.column_dimensions[col].width = width
    book.save(path)


def write_demo(folder: Path, cohort: DemoCohort) -> Path:
    """Write the cohort's workbooks and a sheetsync.toml into `folder`; return the config path."""
    folder = Path(folder)
    students_dir = folder / "students"
    students_dir.mkdir(parents=True, exist_ok=True)
    for s in cohort.students:
        book = XlWorkbook()
        ws = book.active
        ws.title = "CRM" if s.language == "sv" else "Leads"
        for r, row in enumerate(s.rows, 1):
            for c, value in enumerate(row, 1):
                if value != "":
                    ws.cell(row=r, column=c, value=value)
                    if isinstance(value, (dt.date, dt.datetime)):
                        ws.cell(row=r, column=c).number_format = "yyyy-mm-dd"
        _widths_a_student_would_set(ws, s.rows)
        book.save(students_dir / f"{s.id}.xlsx")
    write_group_example(folder / GROUP_EXAMPLE, cohort)
    lines = ["# A demo cohort made by `sheetsync demo`; run it again with:",
             f"#   sheetsync run --config {folder / 'sheetsync.toml'} --now {cohort.today}",
             "[cohort]", 'name = "Demo"', 'language = "sv"', "", "[calendar]",
             f"year = {cohort.today.year}", "", "[backend]", 'kind = "xlsx"',
             'folder = "students"', "", "[master]", 'path = "master.xlsx"', "", "[state]",
             'path = ".sheetsync/state.db"', ""]
    for s in cohort.students:
        lines += ["[[students]]", f'id = "{s.id}"', f'name = "{s.name}"', ""]
    config = folder / "sheetsync.toml"
    config.write_text("\n".join(lines), encoding="utf-8")
    return config
