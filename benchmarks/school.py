"""A school's first night against FakeGoogle with Google's quotas per identity and per
project: several cohorts at once on one identity, the same on a pool of identities, and
one large cohort on the pool.

    python -m benchmarks.school [--per-cohort 200] [--cohorts 5] [--pool 5] [--latency 0.25] [--next-night]

Time is virtual (benchmarks.nightly's VirtualClock). The cohorts started "at the same
minute" are threads of this process, each with its own config, state and backend: a
simulated clock cannot be shared between processes, so they share the ledger in memory
(sheetsync.backends.ledger.MemoryLedger, the one every backend on that clock counts in);
real processes share the SQLite ledger instead (tests/backends/test_quota_ledger.py).
The floor is the shared quota's: for reads and for writes, the larger of the busiest
identity's calls at 60 a minute and the project's at 300. Figures are printed, never
asserted.
"""
from __future__ import annotations

import argparse
import hashlib
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from benchmarks.nightly import NOW, VirtualClock, cell
from benchmarks.normalize import cohort_grids
from sheetsync.normalize.headers import map_header
from jobs.nightly import run_nightly
from sheetsync import load_config
from sheetsync.backends.google import GoogleBackend
from sheetsync.testing import FakeGoogle

USER, PROJECT = 60, 300
EDITED = 0.10          # the next night: a tenth of the sheets edited


def build_cohort(google, folder: Path, name: str, grids: list, keys: list[str]):
    """One cohort's sheets, master and config; `keys`: one key file, or the pool's."""
    folder.mkdir(parents=True)
    sheets = [google.create_spreadsheet(f"{name} S{i} CRM", {"CRM": [[cell(v) for v in r] for r in g]})
              for i, g in enumerate(grids)]
    master = google.create_spreadsheet(f"{name} master", {"Sheet1": []})
    credentials = "[" + ", ".join(f'"{k}"' for k in keys) + "]" if len(keys) > 1 else f'"{keys[0]}"'
    lines = ["[cohort]", f'name = "{name}"', "[backend]", 'kind = "google"', f"credentials = {credentials}",
             "[master]", f'sheet = "{master}"', "[state]", 'path = "state.db"']
    for i, sid in enumerate(sheets):
        lines += ["[[students]]", f'id = "{name}-s{i}"', f'name = "Student {i}"', f'sheet = "{sid}"']
    (folder / "sheetsync.toml").write_text("\n".join(lines), encoding="utf-8")
    return load_config(folder / "sheetsync.toml")


def school_night(label: str, cohorts: int, per_cohort: int, pool: int, leads: int, latency: float,
                 next_night: bool = False) -> list[dict]:
    """The first night of every cohort together (its row); with `next_night`, the
    night after too, once a tenth of the sheets are edited (a second row)."""
    clock = VirtualClock()
    folder = Path(tempfile.mkdtemp())
    with FakeGoogle(quotas=True, latency=latency, clock=clock.now, sleep=clock.sleep) as google:
        keys = []
        for i in range(pool):
            google.credentials_file(folder / f"key{i}.json",
                                    email=f"pool{i}@sheetsync-fake.iam.gserviceaccount.com")
            keys.append(str(folder / f"key{i}.json"))
        grids = cohort_grids(cohorts * per_cohort, leads)    # benchmarks.nightly's sheets, shared out
        configs = [build_cohort(google, folder / f"c{c}", f"c{c}",
                                grids[c * per_cohort:(c + 1) * per_cohort], keys)
                   for c in range(cohorts)]
        first = night_of_all(google, clock, configs, 0.0, label, cohorts * per_cohort, pool)
        if not next_night:
            return [first]
        edited = 0
        for book_id, title in [(sid, book.title) for sid, book in google.books.items() if "CRM" in book.title]:
            if stable_share(title) < EDITED:       # a student blanks a company name: CL01
                rows = google.get_values(book_id, "CRM")
                h = next(i for i, r in enumerate(rows) if len(r) > 3)
                col = next(c for c, v in enumerate(rows[h]) if map_header(v)[0] == "company")
                if h + 1 < len(rows) and col < len(rows[h + 1]):
                    rows[h + 1][col] = ""
                    google.set_values(book_id, "CRM", rows)
                    edited += 1
        return [first, night_of_all(google, clock, configs, first["wall"] + 24 * 3600,
                                    f"{label}, next night ({edited} edited)", cohorts * per_cohort, pool)]


def night_of_all(google, clock, configs, start: float, label: str, students: int, pool: int) -> dict:
    """Every cohort's night started at `start` together, one thread each; its row."""
    ends, reports, cpu, since = {}, {}, time.process_time(), len(google.requests)

    def night(config):                        # each thread keeps its own time: all start at `start`
        clock.t = start
        reports[config.cohort["name"]] = run_nightly(
            config, now=NOW, backend=GoogleBackend(config, sleep=clock.sleep, clock=clock.now))
        ends[config.cohort["name"]] = clock.t

    runs = [threading.Thread(target=night, args=(c,)) for c in configs]
    for r in runs:
        r.start()
    for r in runs:
        r.join()
    made = google.requests[since:]
    calls = [c for c in made if c.kind in ("read", "write")]
    by_identity = Counter((c.kind, c.caller) for c in calls if c.status == 200)
    by_kind = Counter(c.kind for c in calls if c.status == 200)
    floor = max([n / USER for n in by_identity.values()] + [n / PROJECT for n in by_kind.values()]) * 60
    row = {"label": label, "students": students, "pool": pool,
           "reads": by_kind["read"], "writes": by_kind["write"],
           "busiest": max(by_identity.values(), default=0),
           "429": sum(1 for c in made if c.status == 429),
           "failed": sum(r.count("failed") for r in reports.values()),
           "wall": max(ends.values()) - start, "floor": floor, "cpu": time.process_time() - cpu}
    row["ratio"] = row["wall"] / row["floor"] if floor else float("nan")
    print(f"  {label}: wall {row['wall'] / 60:.1f} min, floor {floor / 60:.1f} min, {row['429']} 429s,"
          f" CPU {row['cpu']:.0f} s", flush=True)
    return row


def stable_share(text: str) -> float:
    """A number in [0, 1) from `text`, the same on every run (which sheets are edited)."""
    return int.from_bytes(hashlib.sha256(text.encode()).digest()[:4], "big") / 2**32


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cohorts", type=int, default=5)
    parser.add_argument("--per-cohort", type=int, default=200)
    parser.add_argument("--pool", type=int, default=5)
    parser.add_argument("--leads", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.25, help="seconds per API call")
    parser.add_argument("--case", type=int, choices=(1, 2, 3), action="append",
                        help="only this case (1, 2, 3 as in the table; repeatable)")
    parser.add_argument("--next-night", action="store_true",
                        help="also the pool cases' next night, a tenth of the sheets edited")
    args = parser.parse_args()
    n, k, p = args.cohorts, args.per_cohort, args.pool
    cases = [(f"{n} cohorts x {k}, one identity", n, k, 1), (f"{n} cohorts x {k}, a pool of {p}", n, k, p),
             (f"1 cohort x {n * k}, a pool of {p}", 1, n * k, p)]
    chosen = [case for i, case in enumerate(cases, 1) if not args.case or i in args.case]
    nights = [school_night(*case, args.leads, args.latency, next_night=args.next_night and case[3] > 1)
              for case in chosen]
    rows, later = [n[0] for n in nights], [n[1] for n in nights if len(n) > 1]
    print("\n| night | students | identities | Sheets reads | write calls | busiest identity"
          " | 429s | failed | wall | floor of the shared quota | wall / floor |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows + later:
        print(f"| {r['label']} | {r['students']:,} | {r['pool']} | {r['reads']:,} | {r['writes']:,} |"
              f" {r['busiest']:,} calls | {r['429']} | {r['failed']} | {r['wall'] / 60:.1f} min |"
              f" {r['floor'] / 60:.1f} min | {r['ratio']:.2f}x |")
    pooled = [r for r in rows if r["pool"] > 1] or rows
    worst = max(pooled, key=lambda r: r["ratio"])
    print(f"school: first night {worst['ratio']:.2f}x its floor, {sum(r['429'] for r in pooled)} 429s")


if __name__ == "__main__":
    main()
