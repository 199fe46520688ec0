"""Whole workbooks: the CRM tab chosen by content, a contact log folded in, real trackers."""
import csv
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetsync.normalize import normalize, read_crm
from sheetsync.workbook import Tab, Workbook

TRACKERS = Path(__file__).parents[2] / "fixtures" / "trackers"


def book(**tabs) -> Workbook:
    return Workbook("b", {t.replace("_", " "): Tab(t.replace("_", " "), rows) for t, rows in tabs.items()})


def test_the_crm_tab_is_chosen_by_content_not_position():
    wb = book(Anteckningar=[["Mina tankar"], ["ring mamma"]],
              Leads=[["Företag", "Kontaktperson", "Telefon", "Status"], ["Volvo AB", "Anna", "070-1234567", "ja"]],
              sheetsync=[["sheetsync: sammanfattning"], ["Företag", "Status"]])
    r = read_crm(wb, year=2026)
    assert r.tab == "Leads" and len(r.normalized.frame) == 1


def test_a_contact_log_raises_attempts_and_moves_the_last_contact():
    wb = book(CRM=[["Företag", "Status", "Senast kontaktad"], ["Volvo AB", "", ""],
                   ["Saab AB", "ringt 1 ggr", "2/5"], ["Ikea", "ja", "1/5"]],
              Kontaktlogg=[["Datum", "Företag", "Kanal", "Utfall"],
                           ["3/5", "AB Volvo", "telefon", "inget svar"],
                           ["5/5", "Volvo", "mejl", "inget svar"],
                           ["6/5", "volvo ab", "LinkedIn", "inget svar"],
                           ["8/5", "Saab", "telefon", "pratat, återkommer"]])
    r = read_crm(wb, year=2026)
    assert r.log_tab == "Kontaktlogg"
    f = r.normalized.frame.set_index("company")
    assert f.loc["Volvo AB", "attempts"] == 3 and f.loc["Volvo AB", "stage"] == "attempted"
    assert str(f.loc["Volvo AB", "last_contact"].date()) == "2026-05-06"
    assert f.loc["Volvo AB", "channels"] == "email,linkedin,phone"
    assert f.loc["Saab AB", "stage"] == "in_dialogue"           # the answer logged counts
    assert f.loc["Ikea", "stage"] == "yes" and f.loc["Ikea", "attempts"] == 0


def test_a_configured_tab_wins_and_a_missing_one_is_none():
    wb = book(A=[["Företag", "Status"], ["X", "ja"]], B=[["Företag", "Telefon", "Status"], ["Y", "", ""]])
    assert read_crm(wb, tab="A", year=2026).tab == "A"
    assert read_crm(wb, tab="C", year=2026).tab is None


def read_tracker(name, delimiter=","):
    with open(TRACKERS / name, encoding="utf-8", newline="") as f:
        return list(csv.reader(f, delimiter=delimiter))


@pytest.mark.parametrize("name, delimiter", [
    ("Auto_Jobs__Copy of Job Tracking Template - Job Tracker.csv", ","),
    ("jobsearching__tracker.csv", ","), ("CompanyLookup__firmaer.csv", ";")])
def test_real_trackers_are_read_without_raising(name, delimiter):
    n = normalize(read_tracker(name, delimiter), year=2026)
    assert n.header_row == 0 and "company" in n.mapping.values() and len(n.frame) > 20


def test_same_as_above_arrows_take_the_company_of_the_row_above():
    n = normalize(read_tracker("jobsearching__tracker.csv"), year=2026)
    assert not n.frame["company"].isin(["↳"]).any()
    assert n.mapping["Notes for Coffee Chat / Outreach"] == "notes"
    assert n.mapping["Posting Date"] is None               # not mistaken for a contact date


def test_swapped_headers_are_reported_on_the_header_cell():
    n = normalize(read_tracker("CompanyLookup__firmaer.csv", ";"), year=2026)
    kinds = {(p.cell, p.field) for p in n.problems if p.kind.startswith("column")}
    assert kinds == {("A1", "org_number"), ("B1", "company")}


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.one_of(st.text(max_size=8), st.integers(), st.none(),
                                   st.sampled_from(["Företag", "Status", "=A1", "#REF!", "😀"])),
                         max_size=8), min_size=1, max_size=20))
def test_ten_thousand_rows_never_raise(template):
    rows = [["Företag", "Telefon", "Status", "Följ upp"]] + [template[i % len(template)]
                                                             for i in range(10_000)]
    n = normalize(rows, year=2026)
    assert len(n.frame) <= 10_000
