"""Run every rule over a 1,000-student x 100-lead cohort and print the time per rule.

    python -m benchmarks.rules [--students 1000] [--leads 100]

Target (issue 5): all rules over 100,000 leads in under 5 s. The cross-student cap
groups by company key; nothing compares names pairwise across the cohort.
"""
import argparse
import datetime as dt
import time

import pandas as pd

from benchmarks.normalize import cohort_grids
from sheetsync.engine.context import Calendar, RuleContext
from sheetsync.engine.registry import registry
from sheetsync.normalize import normalize


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=1000)
    parser.add_argument("--leads", type=int, default=100)
    args = parser.parse_args()
    frame = pd.concat([normalize(g, year=2026, student=f"s{i}", tab="CRM").frame
                       for i, g in enumerate(cohort_grids(args.students, args.leads))],
                      ignore_index=True)
    now = dt.date(2026, 5, 12)
    calendar = Calendar.default(2026)
    total = 0.0
    for code, rule in registry().items():
        ctx = RuleContext(now=now, calendar=calendar, settings=dict(rule.config))
        start = time.process_time()
        found = rule().evaluate(frame, ctx)
        spent = time.process_time() - start
        total += spent
        print(f"{code}  {spent:6.3f} s  {len(found):7,} findings")
    print(f"all rules over {len(frame):,} leads of {frame['student'].nunique():,} students:"
          f" {total:.2f} s CPU (target: < 5 s)")


if __name__ == "__main__":
    main()
