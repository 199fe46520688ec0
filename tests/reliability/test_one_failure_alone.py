"""One student's failure changes nobody else's verdict (Trust, round 3): a sheet that
cannot be read tonight counts for the cap, the master and the cohort's figures as it was
last read, and says so; it is not written."""
import pytest

from jobs import nightly
from jobs.nightly import run_nightly
from tests.helpers import cells, owned


def owned_cells(folder, skip: str) -> dict:
    out = {}
    for path in sorted(folder.glob("*.xlsx")):
        if path.stem != skip:
            book = cells(path)
            out[path.stem] = {k: v for k, v in book.items() if k in owned(book) and k[0] != "sheetsync"}
    return out


def lost_draws(folder) -> int:
    return sum(1 for path in folder.glob("*.xlsx") for v in cells(path).values()
               if isinstance(v, str) and "(LC01)" in v)


@pytest.mark.parametrize("schedule", ["stream", "read everyone first"])
def test_a_truncated_workbook_moves_no_other_students_flags(demo_config, now, schedule, monkeypatch):
    if schedule != "stream":
        monkeypatch.setattr(nightly, "can_stream", lambda jobs: False)
    folder = demo_config.resolve(demo_config.backend["folder"])
    assert run_nightly(demo_config, now=now).ok
    assert lost_draws(folder) > 0                       # the cohort shares companies
    victim = sorted(folder.glob("*.xlsx"))[0]
    before = owned_cells(folder, victim.stem)
    data = victim.read_bytes()
    victim.write_bytes(data[: len(data) // 2])          # a save cut off half way
    report = run_nightly(demo_config, now=now)
    assert owned_cells(folder, victim.stem) == before
    outcome = next(o for o in report.students if o.id == victim.stem)
    assert outcome.status == "failed"
    assert "last good read" in outcome.message and "not written" in outcome.message
    assert victim.read_bytes() == data[: len(data) // 2]     # the broken file itself untouched
    assert sum(o.leads for o in report.students) > 0
    master_students = {o.id: o.leads for o in report.students}
    assert master_students[victim.stem] > 0             # still counted, as last seen
