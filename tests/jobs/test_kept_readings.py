"""A sheet unchanged since the last night is neither read nor normalised again: its
snapshot keeps how it was understood. Through real gspread against FakeGoogle."""
import pytest
from jobs.night import read as reading_stage
from jobs.nightly import run_nightly
from sheetsync.backends.google import GoogleBackend
from sheetsync.demo.google import upload_cohort
from sheetsync.normalize.headers import map_header
from sheetsync.testing import FakeGoogle

pytestmark = pytest.mark.usefixtures("read_via")     # on both Google read paths


def blank_first_company(google, sheets: dict) -> str:
    """A student blanks the first company no one else holds (so no one else's cap moves);
    the student's id."""
    for sid, sheet in sorted(sheets.items()):
        rows = google.get_values(sheet, "CRM")
        elsewhere = {v for other in sheets.values() if other != sheet
                     for r in google.get_values(other, "CRM") for v in r}
        header = next((i for i, r in enumerate(rows) if len(r) > 3), None)
        if header is None:
            continue
        col = next(c for c, v in enumerate(rows[header]) if map_header(v)[0] == "company")
        first = next((r for r in rows[header + 1:] if len(r) > col and r[col] and r[col] not in elsewhere), None)
        if first is not None:
            first[col] = ""
            google.set_values(sheet, "CRM", rows)
            return sid
    raise AssertionError("no company to blank")


def counting_normaliser(monkeypatch):
    understood = []
    real = reading_stage.read_crm

    def read_crm(workbook, **kw):
        understood.append(kw["student"])
        return real(workbook, **kw)
    monkeypatch.setattr(reading_stage, "read_crm", read_crm)
    return understood


def test_only_the_edited_sheet_is_understood_again_and_kept_readings_judge_as_fresh_ones(
        demo_cohort, tmp_path, now, monkeypatch):
    with FakeGoogle() as google:
        config, sheets, _ = upload_cohort(google, demo_cohort, tmp_path)
        night = lambda: run_nightly(config, now=now, backend=GoogleBackend(config, sleep=lambda s: None))
        assert night().ok
        understood = counting_normaliser(monkeypatch)
        # every sheet we wrote is read again the next night, whatever Drive says; read to
        # the cells we left, it keeps its reading
        settle = night()
        assert settle.ok and settle.unchanged == 0 and understood == []
        assert sum(o.cells_written for o in settle.students) == 0
        edited = blank_first_company(google, sheets)

        second = night()
        assert second.ok and second.unchanged == len(sheets) - 1
        assert understood == [edited]
        flagged = [o for o in second.students if o.cells_written]
        assert [o.id for o in flagged] == [edited]           # CL01 on the blanked company

        # everything read and understood from scratch: it finds nothing to change, so the
        # kept readings had judged exactly as fresh ones would
        understood.clear()
        monkeypatch.setattr(reading_stage, "load_reading", lambda kept, key: None)
        config.quota["full_read_every_days"] = 0
        third = night()
        assert third.ok and third.unchanged == 0 and set(understood) == set(sheets)
        assert sum(o.cells_written for o in third.students) == 0


def test_a_reading_kept_under_other_settings_is_not_used(demo_cohort, tmp_path, now, monkeypatch):
    with FakeGoogle() as google:
        config, sheets, _ = upload_cohort(google, demo_cohort, tmp_path)
        assert run_nightly(config, now=now, backend=GoogleBackend(config, sleep=lambda s: None)).ok
        student = config.students[0]
        student.columns = {"Anteckningar": ""}            # staff now tell us to ignore a column
        understood = counting_normaliser(monkeypatch)
        report = run_nightly(config, now=now, backend=GoogleBackend(config, sleep=lambda s: None))
        assert report.ok and understood == [student.id]
