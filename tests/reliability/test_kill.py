"""A process killed (SIGKILL, no cleanup) between read and write, then run again."""
import signal
import sqlite3
import subprocess
import sys
import textwrap

from jobs.nightly import run_nightly
from tests.conftest import NOW
from tests.helpers import cells, owned

KILLER = textwrap.dedent("""
    import os, signal, sys, datetime as dt
    from sheetsync import load_config
    from sheetsync.backends.xlsx import XlsxBackend
    from jobs.nightly import run_nightly
    written = []
    real_write = XlsxBackend.write
    def write(self, student, plan, read):
        if len(written) == 2:                    # two students written, the third read
            os.kill(os.getpid(), signal.SIGKILL)
        written.append(student.id)
        return real_write(self, student, plan, read)
    XlsxBackend.write = write
    run_nightly(load_config(sys.argv[1]), now=dt.date(2026, 5, 12))
""")


def test_sigkill_between_read_and_write_loses_nothing_and_a_rerun_settles(demo_config):
    files = sorted(demo_config.resolve("students").glob("*.xlsx"))
    before = {p.name: cells(p) for p in files}
    proc = subprocess.run([sys.executable, "-c", KILLER, str(demo_config.path)], capture_output=True)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.decode()[-2000:]
    for p in files:                                   # each workbook whole: old or new, never half
        now = cells(p)
        assert {k: v for k, v in now.items() if k not in owned(now)} == before[p.name]
    first = run_nightly(demo_config, now=NOW)
    assert first.ok, first.table()
    assert sum(s.cells_written for s in run_nightly(demo_config, now=NOW).students) == 0
    with sqlite3.connect(demo_config.state_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        unfinished = db.execute("SELECT COUNT(*) FROM runs WHERE finished IS NULL").fetchone()[0]
    assert unfinished == 1                            # the killed run is visible as such
