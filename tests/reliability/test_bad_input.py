"""Strange sheets never crash a run: each gets a clear outcome, none an internal error."""
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from jobs.nightly import run_nightly
from sheetsync import load_config
from sheetsync.backends.google import GoogleBackend
from sheetsync.testing import FakeGoogle
from tests.conftest import NOW

pytestmark = pytest.mark.usefixtures("read_via")     # on both Google read paths

CELLS = st.one_of(
    st.text(max_size=15), st.integers(-10**9, 10**9), st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(), st.none(),
    st.sampled_from(["Företag", "Company", "Telefon", "Status", "Följ upp", "E-post", "#REF!",
                     "#N/A", "=A1+1", '=IMPORTRANGE("x","y")', "😀🎉", "مرحبا بالعالم",
                     "שלום", "ja", "nej tack", "3/5", "070-123 45 67", "⚑ Flaggor",
                     "ringt 3 ggr", "", "   ", "\n\n", "↳"]))
GRIDS = st.lists(st.lists(CELLS, max_size=12), max_size=40)


def google_run(google, tabs: dict) -> object:
    folder = Path(tempfile.mkdtemp())
    sid = google.create_spreadsheet("odd", tabs)
    google.credentials_file(folder / "credentials.json")
    (folder / "sheetsync.toml").write_text(
        '[backend]\nkind = "google"\n[master]\nsheet = "none"\n[state]\npath = "s.db"\n'
        f'[[students]]\nid = "odd"\nname = "Odd"\nsheet = "{sid}"\n', encoding="utf-8")
    config = load_config(folder / "sheetsync.toml")
    report = run_nightly(config, now=NOW, backend=GoogleBackend(config, sleep=lambda s: None))
    return report.students[0]


def assert_clear(outcome):
    assert "internal error" not in outcome.message, outcome.message
    assert outcome.status in ("ok", "skipped"), outcome
    if outcome.status == "skipped":
        assert outcome.message


@pytest.fixture(scope="module")
def google():
    with FakeGoogle() as fake:
        yield fake


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(crm=GRIDS, other=GRIDS)
def test_random_workbooks_never_crash_a_run(google, crm, other):
    rows = [["Företag", "Telefon", "Status"]] + crm     # some have a header, all have junk
    assert_clear(google_run(google, {"CRM": rows, "Övrigt": other}))


@pytest.mark.parametrize("name, rows", [
    ("only headers", [["Företag", "Telefon", "Status"]]),
    ("duplicate headers", [["Företag", "Företag", "Status", "Status"], ["A", "B", "ja", "nej"]]),
    ("header repeated mid-sheet", [["Företag", "Status"], ["A", "ja"], ["Företag", "Status"], ["B", "nej"]]),
    ("formula errors", [["Företag", "Status", "Följ upp"], ["#REF!", "#N/A", "#VALUE!"]]),
    ("numbers where text belongs", [["Företag", "Telefon", "Status"], [42, 3.5, 7]]),
    ("right-to-left and emoji", [["Företag", "Status"], ["مرحبا 😀", "שלום"]]),
    ("no header at all", [["hej"], [1, 2, 3]]),
    ("a phone number and a huge figure as attempts", [["Företag", "Antal försök", "Status"],
                                                      ["A", "46701234567", "ringt"],
                                                      ["B", "123456789012345678901234", "ringt 2 ggr"]]),
    ("empty", []),
])
def test_named_odd_sheets_get_a_clear_outcome(google, name, rows):
    assert_clear(google_run(google, {"CRM": rows}))


def test_fifty_thousand_rows(google):
    rows = [["Företag", "Telefon", "Status"]] + [[f"Firma {i}", f"070-{i:07d}", "ja" if i % 7 else ""]
                                                  for i in range(50_000)]
    outcome = google_run(google, {"CRM": rows})
    assert outcome.status == "ok" and outcome.leads == 50_000


def test_two_hundred_columns(google):
    header = ["Företag", "Status"] + [f"Extra {i}" for i in range(198)]
    outcome = google_run(google, {"CRM": [header, ["Volvo AB", "ja"] + ["x"] * 198]})
    assert outcome.status == "ok" and len(outcome.unmapped_columns) == 198


def test_merged_title_cells_above_the_header(demo_config, now):
    book = Workbook()
    ws = book.active
    ws.append(["Mitt CRM"])
    ws.merge_cells("A1:D1")
    ws.append([])
    ws.append(["Företag", "Telefon", "Status", "Kommentar"])
    ws.append(["Volvo AB", "070-123 45 67", "ja", "bra"])
    book.save(demo_config.resolve("students") / "merged.xlsx")
    demo_config.students = []
    report = run_nightly(demo_config, now=now)
    merged = next(s for s in report.students if s.id == "merged")
    assert merged.status == "ok" and merged.leads == 1
