"""A demo cohort one of whose students has words no one else has (id, name, e-mail, the
names of their contacts), so that a search of raw bytes for them means something; and
that student's roster entry taken out."""
import re

from sheetsync.normalize import read_crm

from sheetsync import load_config
from sheetsync.backends.xlsx import XlsxBackend
from sheetsync.demo import generate_cohort
from sheetsync.demo import vocabulary as V
from sheetsync.normalize.companies import company_key

ID, NAME, EMAIL = "zofia-quarnstrom", "Zofia Quarnstrom", "zofia.qx@student.example"


def cohort_with_a_distinct_student(now):
    """The demo cohort; the student holding most popular companies (so the lottery is at
    stake) is renamed, and every contact of theirs gets a name no one else has."""
    cohort = generate_cohort(students=8, seed=7, today=now)
    chosen = next(s for s in cohort.students if s.id == _at_stake(cohort, now))
    chosen.id, chosen.name = ID, NAME
    contacts = []
    for row in chosen.rows:
        for c, value in enumerate(row):
            if isinstance(value, str) and value.strip() in V.CONTACTS:
                contacts.append(f"Quillon Vexbrandt{chr(65 + len(contacts) % 26)}{len(contacts) // 26}")
                row[c] = contacts[-1]
    assert len(contacts) > 10
    return cohort, contacts


def off_the_roster(config):
    text = config.path.read_text(encoding="utf-8")
    entry = re.search(rf'\[\[students\]\]\nid = "{ID}"\n(?:[a-z]+ = .*\n)*', text)
    config.path.write_text(text.replace(entry.group(0), ""), encoding="utf-8")
    return load_config(config.path)


def lottery_losses(config) -> dict[str, set[str]]:
    """Each student's companies lost in the draw, as their own sheet shows them (LC01)."""
    backend = XlsxBackend(config)
    out = {}
    for s in backend.roster():
        book = backend.read(s)
        reading = read_crm(book, student=s.id, year=config.calendar["year"])
        frame = reading.normalized.frame
        key_of = dict(zip(frame["row"].tolist(), frame["company_key"].tolist()))
        rows = book.tabs[reading.tab].rows
        out[s.id] = {key_of[r] for r, row in enumerate(rows, 1)
                     if any("(LC01)" in text for text in row) and key_of.get(r)}
    return out


def _at_stake(cohort, now) -> str:
    """A student with no LIA yet (a secured LIA ends the hunt's advice, lost draws
    included) who lost a draw for a company that another such student lost too."""
    import pandas as pd
    from sheetsync.engine.context import Calendar
    from sheetsync.engine.run import run_rules
    from sheetsync.normalize import normalize
    frames = [normalize(s.rows, year=now.year, student=s.id, tab="CRM").frame for s in cohort.students]
    found, _ = run_rules(pd.concat(frames, ignore_index=True), now=now, calendar=Calendar.default(now.year))
    hunting = {s.id for s in cohort.students if not any(lead.stage == "yes" for lead in s.leads)}
    lost = {}
    for student, params in zip(found["student"], found["params"]):
        if student in hunting and "company" in params and params.get("cap"):
            lost.setdefault(student, set()).add(company_key(params["company"]))
    held = {s.id: {company_key(lead.company) for lead in s.leads if lead.company} for s in cohort.students}
    return next(sid for sid in sorted(lost) if any(held[sid] & lost[o] for o in lost if o != sid))
