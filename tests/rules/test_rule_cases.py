"""One runner for every rule case in tests/rules/cases.py, and checks every rule's docs."""
import pandas as pd
import pytest

from sheetsync.engine.context import Calendar
from sheetsync.engine.registry import registry
from sheetsync.engine.run import run_rules
from sheetsync.normalize import normalize
from tests.rules.cases import CASES


def judge(case):
    students = case.students or {"s": case.rows}
    frame = pd.concat([normalize(rows, year=2026, student=s, tab="CRM").frame
                       for s, rows in students.items()], ignore_index=True)
    calendar = Calendar.default(2026)
    if case.id == "a target of 1 is met":
        calendar.quality_target = 1
    found, _ = run_rules(frame, now=case.now, calendar=calendar, only=(case.code,),
                         settings={case.code: case.settings})
    return found


@pytest.mark.parametrize("case", CASES, ids=[f"{c.code}: {c.id}" for c in CASES])
def test_rule_case(case):
    found = judge(case)
    if case.students:                            # cohort rules: how many lose, or who
        expect = case.flagged
        if all(isinstance(x, int) for x in expect):
            assert len(found) == next(iter(expect)), found
        else:
            assert {(f.student, int(f.row)) for f in found.itertuples()} == expect
    elif all(isinstance(x, str) for x in case.flagged) and case.flagged:
        assert set(found["student"]) == case.flagged and found["row"].isna().all()
    elif case.code.startswith("PR"):
        assert found.empty, found
    else:
        assert set(found["row"].astype(int)) == case.flagged, found


def test_every_rule_has_a_case_that_fires_and_one_that_does_not():
    fires = {c.code for c in CASES if c.flagged and c.flagged != {0}}
    quiet = {c.code for c in CASES if not c.flagged or c.flagged == {0}}
    assert fires == quiet == set(registry())


@pytest.mark.parametrize("code", list(registry()))
def test_every_rule_documents_itself(code):
    rule = registry()[code]
    doc = rule.describe()
    assert "**Anti-pattern**" in doc and "**Best practice**" in doc
    assert doc.splitlines()[0].strip()
    assert rule.message["sv"] != rule.message["en"]


def test_possible_duplicates_in_a_huge_crm_are_found_without_comparing_all_pairs():
    from rules.dedup.DD02 import ALL_PAIRS_UP_TO, similar_pairs
    keys = [f"firma nummer {i:05d}" for i in range(ALL_PAIRS_UP_TO * 3)]
    keys += ["ericsson", "ericson", "xvolvo group", "volvo group"]      # typos at both ends
    pairs = {(keys[i], keys[j]) for i, j in similar_pairs(keys, 90)}
    assert ("ericsson", "ericson") in pairs and ("xvolvo group", "volvo group") in pairs
    small = similar_pairs(["ericsson", "ericson", "saab"], 90)
    assert small == {(0, 1)}


def test_importing_one_rule_first_still_registers_them_all():
    """Reported: `jobs.distribute` imported CL05 alone, and the registry then held only it."""
    import subprocess
    import sys
    code = ("import rules.cleanup.CL05\nfrom sheetsync.engine.registry import registry\n"
            "print(len(registry()))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert int(out.stdout) == len(registry()) >= 17


@pytest.mark.parametrize("code", sorted(registry()))
def test_a_sheet_with_a_header_and_no_leads_gives_no_lead_findings(code):
    frame = normalize([["Företag", "Telefon", "Status"]], year=2026, student="s", tab="CRM").frame
    found, _ = run_rules(frame, now=pd.Timestamp("2026-05-12").date(), calendar=Calendar.default(2026),
                         only=(code,))
    assert list(found.columns) == ["student", "row", "code", "severity", "params"]
    assert found["row"].isna().all()             # at most a finding about the student as a whole
