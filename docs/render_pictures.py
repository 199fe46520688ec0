"""Render what a student and a staff member see, from the current demo, to docs/img/.

    python docs/render_pictures.py        (needs LibreOffice and poppler-utils:
                                           apt-get install -y libreoffice-calc poppler-utils)

Runs `sheetsync demo` (seed 1, judged 2026-05-12) in a temporary folder, then renders with
LibreOffice headless: one student's CRM (their company and status columns beside the
owned columns, as the sheet shows them), their summary tab, and the master's Students tab.
Each is a copy of the cells with their widths, fills and fonts, cut to what fits a page.
"""
from __future__ import annotations

import copy
import datetime as dt
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from openpyxl import Workbook, load_workbook

from jobs.nightly import run_nightly
from sheetsync import load_config
from sheetsync.demo import generate_cohort, write_demo

OUT = Path(__file__).parent / "img"
NOW = dt.date(2026, 5, 12)


def copy_columns(ws, columns: list[int], rows: int, target, widths: dict[int, float] | None = None):
    """The given columns of `ws` (1-based), first `rows` rows, into sheet `target`."""
    for new_c, c in enumerate(columns, 1):
        letter_old = ws.cell(1, c).column_letter
        letter_new = target.cell(1, new_c).column_letter
        target.column_dimensions[letter_new].width = (widths or {}).get(c) or \
            ws.column_dimensions[letter_old].width or 12
        for r in range(1, rows + 1):
            src, dst = ws.cell(r, c), target.cell(r, new_c)
            dst.value = src.value
            if src.has_style:
                dst.font, dst.alignment = copy.copy(src.font), copy.copy(src.alignment)
                dst.fill = copy.copy(src.fill)


def colour_like_the_sheet(target, state_col: int, next_col: int, first_col: int, last_col: int,
                          rows: int) -> None:
    """The owned columns' conditional colours, as fills (a copy keeps no rules)."""
    from openpyxl.styles import PatternFill

    from sheetsync.writeback.formats import AMBER, GREEN, GREY, RED

    def fill(rgb):
        hex_ = "".join(f"{round(255 * c):02X}" for c in rgb)
        return PatternFill("solid", start_color=hex_, end_color=hex_)
    for r in range(2, rows + 1):
        state, step = target.cell(r, state_col).value or "", target.cell(r, next_col).value or ""
        colour = (GREEN if state == "LIA" else GREY if state == "bearbetad" else
                  RED if step.startswith("Försenad") else
                  AMBER if step.startswith("Följ upp") and (dt.date.fromisoformat(step[-10:]) - NOW).days <= 3
                  else None)
        if colour:
            for c in range(first_col, last_col + 1):
                target.cell(r, c).fill = fill(colour)


def render(book: Workbook, name: str, work: Path) -> Path:
    ws = book.active
    ws.page_setup.orientation = "landscape"
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    path = work / f"{name}.xlsx"
    book.save(path)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(work), str(path)],
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
        path = sorted(config.resolve("students").glob("*.xlsx"))[0]
        book = load_workbook(path)
        ws = book.worksheets[0]
        header = next(r for r in ws.iter_rows() if any(c.value == "⚑ Flaggor" for c in r))
        by_name = {c.value: c.column for c in header if c.value}
        company = next(c for name, c in by_name.items() if name in ("Företagsnamn", "Företag", "Company", "Bolag"))
        status = by_name.get("Status") or company
        owned = [by_name["⚑ Flaggor"], by_name["⚑ Läge"], by_name["⚑ Nästa steg"]]
        view = Workbook()
        rows = min(ws.max_row, 24)
        copy_columns(ws, [company, status] + owned, rows, view.active)
        colour_like_the_sheet(view.active, 4, 5, 3, 5, rows)
        width = view.active.column_dimensions["C"].width or 60
        for r in range(2, rows + 1):        # a spreadsheet program grows wrapped rows itself
            text = str(view.active.cell(r, 3).value or "")
            view.active.row_dimensions[r].height = 15 * max(1, -(-len(text) // int(width)))
        made = [render(view, "student-crm", work)]
        summary = Workbook()
        copy_columns(book["sheetsync"], [1, 2, 3], 22, summary.active, {1: 40, 2: 30, 3: 26})
        made.append(render(summary, "student-summary", work))
        master = load_workbook(config.resolve("master.xlsx"))["Studenter"]
        head = [c.value for c in master[1]]
        wanted = [head.index(h) + 1 for h in ("Student", "Leads", "Kvalitetsleads", "I dialog", "LIA",
                                               "Risk", "Varför")]
        staff = Workbook()
        copy_columns(master, wanted, 16, staff.active,
                     {wanted[0]: 18, wanted[-1]: 44, **{c: 9 for c in wanted[1:-1]}})
        made.append(render(staff, "master-students", work))
    for p in made:
        print(f"wrote {p}")


if __name__ == "__main__":
    main()
