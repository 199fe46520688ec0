"""Read and write 1,000 demo workbooks with the local backend, and print the figures.

    python -m benchmarks.local [--students 1000]

- read: XlsxBackend.read (python-calamine's values, formulas and marks from the sheet
  and workbook XML), and openpyxl's read-only mode (the reader before it);
- write: a first night's plan for every workbook (owned columns, colours, marks, the
  summary tab) by patching the XML (today's writer), and the same through an openpyxl
  load and save (the writer before it: it rewrote the whole file);
- the nightly job over the whole folder, for the demo's own figure.
"""
import argparse
import datetime as dt
import shutil
import tempfile
import time
from pathlib import Path

from openpyxl import load_workbook

from jobs.nightly import run_nightly
from sheetsync import load_config
from sheetsync.backends.xlsx import XlsxBackend
from sheetsync.demo import generate_cohort, write_demo
from sheetsync.normalize import read_crm
from sheetsync.writeback.sheet import plan_student

NOW = dt.date(2026, 5, 12)


def timed(fn):
    cpu0, wall0 = time.process_time(), time.perf_counter()
    out = fn()
    return out, time.perf_counter() - wall0, time.process_time() - cpu0


def first_night_plans(backend, students):
    plans = []
    for s in students:
        book = backend.read(s)
        reading = read_crm(book, year=NOW.year)
        rows = len(book.tabs[reading.tab].rows)
        per_row = {"flags": {r: "CL05 kontrollera" for r in range(2, rows + 1, 3)},
                   "state": {r: "öppen" for r in range(2, rows + 1)},
                   "next": {r: "Ring först" for r in range(2, rows + 1)}}
        summary = [["sheetsync: sammanfattning"], ["Senast uppdaterad", NOW.isoformat()], ["Leads", rows]]
        plans.append((s, book, plan_student(s.id, book, reading.tab, reading.normalized.header_row,
                                            per_row, summary, "sv")))
    return plans


def openpyxl_read(path):
    """What the reader before did: openpyxl's read-only mode, cached values."""
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}
    finally:
        book.close()


def openpyxl_write(backend, plans):
    """What the writer before did: load the whole workbook, set the cells, save it all."""
    for s, _, plan in plans:
        path = backend.path(s)
        book = load_workbook(path)
        for title in plan.new_tabs:
            book.create_sheet(title)
        for w in plan.writes:
            book[w.tab].cell(row=w.row, column=w.col).value = w.value
        book.save(path)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--students", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "demo"
        config = load_config(write_demo(folder, generate_cohort(args.students, 1, NOW)))
        pristine = Path(tmp) / "pristine"
        shutil.copytree(folder / "students", pristine)
        backend = XlsxBackend(config)
        students = backend.roster()
        size = sum(p.stat().st_size for p in pristine.glob("*.xlsx")) / 1e6
        print(f"{len(students):,} demo workbooks, {size:.1f} MB")

        _, wall, cpu = timed(lambda: [backend.read(s) for s in students])
        print(f"read, XlsxBackend (calamine + XML for formulas, marks): {wall:6.1f} s wall, {cpu:6.1f} s CPU")
        _, wall, cpu = timed(lambda: [openpyxl_read(backend.path(s)) for s in students])
        print(f"read, openpyxl read-only mode (before):          {wall:6.1f} s wall, {cpu:6.1f} s CPU")

        plans = first_night_plans(backend, students)
        _, wall, cpu = timed(lambda: [backend.write(s, plan, book) for s, book, plan in plans])
        print(f"write, patching the XML (today):              {wall:6.1f} s wall, {cpu:6.1f} s CPU")
        shutil.rmtree(folder / "students")
        shutil.copytree(pristine, folder / "students")
        _, wall, cpu = timed(lambda: openpyxl_write(backend, plans))
        print(f"write, openpyxl load + save (before):         {wall:6.1f} s wall, {cpu:6.1f} s CPU")

        shutil.rmtree(folder / "students")
        shutil.copytree(pristine, folder / "students")
        report, wall, cpu = timed(lambda: run_nightly(config, now=NOW))
        print(f"nightly job, first night ({report.count('ok')} ok):           {wall:6.1f} s wall, {cpu:6.1f} s CPU")
        report, wall, cpu = timed(lambda: run_nightly(config, now=NOW))
        print(f"nightly job, second night (reads what it wrote): {wall:6.1f} s wall, {cpu:6.1f} s CPU")


if __name__ == "__main__":
    main()
