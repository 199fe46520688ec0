"""Cohort insight (D5): answer rates per channel equal an independent count over the
demo's generated truth; the summary says it anonymised and the same all week."""
from collections import Counter

from openpyxl import load_workbook

from jobs.nightly import run_nightly
from sheetsync.demo import generate_cohort, write_demo
from sheetsync import load_config
from sheetsync.normalize.headers import map_header

ANSWERED = ("in_dialogue", "meeting", "offer", "yes", "no")


def test_channel_rates_equal_a_count_over_the_truth_and_reach_every_summary(tmp_path, now):
    cohort = generate_cohort(students=24, seed=3, today=now)
    config = load_config(write_demo(tmp_path / "demo", cohort))
    run_nightly(config, now=now)
    tried, answered = Counter(), Counter()
    for s in cohort.students:
        for lead in s.leads:
            # a status nobody can read ("blå?") tells no attempt; a row without a company is no lead
            known = lead.stage != "unknown" and lead.company
            if lead.channel and known and (lead.attempts > 0 or lead.stage in ANSWERED):
                tried[lead.channel] += 1
                answered[lead.channel] += lead.stage in ANSWERED
    book = load_workbook(config.resolve("master.xlsx"))
    rows = [[c.value for c in r] for r in book["Insikter"].iter_rows()]
    by_name = {"telefon": "phone", "mejl": "email", "LinkedIn": "linkedin"}
    table = {by_name[r[0]]: (r[1], r[2]) for r in rows[1:4]}
    assert table == {k: (tried[k], answered[k]) for k in ("phone", "email", "linkedin")}
    best = max(tried, key=lambda k: answered[k] / tried[k])
    worst = min(tried, key=lambda k: answered[k] / tried[k])
    ratio = f"{(answered[best] / tried[best]) / (answered[worst] / tried[worst]):.1f}".replace(".", ",")
    for s in cohort.students:
        summary = [r for r in load_workbook(config.resolve("students") / f"{s.id}.xlsx")["sheetsync"]
                   .iter_rows(values_only=True)]
        text = " ".join(str(c) for r in summary for c in r if c)
        assert f"{ratio} gånger så ofta" in text, s.id
        secured = "LIA säkrad – grattis" in text                 # the hunt's advice ends
        assert ("Prova att ringa" in text) != secured if best == "phone" else True
        others = {o.name for o in cohort.students} - {s.name}
        assert not any(name in text for name in others)            # no classmate named


def test_the_summary_insight_changes_once_a_week_so_quiet_nights_write_nothing(tmp_path, now):
    cohort = generate_cohort(students=8, seed=5, today=now)
    config = load_config(write_demo(tmp_path / "demo", cohort))
    run_nightly(config, now=now)
    editor = next(s for s in cohort.students if any(lead.channel for lead in s.leads))
    path = config.resolve("students") / f"{editor.id}.xlsx"
    book = load_workbook(path)
    ws = book.worksheets[0]
    header = next(r for r in ws.iter_rows(values_only=True) if "Företag" in r or "Company" in r
                  or any(map_header(v)[0] == "company" for v in r if isinstance(v, str)))
    fields = {map_header(v)[0]: i + 1 for i, v in enumerate(header) if isinstance(v, str)}
    row = ws.max_row + 1                   # ten e-mails answered: the cohort's rates move
    for k in range(10):
        ws.cell(row=row + k, column=fields["company"], value=f"Svarsbolaget {k} AB")
        ws.cell(row=row + k, column=fields["status_raw"], value="i dialog")
        ws.cell(row=row + k, column=fields["channel"], value="mejl")
    book.save(path)
    second = run_nightly(config, now=now)     # (same day: time left moves on its own days)
    written = {o.id for o in second.students if o.cells_written}
    assert written == {editor.id}                        # nobody else's summary moved this week
    master = load_workbook(config.resolve("master.xlsx"))["Insikter"]
    email = next(r for r in master.iter_rows(values_only=True) if r[0] == "mejl")
    assert email[2] >= 10                                 # the master shows tonight's figures
