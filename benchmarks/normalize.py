"""Normalise 100,000 lead rows spread over 1,000 sheets and print rows per second.

    python -m benchmarks.normalize [--students 1000] [--leads 100]

Target (issue 4): under 10 s on one core. Sheets come from the demo generator, so
layouts, languages, date and phone styles vary as in a real cohort.
"""
import argparse
import datetime as dt
import random
import time

from sheetsync.demo.cohort import generate_cohort
from sheetsync.normalize import normalize


def cohort_grids(students: int, leads: int, seed: int = 1) -> list[list[list]]:
    cohort = generate_cohort(students, seed, dt.date(2026, 5, 12))
    rng = random.Random(seed)
    grids = []
    for s in cohort.students:
        header_at = next(i for i, r in enumerate(s.rows) if len(r) > 3)
        body = [r for r in s.rows[header_at + 1:] if r]
        # a student who has only the header (the demo makes a few) stays without leads
        rows = s.rows[:header_at + 1] + [list(rng.choice(body)) for _ in range(leads if body else 0)]
        grids.append(rows)
    return grids


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--leads", type=int, default=100)
    args = parser.parse_args()
    grids = cohort_grids(args.students, args.leads)
    rows = sum(len(g) for g in grids)
    cpu0, wall0 = time.process_time(), time.perf_counter()
    total = sum(len(normalize(g, year=2026, student=str(i), tab="CRM").frame)
                for i, g in enumerate(grids))
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    print(f"normalised {total:,} leads ({rows:,} rows) in {len(grids):,} sheets")
    print(f"wall {wall:.2f} s, cpu {cpu:.2f} s, {total / wall:,.0f} leads/s (target: < 10 s)")


if __name__ == "__main__":
    main()
