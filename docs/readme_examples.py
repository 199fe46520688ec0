"""Print the README's example of what a student sees, from the current demo (seed 1,
judged 2026-05-12), in Swedish and in English: a few rows of one student's CRM beside the
owned columns, and the top of their summary tab. `python docs/readme_examples.py`."""
from __future__ import annotations

import tempfile
from pathlib import Path

from openpyxl import load_workbook

from docs.render_pictures import NOW, telling
from jobs.nightly import run_nightly
from sheetsync import load_config
from sheetsync.demo import generate_cohort, write_demo
from sheetsync.normalize.headers import map_header

SUMMARY_ROWS = 24


def example(language: str, student: str | None = None) -> tuple[str, str]:
    with tempfile.TemporaryDirectory() as tmp:
        path = write_demo(Path(tmp) / "demo", generate_cohort(30, 1, NOW))
        path.write_text(path.read_text(encoding="utf-8").replace('language = "sv"', f'language = "{language}"'),
                        encoding="utf-8")
        config = load_config(path)
        run_nightly(config, now=NOW)
        files = sorted(config.resolve("students").glob("*.xlsx"))
        book_path = next(p for p in files if p.stem == student) if student else next(p for p in files if telling(p))
        book = load_workbook(book_path)
        rows = [[("" if v is None else str(v)) for v in r] for r in book.worksheets[0].iter_rows(values_only=True)]
        h = next(i for i, r in enumerate(rows) if any(v.startswith("⚑") for v in r))
        cols = {map_header(v)[0]: c for c, v in enumerate(rows[h]) if v}
        owned = [c for c, v in enumerate(rows[h]) if v.startswith("⚑")]
        show = [cols["company"], cols.get("status_raw", cols["company"])] + owned
        picked, seen = [], set()
        for r in rows[h + 1:]:
            kind = (r[owned[0]].split("(")[-1][:4] if r[owned[0]] else "") or r[owned[1]] or r[owned[2]][:5]
            if r[show[0]] and kind not in seen and len(picked) < 6:
                seen.add(kind)
                picked.append(r)
        table = ["| " + " | ".join(rows[h][c] for c in show) + " |", "|" + "---|" * len(show)]
        table += ["| " + " | ".join(r[c].replace("\n", "<br>") for c in show) + " |" for r in picked]
        summary = []
        for r in list(book["sheetsync"].iter_rows(values_only=True))[:SUMMARY_ROWS]:
            cells = ["" if v is None else str(v) for v in r]
            summary.append(f"{cells[0]:<46} {'  '.join(c for c in cells[1:] if c)}".rstrip() if cells else "")
        return book_path.stem, "\n".join(table) + "\n\n```text\n" + "\n".join(summary).rstrip() + "\n```"


def main() -> None:
    student, sv = example("sv")
    _, en = example("en", student)
    print(f"From the demo (`sheetsync demo --now 2026-05-12`, seed 1), the student {student},"
          f" first with `language = \"sv\"`:\n\n{sv}\n\nand the same sheet with `language = \"en\"`:\n\n{en}")


if __name__ == "__main__":
    main()
