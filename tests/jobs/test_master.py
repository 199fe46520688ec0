"""The staff master: its numbers equal an independent count over the demo's ground truth,
and its tabs and charts exist in both backends."""
from collections import Counter

from openpyxl import load_workbook

from jobs.nightly import run_nightly
from sheetsync.backends.google import GoogleBackend
from sheetsync.demo.google import upload_cohort
from sheetsync.testing import FakeGoogle

ANSWERED = ("in_dialogue", "meeting", "offer", "yes", "no")


def truth_counts(student):
    leads = student.leads
    return {
        "Leads": len(leads),
        "Kontaktade": sum(l.attempts > 0 or l.stage in ANSWERED for l in leads),
        "Bearbetade": sum(l.stage in ("yes", "no") or (l.stage in ("new", "attempted") and l.attempts >= 3)
                          for l in leads),
        "I dialog": sum(l.stage in ("in_dialogue", "meeting", "offer") for l in leads),
        "Möten/intervjuer": sum(l.stage == "meeting" for l in leads),
        "Erbjudanden": sum(l.stage == "offer" for l in leads),
        "LIA": "✔" if any(l.stage == "yes" for l in leads) else "",
        # a secured LIA ends the hunt's advice: no follow-up is overdue any more
        "Försenade uppföljningar": 0 if any(l.stage == "yes" for l in leads) else
        sum("FU01" in l.expect for l in leads),
    }


def table(rows):
    header = rows[0]
    return {r[0]: dict(zip(header, r)) for r in rows[1:]}


def test_master_numbers_equal_an_independent_count_of_the_truth(demo_config, demo_cohort, now):
    run_nightly(demo_config, now=now)
    book = load_workbook(demo_config.resolve("master.xlsx"))
    students = table([[c if c is not None else "" for c in r] for r in book["Studenter"].iter_rows(values_only=True)])
    assert len(students) == len(demo_cohort.students)
    for s in demo_cohort.students:
        row = students[s.name]
        for column, expected in truth_counts(s).items():
            assert row[column] == expected, (s.name, column, row[column], expected)


def test_master_tabs_and_charts_in_a_workbook(demo_config, demo_cohort, now):
    run_nightly(demo_config, now=now)
    run_nightly(demo_config, now=now)
    book = load_workbook(demo_config.resolve("master.xlsx"))
    assert book.sheetnames == ["Översikt", "Studenter", "Företag", "Återkoppling", "Deadlines", "Insikter",
                              "Körningar"]
    assert len(book["Översikt"]._charts) == 3
    progress = book["Översikt"]._charts[1]
    assert [type(c).__name__ for c in [progress] + progress._charts[1:]] == ["BarChart", "LineChart"]
    feedback = list(book["Återkoppling"].iter_rows(min_row=2, values_only=True))
    assert len(feedback) == len(demo_cohort.students) and all("kvalitetsleads" in r[4] or "LIA" in r[4] for r in feedback)
    runs = list(book["Körningar"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in runs] == [1, 2]                     # oldest first; this run included
    deadlines = [r[0] for r in book["Deadlines"].iter_rows(min_row=2, values_only=True)]
    without_lia = {s.name for s in demo_cohort.students if not any(l.stage == "yes" for l in s.leads)}
    assert set(deadlines) == without_lia


def test_master_charts_on_google_are_added_once(tmp_path, demo_cohort, now):
    with FakeGoogle() as google:
        config, sheets, master = upload_cohort(google, demo_cohort, tmp_path)
        for _ in range(2):
            run_nightly(config, now=now, backend=GoogleBackend(config, sleep=lambda s: None))
        charts = [r["addChart"]["chart"] for r in google.books[master].requests if "addChart" in r]
        assert [c["spec"]["basicChart"]["chartType"] for c in charts] == ["COLUMN", "COMBO", "LINE"]
        progress = charts[1]["spec"]["basicChart"]["series"]
        assert [s["type"] for s in progress] == ["COLUMN", "LINE"]      # the target is a line
        titles = {s.sheet_id: s.title for s in google.books[master].sheets}
        sources = {titles[c["spec"]["basicChart"]["series"][0]["series"]["sourceRange"]["sources"][0]["sheetId"]]
                   for c in charts}
        assert sources == {"Översikt", "Studenter", "Körningar"}
        assert google.get_values(master, "Översikt")[3] == ["Leads", str(sum(len(s.leads) for s in demo_cohort.students))]


def test_the_contacts_tab_lists_only_leads_with_a_contact_and_only_text():
    from types import SimpleNamespace

    from jobs.master.students import contacts_tab
    from sheetsync.normalize import normalize
    frame = normalize([["Företag", "Kontaktperson", "Telefon", "E-post"],
                       ["Volvo AB", "", "070-123 45 67", ""], ["Saab AB", "Eva Ek", "", ""],
                       ["Scania AB", "", "", ""]], year=2026, student="s", tab="CRM").frame
    rows = contacts_tab(frame, [SimpleNamespace(id="s", name="Sara")], "en")
    assert rows[1:] == [["Sara", "Volvo AB", "", "+46701234567", ""], ["Sara", "Saab AB", "Eva Ek", "", ""]]


RISK_ORDER = ["behöver åtgärd", "hög", "medel", "låg", "-"]


def test_students_are_sorted_by_risk_with_a_reason_and_an_unreadable_sheet_needs_attention(demo_config, now):
    from sheetsync.backends.xlsx import XlsxBackend
    student = XlsxBackend(demo_config).roster()[-1]
    XlsxBackend(demo_config).path(student).write_bytes(b"not a workbook")
    run_nightly(demo_config, now=now)
    rows = [[c.value for c in r] for r in load_workbook(demo_config.resolve("master.xlsx"))["Studenter"].iter_rows()]
    header, body = rows[0], rows[1:]
    risk, why = header.index("Risk"), header.index("Varför")
    levels = [r[risk] for r in body]
    assert all(level in RISK_ORDER for level in levels)                # every student has one, in Swedish
    assert levels == sorted(levels, key=RISK_ORDER.index)              # the most at risk first
    assert body[0][0] == student.name and levels[0] == "behöver åtgärd"
    assert body[0][why] == "bladet kunde inte läsas"
    assert all(r[why] for r in body)


def test_risk_comes_from_the_calendar_silence_and_volume():
    import datetime as dt

    from jobs.master.triage import DEFAULTS, Student, judge, reason_text
    from sheetsync.engine.context import Calendar
    calendar = Calendar.default(2026)
    # no LIA on the October placement list, 18 of 50 leads, silent since May
    verdict = judge(Student(leads=30, quality=18, contacted=20, processed=10, silent_days=150),
                    dt.date(2026, 10, 5), calendar, DEFAULTS)
    assert verdict.level == "high"
    assert reason_text(verdict, "en") == "placement started without an LIA; no contact for 150 days"
    verdict = judge(Student(leads=60, quality=52, contacted=30, processed=20, dialogue=2, meetings=1,
                            silent_days=3), dt.date(2026, 5, 12), calendar, DEFAULTS)
    assert verdict.level == "low" and reason_text(verdict, "en") == "on track"
    assert judge(Student(leads=3, lia=1), dt.date(2026, 10, 5), calendar, DEFAULTS).level == "-"


def test_quality_leads_count_each_company_once_in_summary_and_master(tmp_path, now):
    from openpyxl import Workbook

    from sheetsync import load_config
    rows = [["Företag", "Kontaktperson", "Bransch", "Status"],
            ["Volvo AB", "Anna", "Industri", "ringt 1 ggr"], ["Volvo AB", "Bo", "Industri", ""],
            ["volvo ab", "Cia", "Industri", ""], ["Saab AB", "Dan", "Försvar", ""],
            ["Ikea", "", "Handel", ""]]                     # no contact path: not a quality lead
    (tmp_path / "students").mkdir()
    book = Workbook()
    for r in rows:
        book.active.append(r)
    book.save(tmp_path / "students" / "anna.xlsx")
    (tmp_path / "sheetsync.toml").write_text('[backend]\nkind = "xlsx"\nfolder = "students"\n'
                                             '[master]\npath = "master.xlsx"\n', encoding="utf-8")
    config = load_config(tmp_path / "sheetsync.toml")
    run_nightly(config, now=now)
    expected = len({r[0].lower() for r in rows[1:] if r[1]})     # counted by hand: volvo, saab
    summary = {r[0]: r[1] for r in load_workbook(tmp_path / "students" / "anna.xlsx")["sheetsync"]
               .iter_rows(values_only=True) if r[0]}
    assert summary["Kvalitetsleads (mål 50)"] == expected == 2
    master = table([[c.value for c in r] for r in load_workbook(tmp_path / "master.xlsx")["Studenter"].iter_rows()])
    assert master["anna"]["Kvalitetsleads"] == expected


def test_students_rows_are_coloured_by_risk_on_both_backends(demo_config, demo_cohort, now, tmp_path):
    run_nightly(demo_config, now=now)
    ws = load_workbook(demo_config.resolve("master.xlsx"))["Studenter"]
    rules = [(r.formula[0], r.dxf.fill.fgColor.rgb) for cf in ws.conditional_formatting for r in cf.rules]
    risk = next(c.column_letter for c in ws[1] if c.value == "Risk")
    assert (f'${risk}2="hög"', "00F5CCCC") in rules and (f'${risk}2="behöver åtgärd"', "00F5CCCC") in rules
    assert any(f.endswith('"medel"') for f, _ in rules) and any(f.endswith('"-"') for f, _ in rules)
    with FakeGoogle() as google:
        config, sheets, master = upload_cohort(google, demo_cohort, tmp_path / "g")
        for _ in range(2):
            run_nightly(config, now=now, backend=GoogleBackend(config, sleep=lambda s: None))
        students = google.books[master].sheet("Studenter").sheet_id
        added = [r for r in google.books[master].requests if "addConditionalFormatRule" in r
                 and r["addConditionalFormatRule"]["rule"]["ranges"][0]["sheetId"] == students]
        assert len(added) == 4                                     # once, not every night


def test_quality_leads_exclude_duplicates_and_companies_lost_in_the_draw(tmp_path, now):
    """Five students hold Volvo and Saab (cap 3, nobody has called): two lose each in the
    draw, and for them that company no longer counts, in the summary, the master and PR01 alike. The
    expected numbers are counted from each sheet by hand, the losers read off its flags."""
    from openpyxl import Workbook

    from sheetsync import load_config
    (tmp_path / "students").mkdir()
    sheets = {}
    for i, name in enumerate(["anna", "bo", "cia", "dan", "eva"]):
        rows = [["Företag", "Kontaktperson", "Bransch", "Status"],
                ["Volvo AB", "Kim", "Industri", ""], ["Volvo AB", "Kim", "Industri", ""],
                [f"Firma {i} AB", "Lo", "IT", ""], ["Saab AB", "Mo", "Försvar", ""],
                ["Ikea", "", "Handel", ""]]
        book = Workbook()
        for r in rows:
            book.active.append(r)
        book.save(tmp_path / "students" / f"{name}.xlsx")
        sheets[name] = rows
    (tmp_path / "sheetsync.toml").write_text('[backend]\nkind = "xlsx"\nfolder = "students"\n'
                                             '[master]\npath = "master.xlsx"\n', encoding="utf-8")
    run_nightly(load_config(tmp_path / "sheetsync.toml"), now=now)
    master = table([[c.value for c in r] for r in load_workbook(tmp_path / "master.xlsx")["Studenter"].iter_rows()])
    losers = Counter()
    for name, rows in sheets.items():
        book = load_workbook(tmp_path / "students" / f"{name}.xlsx")
        crm = [[c.value for c in r] for r in book.worksheets[0].iter_rows()]
        flags = crm[0].index("⚑ Flaggor")
        lost = {r[0].lower() for r in crm[1:] if r[flags] and "LC01" in r[flags]}
        losers.update(lost)
        expected = len({r[0].lower() for r in rows[1:] if r[1] and r[2]} - lost)
        summary = {r[0]: r[1] for r in book["sheetsync"].iter_rows(values_only=True) if r[0]}
        assert summary["Kvalitetsleads (mål 50)"] == expected, name
        assert master[name]["Kvalitetsleads"] == expected, name
        pr01 = [r[0] for r in book["sheetsync"].iter_rows(values_only=True)
                if isinstance(r[0], str) and r[0].endswith("(PR01)")]
        assert pr01 and pr01[0].startswith(f"{50 - expected} kvar till 50 kvalitetsleads"), (name, pr01)
    assert losers == {"volvo ab": 2, "saab ab": 2, "ikea": 2}     # five holders, three places


def test_master_agrees_with_the_run_and_speaks_to_students_without_server_paths(demo_config, now):
    report = run_nightly(demo_config, now=now)
    book = load_workbook(demo_config.resolve("master.xlsx"))
    students = table([[c.value for c in r] for r in book["Studenter"].iter_rows()])
    for o in report.students:                   # one flag count, in the run table and the master
        assert students[o.name]["Flaggor"] == o.flags, o.name
        summary = list(load_workbook(demo_config.resolve("students") / f"{o.id}.xlsx")["sheetsync"]
                       .iter_rows(values_only=True))
        quality = next(r[1] for r in summary if str(r[0]).startswith("Kvalitetsleads"))
        pr01 = [r[0] for r in summary if str(r[0]).endswith("(PR01)")]
        assert students[o.name]["Kvalitetsleads"] == quality, o.name    # one number, three places
        assert not pr01 or pr01[0].startswith(f"{50 - quality} kvar "), (o.name, pr01)
    assert {r["Status"] for r in students.values()} <= {"ok", "hoppades över", "misslyckades", "behöver åtgärd"}
    deadlines = [[c.value for c in r] for r in book["Deadlines"].iter_rows()]
    assert deadlines[0][4].startswith("Utan LIA ") and deadlines[0][5].startswith("Utan LIA ")
    assert deadlines[0][5].endswith(" dagar)")          # days left in the header, once
    silent = deadlines[0].index("Dagar sedan senaste kontakt")
    import datetime as dt
    for r in deadlines[1:]:                                     # each student's own figure
        last = students[r[0]]["Senaste aktivitet"]
        assert r[silent] == (now - dt.date.fromisoformat(last)).days if last else r[silent] in ("", None)


def test_feedback_for_an_unreadable_sheet_is_words_for_the_student_not_the_error(tmp_path, now):
    from sheetsync import load_config
    (tmp_path / "students").mkdir()
    (tmp_path / "students" / "anna.xlsx").write_bytes(b"not a workbook at all")
    (tmp_path / "sheetsync.toml").write_text('[backend]\nkind = "xlsx"\nfolder = "students"\n'
                                             '[master]\npath = "master.xlsx"\n', encoding="utf-8")
    report = run_nightly(load_config(tmp_path / "sheetsync.toml"), now=now)
    assert report.students[0].status == "failed" and str(tmp_path) in report.students[0].message
    book = load_workbook(tmp_path / "master.xlsx")
    feedback = [c.value for c in book["Återkoppling"][2]]
    assert feedback[4].startswith("Vi kunde inte läsa ditt CRM") and str(tmp_path) not in feedback[4]
    assert "Error" not in feedback[4] and "xlsx" not in feedback[4]
    students = table([[c.value for c in r] for r in book["Studenter"].iter_rows()])
    assert students["anna"]["Risk"] == "behöver åtgärd" and str(tmp_path) in students["anna"]["Meddelande"]
