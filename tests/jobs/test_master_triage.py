"""The master's triage on a hand-made cohort, through a real night on workbooks: whom
staff call first, why (the signals that weigh most for that student, with figures) and
what they do (the Meddelande column)."""
import datetime as dt

from openpyxl import Workbook, load_workbook

from jobs.nightly import run_nightly
from sheetsync import load_config

HEADER = ["Företag", "Kontaktperson", "Telefon", "Bransch", "Status", "Senast kontaktad", "Följ upp"]


def leads(prefix, n, status="", last=None, follow_up=None):
    """n quality leads (a company of their own, a contact, a phone and an industry)."""
    return [[f"{prefix} {i} AB", f"Kim {i}", f"070-{100000 + i:06d}", "IT", status, last, follow_up]
            for i in range(n)]


COHORT = {
    # far ahead: the target passed, two meetings, a third processed, active yesterday
    "ada": leads("Ada", 30, "nej tack", "2026-05-11") + leads("Adb", 2, "möte bokat", "2026-05-11")
           + leads("Adc", 24),
    # on track: near the target, a meeting, active two days ago
    "otto": leads("Otto", 14, "nej tack", "2026-05-10") + leads("Ottb", 1, "möte bokat", "2026-05-10")
            + leads("Ottc", 33) + leads("Ottc", 1),                     # the last a duplicate row
    # silent for three weeks
    "sam": leads("Sam", 14, "nej tack", "2026-04-21") + leads("Sab", 1, "möte bokat", "2026-04-21")
           + leads("Sac", 37),
    # six follow-ups overdue, otherwise active
    "fia": leads("Fia", 14, "nej tack", "2026-05-11") + leads("Fib", 1, "möte bokat", "2026-05-11")
           + leads("Fic", 6, "i dialog", "2026-05-11", "2026-05-04") + leads("Fid", 31),
    "emil": [],                                                       # an empty CRM
    "lia": leads("Lia", 3, "nej tack", "2026-05-08") + leads("Lib", 1, "ja, LIA klar!", "2026-05-08"),
}


def cohort_on_disk(tmp_path, language="sv"):
    (tmp_path / "students").mkdir()
    for name, rows in COHORT.items():
        book = Workbook()
        for r in [HEADER] + rows:
            book.active.append(r)
        book.save(tmp_path / "students" / f"{name}.xlsx")
    (tmp_path / "students" / "una.xlsx").write_bytes(b"not a workbook")     # unreadable
    (tmp_path / "sheetsync.toml").write_text(
        f'[cohort]\nlanguage = "{language}"\n[backend]\nkind = "xlsx"\nfolder = "students"\n'
        '[master]\npath = "master.xlsx"\n', encoding="utf-8")
    return load_config(tmp_path / "sheetsync.toml")


def students_tab(tmp_path, tab="Studenter"):
    rows = [[c.value for c in r] for r in load_workbook(tmp_path / "master.xlsx")[tab].iter_rows()]
    return [dict(zip(rows[0], r)) for r in rows[1:]]


def test_the_triage_orders_explains_and_suggests_an_action(tmp_path):
    run_nightly(cohort_on_disk(tmp_path), now=dt.date(2026, 5, 12))
    rows = students_tab(tmp_path)
    assert [r["Student"] for r in rows] == ["una", "emil", "sam", "fia", "otto", "ada", "lia"]
    by = {r["Student"]: r for r in rows}
    assert [by[s]["Risk"] for s in ("una", "emil", "sam", "fia", "otto", "ada", "lia")] == [
        "behöver åtgärd", "hög", "medel", "medel", "låg", "låg", "-"]
    assert by["una"]["Varför"] == "bladet kunde inte läsas"
    assert by["una"]["Meddelande"].startswith("Öppna bladet och se felet: ")
    assert by["emil"]["Varför"].startswith("tomt CRM")
    assert by["emil"]["Meddelande"] == "Ring studenten: tomt CRM sju veckor före mjuk deadline"
    assert by["sam"]["Varför"].startswith("ingen kontakt på 21 dagar")
    assert by["sam"]["Meddelande"] == "Ring studenten: ingen kontakt på 21 dagar"
    assert by["fia"]["Varför"].startswith("6 försenade uppföljningar")
    assert by["fia"]["Meddelande"] == "Påminn om uppföljningarna: 6 försenade"
    assert by["otto"]["Varför"] == "48 av 50 kvalitetsleads, målet var 30/4" and by["otto"]["Meddelande"] in ("", None)
    assert by["ada"]["Varför"] == "före: 56 kvalitetsleads, 2 i dialog" and by["ada"]["Meddelande"] in ("", None)
    assert by["lia"]["Varför"] == "LIA säkrad"
    assert by["lia"]["Meddelande"] == "Kontrollera att LIA är registrerad"
    assert by["sam"]["Dagar utan kontakt"] == 21 and by["emil"]["Dagar utan kontakt"] in ("", None)


def test_the_triage_speaks_english_to_an_english_cohort(tmp_path):
    run_nightly(cohort_on_disk(tmp_path, "en"), now=dt.date(2026, 5, 12))
    by = {r["Student"]: r for r in students_tab(tmp_path, "Students")}
    assert by["emil"]["Message"] == "Call the student: empty CRM seven weeks before the soft deadline"
    assert by["sam"]["Why"].startswith("no contact for 21 days")
    assert by["fia"]["Message"] == "Remind them of the follow-ups: 6 overdue"
    assert by["una"]["Why"] == "the sheet could not be read"


def test_triage_thresholds_are_settings(tmp_path):
    config = cohort_on_disk(tmp_path)
    config.triage.update(silent_days=30, overdue_followups=10)
    run_nightly(config, now=dt.date(2026, 5, 12))
    by = {r["Student"]: r for r in students_tab(tmp_path)}
    assert "ingen kontakt" not in by["sam"]["Varför"] and "försenade" not in by["fia"]["Varför"]


def test_the_feedback_counts_only_leads_the_student_keeps_and_ends_with_an_lia(tmp_path):
    run_nightly(cohort_on_disk(tmp_path), now=dt.date(2026, 5, 12))
    by = {r["Student"]: r["Återkoppling att skicka"] for r in students_tab(tmp_path, "Återkoppling")}
    assert "Alla dina leads är kompletta" in by["otto"]         # a duplicate row is not one to complete
    assert "komplettera de övriga" not in by["otto"]
    assert "LIA" in by["lia"] and "fortsätt researcha" not in by["lia"]


def test_each_signal_names_itself_with_its_figures_at_its_point_of_the_year():
    from jobs.master.triage import DEFAULTS, Student, action_text, judge, reason_text
    from sheetsync.engine.context import Calendar
    calendar = Calendar.default(2026)

    def said(student, day):
        verdict = judge(student, day, calendar, DEFAULTS)
        return verdict.level, reason_text(verdict, "sv"), action_text(verdict, "sv")
    may, august = dt.date(2026, 5, 12), dt.date(2026, 8, 20)
    # contacted twenty, none answered, in May
    assert said(Student(leads=55, quality=52, contacted=20, processed=15, silent_days=2), may)[1] \
        .startswith("20 kontaktade, ingen i dialog")
    # leads but not one contact logged, after the research month
    level, why, action = said(Student(leads=40, quality=40), may)
    assert level == "high" and why.startswith("40 leads men ingen kontakt loggad")
    assert action == "Ring studenten: 40 leads men ingen kontakt loggad"
    # in August, the soft deadline passed without a dialogue, six weeks to the hard one
    level, why, _ = said(Student(leads=60, quality=55, contacted=40, processed=30, silent_days=3), august)
    assert level == "high" and why == "mjuk deadline 30/6 passerad utan dialog; inget möte, 5 veckor till hård deadline"
    # in dialogue in August but no meeting: the hard deadline's weeks are the risk
    level, why, action = said(Student(leads=60, quality=55, contacted=40, processed=30, dialogue=3,
                                      silent_days=3), august)
    assert why == "inget möte, 5 veckor till hård deadline" and action.startswith("Boka avstämning")
    # before the research deadline a short CRM is only a risk behind the pace (PR02)
    april = dt.date(2026, 4, 20)
    assert said(Student(leads=12, quality=10, contacted=2, silent_days=1), april)[0] == "low"
    assert "under takten" in said(Student(leads=12, quality=10, contacted=2, silent_days=1, pace=True), april)[1]
