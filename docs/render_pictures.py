"""Render what a student and a staff member see, from the current demo, to docs/img/.

    python docs/render_pictures.py        (needs LibreOffice and poppler-utils:
                                           apt-get install -y libreoffice-calc poppler-utils)

Runs `sheetsync demo` (seed 1, judged 2026-05-12) in a temporary folder, then renders the
real workbooks with LibreOffice headless: one student's CRM (their other columns hidden,
so the company and status stand beside the owned columns), their summary tab, and the
master's Students tab. Each is the file itself with only that tab left: the widths, row
heights and conditional colours are the sheet's own; the first page is shown.
"""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from jobs.nightly import run_nightly
from sheetsync import load_config
from sheetsync.demo import generate_cohort, write_demo
from sheetsync.normalize.headers import map_header

OUT = Path(__file__).parent / "img"
NOW = dt.date(2026, 5, 12)


STAFF_COLUMNS = ("Student", "Risk", "Varför", "Meddelande", "Leads", "Kvalitetsleads", "I dialog", "LIA",
                 "Försenade uppföljningar", "Dagar utan kontakt")


def telling(path: Path) -> bool:
    """A student whose sheet shows the most kinds of advice: a follow-up due, a company
    lost in the draw, and no LIA yet (a secured LIA ends the advice)."""
    lines = [str(r[0]) for r in load_workbook(path)["sheetsync"].iter_rows(values_only=True) if r and r[0]]
    return (any(line.startswith("Uppföljningar") for line in lines)
            and any(line.startswith("Lotten föll inte") for line in lines)
            and not any(line.startswith("LIA säkrad –") for line in lines))


def render(path: Path, tab: str, name: str, work: Path, show_columns=None) -> Path:
    """The workbook itself, with only `tab` left and (if given) only `show_columns`
    (1-based) visible: its own widths, row heights, fonts and conditional formats, as
    LibreOffice prints it, fitted to the page's width; the first page as a PNG."""
    book = load_workbook(path)
    for other in [ws for ws in book.worksheets if ws.title != tab]:
        book.remove(other)
    ws = book[tab]
    if show_columns:
        for c in range(1, ws.max_column + 1):
            if c not in show_columns:
                ws.column_dimensions[get_column_letter(c)].hidden = True
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    copy = work / f"{name}.xlsx"
    book.save(copy)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(copy)],
                   check=True, capture_output=True, timeout=180)
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile",
                    str(work / f"{name}.pdf"), str(OUT / name)], check=True, timeout=60)
    return OUT / f"{name}.png"


def main() -> None:
    if not shutil.which("soffice") or not shutil.which("pdftoppm"):
        sys.exit("needs LibreOffice (soffice) and poppler-utils (pdftoppm)")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        config = load_config(write_demo(work / "demo", generate_cohort(30, 1, NOW)))
        run_nightly(config, now=NOW)
        path = next(p for p in sorted(config.resolve("students").glob("*.xlsx")) if telling(p))
        crm = load_workbook(path).worksheets[0]
        header = next(r for r in crm.iter_rows() if any(c.value == "⚑ Flaggor" for c in r))
        by_name = {c.value: c.column for c in header if c.value}
        company = next(c for name, c in by_name.items() if map_header(name)[0] == "company")
        status = next((c for name, c in by_name.items() if map_header(name)[0] == "status_raw"), company)
        owned = [by_name["⚑ Flaggor"], by_name["⚑ Läge"], by_name["⚑ Nästa steg"]]
        master = config.resolve("master.xlsx")
        head = [c.value for c in load_workbook(master)["Studenter"][1]]
        staff = {head.index(h) + 1 for h in STAFF_COLUMNS if h in head}
        made = [render(path, crm.title, "student-crm", work, {company, status, *owned}),
                render(path, "sheetsync", "student-summary", work),
                render(master, "Studenter", "master-students", work, staff)]
    for p in made:
        print(f"wrote {p}")


if __name__ == "__main__":
    main()
