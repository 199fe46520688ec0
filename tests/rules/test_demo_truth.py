"""On the demo cohort every planted problem carries its code and clean rows carry none."""
from collections import Counter

import pandas as pd

from sheetsync.engine.context import Calendar
from sheetsync.engine.run import run_rules
from sheetsync.normalize import normalize

ROW_CODES = {"CL01", "CL02", "CL03", "CL04", "CL05", "CL06", "DD01", "DD02", "FU01", "FU02", "FU03", "FU04"}


def judge(cohort, now):
    frames = [normalize(s.rows, year=now.year, student=s.id, tab="CRM").frame for s in cohort.students]
    found, draws = run_rules(pd.concat(frames, ignore_index=True), now=now,
                             calendar=Calendar.default(now.year))
    return found, draws


def test_planted_problems_flagged_and_clean_rows_clean(demo_cohort, now):
    found, _ = judge(demo_cohort, now)
    per_row = found[found["row"].notna()].groupby(["student", "row"])["code"].agg(set)
    planted = clean = 0
    for s in demo_cohort.students:
        for lead in s.leads:
            codes = per_row.get((s.id, lead.row), set()) & ROW_CODES
            assert lead.expect <= codes, (s.id, lead.row, lead.expect, codes)
            assert codes <= lead.expect | {"CL02", "FU02"} if "no_contact" in lead.expect else True
            if not lead.expect:
                assert not codes, (s.id, lead.row, codes)
                clean += 1
            planted += len(lead.expect)
    assert planted > 4 * len(demo_cohort.students) and clean > 100


def test_the_cap_leaves_exactly_three_holders_per_popular_company(demo_cohort, now):
    found, draws = judge(demo_cohort, now)
    lost = Counter(p["company"] for p in found[found["code"] == "LC01"]["params"])
    for company in demo_cohort.popular:
        holders = sum(any(l.company == company for l in s.leads) for s in demo_cohort.students)
        assert lost[company] == max(holders - 3, 0), company
    assert set(draws) == {k for k in draws}    # draws made for the over-cap companies
