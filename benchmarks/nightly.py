"""The nightly job at scale against FakeGoogle with Google's quotas and latency, on a
virtual clock, and the same cohort through a gspread-dataframe baseline.

    pip install -e ".[test,bench]"
    python -m benchmarks.nightly [--students 1000] [--leads 100] [--latency 0.25]

Time is virtual: the fake's latency and quota windows, our rate limiter and every
backoff run on one simulated clock, so a run that Google would pace over 17 minutes is
measured in the CPU time it really costs. CPU time and peak memory are real (sheetsync's
own memory is told from the fake's copy of every sheet). Figures are printed, never asserted.
"""
from __future__ import annotations

import argparse
import datetime as dt
import resource
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from benchmarks.normalize import cohort_grids
from jobs.nightly import run_nightly
from sheetsync import load_config
from sheetsync.backends.google import GoogleBackend
from sheetsync.normalize.headers import map_header
from sheetsync.testing import FakeGoogle

NOW = dt.date(2026, 5, 12)


class VirtualClock:
    """Simulated seconds with a timeline per thread: a thread's sleep moves its own time
    only, so the reader waiting on the read quota and the writer on the write quota
    overlap as they would in real time. A new thread starts at 0 and catches up when it
    gets work (jobs.night.stream waits for the moment a read was asked for, and the writer for
    the moment a sheet was read). A night's wall time is the main thread's at the end."""

    def __init__(self):
        self._local = threading.local()

    @property
    def t(self) -> float:
        return getattr(self._local, "t", 0.0)

    @t.setter
    def t(self, value: float) -> None:
        self._local.t = value

    def now(self) -> float:
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += max(seconds, 0.0)


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() / 2**20


def restart_peak() -> None:
    """The process's peak RSS (VmHWM) starts again from its current RSS (Linux >= 4.0)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def fake_mib(google) -> float:
    """What the fake holds (every sheet, file and log entry), counted object by object:
    it grows as sheetsync writes, and that growth is the fake's, not sheetsync's."""
    from pympler import asizeof
    return asizeof.asizeof(google.books, google.files, google.requests) / 2**20


def cell(value):
    return value.date().isoformat() if isinstance(value, dt.datetime) else value


def build(google, students: int, leads: int, folder: Path):
    grids = cohort_grids(students, leads)
    sheets = [google.create_spreadsheet(f"S{i} CRM", {"CRM": [[cell(v) for v in r] for r in g]})
              for i, g in enumerate(grids)]
    master = google.create_spreadsheet("Master", {"Sheet1": []})
    google.credentials_file(folder / "credentials.json")
    lines = ["[backend]", 'kind = "google"', "[master]", f'sheet = "{master}"', "[state]",
             'path = "state.db"', "[quota]", "workers = 1"]
    for i, sid in enumerate(sheets):
        lines += ["[[students]]", f'id = "s{i}"', f'name = "Student {i}"', f'sheet = "{sid}"']
    (folder / "sheetsync.toml").write_text("\n".join(lines), encoding="utf-8")
    return load_config(folder / "sheetsync.toml"), sheets, master


def calls_by_kind(google, sheets: list[str], since: int) -> Counter:
    """Sheets reads, values writes, structural calls, Drive calls (exports apart) and 429s."""
    wanted = set(sheets)
    c = Counter()
    for call in google.requests[since:]:
        if call.status == 429:
            c["429"] += 1
        student = any(s in call.path for s in wanted)
        if call.kind == "read":
            c["reads" if student else "master reads"] += 1
        elif call.kind == "write":
            kind = "structural" if call.path.endswith(":batchUpdate") and "values" not in call.path else "writes"
            c[kind if student else f"master {kind}"] += 1
        elif call.kind == "drive":
            c["exports" if call.path.endswith("/export") else "drive"] += 1
    return c


def ours(google, clock, config, sheets, label: str, students: int) -> dict:
    start_log, start_t, start_cpu = len(google.requests), clock.t, time.process_time()
    start_units = google.drive_quota.used
    fake_before = fake_mib(google)
    restart_peak()
    rss_before = rss_mib()
    report = run_nightly(config, now=NOW, backend=GoogleBackend(config, sleep=clock.sleep,
                                                                clock=clock.now))
    wall, cpu = clock.t - start_t, time.process_time() - start_cpu
    peak, fake_growth = peak_mib(), fake_mib(google) - fake_before
    own = peak - rss_before - fake_growth
    c = calls_by_kind(google, sheets, start_log)
    units = google.drive_quota.used - start_units
    print(f"\n== sheetsync ({config.quota['read_via']} reads), {label}")
    print(f"  students ok {report.count('ok')}, failed {report.count('failed')}, unchanged (not read)"
          f" {report.unchanged}")
    write_calls = c["writes"] + c["structural"]
    print(f"  per student: {c['exports'] / students:.2f} Drive exports, {c['reads'] / students:.2f} Sheets"
          f" reads, {write_calls / students:.2f} write calls ({c['writes'] / students:.2f} values,"
          f" {c['structural'] / students:.2f} structural); master: {c['master reads']} read,"
          f" {c['master writes']} values, {c['master structural']} structural")
    print(f"  Drive: {c['exports'] + c['drive']} calls ({c['exports']} exports), {units} quota units"
          f" (limit {google.drive_quota.per_user:,} a minute per user); 429s met: {c['429']}")
    sheets_reads = c["reads"] + c["master reads"]
    writes_all = write_calls + c["master writes"] + c["master structural"]
    floor = max(sheets_reads, writes_all) / 60                 # minutes: one user's quota
    print(f"  wall time (virtual): {wall / 60:.1f} min = {wall / 60 / max(floor, 1e-9):.2f}x this night's"
          f" floor ({floor:.1f} min: the larger of {sheets_reads} Sheets reads and {writes_all} write"
          f" calls at 60 a minute)")
    if report.streamed:
        print(f"  written while reading; written twice because a sheet read later moved their cap"
              f" verdict: {report.rewritten}")
    print(f"  memory: the process peaked at {peak:.0f} MiB ({rss_before:.0f} before the night); the"
          f" fake grew by {fake_growth:.0f} MiB (to {fake_before + fake_growth:.0f}); sheetsync's own peak"
          f" about {own:.0f} MiB")
    print(f"  CPU: {cpu:.1f} s in all (fake and gspread included); pandas stages"
          f" {sum(report.cpu.values()):.1f} s:"
          + ",".join(f" {k} {v:.1f} s" for k, v in sorted(report.cpu.items())))
    return {"calls": c, "wall": wall, "cpu": cpu, "floor": floor, "own_mib": own}


def baseline(google, clock, folder: Path, sheets: list[str], students: int) -> dict:
    """What a gspread-dataframe user writes: open, read the sheet as a DataFrame, add a
    flag column, write the whole frame back; gspread's BackOffHTTPClient for the 429s."""
    import gspread
    import gspread.http_client as http
    from google.oauth2.service_account import Credentials
    from gspread_dataframe import get_as_dataframe, set_with_dataframe
    http.time.sleep = clock.sleep                # its backoff on the same virtual clock
    creds = Credentials.from_service_account_file(str(folder / "credentials.json"),
                                                  scopes=["https://www.googleapis.com/auth/spreadsheets"])
    gc = gspread.authorize(creds, http_client=gspread.BackOffHTTPClient)
    start_log, start_t, start_cpu = len(google.requests), clock.t, time.process_time()
    for sid in sheets:
        ws = gc.open_by_key(sid).worksheet("CRM")
        df = get_as_dataframe(ws, evaluate_formulas=False, header=None)
        df[len(df.columns)] = ["flag"] * len(df)
        set_with_dataframe(ws, df, include_column_header=False, resize=True)
    wall, cpu = clock.t - start_t, time.process_time() - start_cpu
    c = Counter()
    for call in google.requests[start_log:]:
        c[call.kind] += 1
        c["429"] += call.status == 429
    print("\n== baseline (gspread-dataframe: get_as_dataframe / set_with_dataframe per sheet)")
    print(f"  per student: {c['read'] / students:.2f} reads, {c['write'] / students:.2f} writes"
          f" (whole sheet rewritten, student cells included); 429s met: {c['429']}")
    print(f"  wall time (virtual): {wall / 60:.1f} min; CPU {cpu:.1f} s")
    return {"calls": c, "wall": wall}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--leads", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.25, help="seconds per API call")
    parser.add_argument("--edited", type=float, default=0.10, help="share edited before run 2")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--read-via", choices=("export", "sheets"), default="export")
    parser.add_argument("--workers", type=int, default=None,
                        help="read pool (default 4 for exports; 1 for Sheets reads, whose pacing"
                             " by one simulated clock per thread would not be faithful)")
    args = parser.parse_args()
    clock = VirtualClock()
    folder = Path(tempfile.mkdtemp())
    with FakeGoogle(quotas=True, latency=args.latency, clock=clock.now, sleep=clock.sleep) as google:
        config, sheets, master = build(google, args.students, args.leads, folder)
        config.quota["read_via"] = args.read_via
        config.quota["workers"] = args.workers or (4 if args.read_via == "export" else 1)
        first = ours(google, clock, config, sheets, "first run", args.students)
        edited = sheets[:int(len(sheets) * args.edited)]
        for sid in edited:                       # a student blanks a company name: CL01
            rows = google.get_values(sid, "CRM")
            h = next(i for i, r in enumerate(rows) if len(r) > 3)
            col = next(c for c, v in enumerate(rows[h]) if map_header(v)[0] == "company")
            rows[h + 1][col] = ""
            google.set_values(sid, "CRM", rows)
        clock.t += 24 * 3600                     # the next night
        second = ours(google, clock, config, sheets, f"second run, {len(edited)} sheets edited", args.students)
        clock.t += 24 * 3600
        third = ours(google, clock, config, sheets, "third run, none edited", args.students)
        clock.t += 24 * 3600
        config.quota["full_read_every_days"] = 0   # the weekly night that reads every sheet
        fourth = ours(google, clock, config, sheets, "fourth run, every sheet read again (the weekly full read),"
             " none edited", args.students)
        own = max(n["own_mib"] for n in (first, second, third, fourth))
        print(f"\nsheetsync's own peak memory, highest of the four nights: about {own:.0f} MiB (the"
              f" process's peak over what it held before the night, less what the fake grew by)")
        clock.t += 120                           # let the quota windows empty
        if not args.no_baseline:
            base = baseline(google, clock, folder, sheets, args.students)
            ours_calls = sum(first["calls"][k] for k in ("reads", "writes", "structural", "exports"))
            base_calls = base["calls"]["read"] + base["calls"]["write"]
            print(f"\n== ratio (first run): API calls baseline/sheetsync {base_calls / ours_calls:.1f}x,"
                  f" wall time {base['wall'] / first['wall']:.1f}x")


if __name__ == "__main__":
    main()
