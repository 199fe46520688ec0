"""`sheetsync student export STUDENT_ID --out DIR`: everything the service holds about one
student, in files a person can open (GDPR art. 15), and nothing of any other student.

- sheet-<tab>.csv: their sheet as last read (with the flags, states and next steps the
  service wrote into it);
- draws.csv: each lottery draw they took part in, with their own place and outcome only;
- cell_changes.csv: the cells of their sheet a cleanup changed (old and new value) and
  whether an undo put them back;
- runs.json: what each kept run report says about them;
- digests.csv: the weekly digests sent to them; calendar.ics: their calendar;
- README.txt: what each file is, in the cohort's language.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import sqlite3
import zlib
from pathlib import Path

from sheetsync.config import Config
from sheetsync.errors import ConfigError
from sheetsync.normalize import read_crm
from sheetsync.workbook import Workbook
from sheetsync.privacy.files import calendar_folder, copy_private, private_dir, write_private

README = {
    "sv": """Det här är allt som tjänsten sheetsync har sparat om dig ({student}), utanför ditt eget kalkylark,
exporterat {date}. Inget i filerna handlar om någon annan student.

{files}
Frågor om dina uppgifter, eller om du vill att de raderas: kontakta skolan.
""",
    "en": """This is everything the sheetsync service keeps about you ({student}) outside your own
spreadsheet, exported on {date}. Nothing in these files is about any other student.

{files}
Questions about your data, or if you want it erased: contact the school.
""",
}
FILES = {
    "sheet": {"sv": "Ditt kalkylark ({tab}) som tjänsten senast läste det ({taken}), med flaggor, läge och"
                    " nästa steg som tjänsten skrev in.",
              "en": "Your spreadsheet ({tab}) as the service last read it ({taken}), with the flags, states"
                    " and next steps the service wrote into it."},
    "draws.csv": {"sv": "Varje lottning om ett företag som fler än taket ville ha och där du var med: din plats"
                        " i den dragna ordningen och utfallet för dig (aldrig vilka de andra är).",
                  "en": "Every draw for a company more students wanted than the cap allows, that you took part"
                        " in: your place in the drawn order and your outcome (never who the others are)."},
    "cell_changes.csv": {"sv": "Celler i ditt ark som en städning ändrade (gammalt och nytt värde), och om"
                               " ändringen ångrades.",
                         "en": "Cells of your sheet that a cleanup changed (old and new value), and whether"
                               " the change was undone."},
    "runs.json": {"sv": "Vad varje sparad körningsrapport säger om ditt ark (läst, flaggor, fel).",
                  "en": "What each kept run report says about your sheet (read, flags, errors)."},
    "digests.csv": {"sv": "Veckobreven som skickades till dig (vecka, hur, när).",
                    "en": "The weekly digests sent to you (week, how, when)."},
    "calendar.ics": {"sv": "Din kalender med uppföljningar och deadlines.",
                     "en": "Your calendar of follow-ups and deadlines."},
}
OUTCOME = {"sv": {"lost": "lotten föll inte på dig", "kept": "du fick en plats",
                  "gone": "du har inte längre företaget"},
           "en": {"lost": "the draw did not pick you", "kept": "you got a place",
                  "gone": "you no longer hold the company"}}


def _csv(header: list[str], rows: list[list]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def export_student(config: Config, student: str, out: Path, *, today: str | None = None) -> list[Path]:
    """Write the files into `out` (made owner-only: they hold personal data); return them."""
    import datetime as dt
    if not config.state_path.exists():
        raise ConfigError(f"no state store at {config.state_path}: the service holds nothing yet")
    language = config.language
    db = sqlite3.connect(f"file:{config.state_path}?mode=ro", uri=True, timeout=30)
    try:
        snapshot = db.execute("SELECT taken_on, data FROM snapshots WHERE student = ?", (student,)).fetchone()
        draws = db.execute("SELECT company_key, round, candidates, draw_order FROM draws"
                           " ORDER BY company_key, round").fetchall()
        writes = db.execute("SELECT c.run_id, r.started, c.tab, c.cell, c.old_value, c.new_value, u.at"
                            " FROM cell_writes c LEFT JOIN runs r ON r.id = c.run_id"
                            " LEFT JOIN undone u ON u.run_id = c.run_id WHERE c.student = ?"
                            " ORDER BY c.rowid", (student,)).fetchall()
        digests = db.execute("SELECT week, how, at FROM digests WHERE student = ? ORDER BY week",
                             (student,)).fetchall()
        runs = db.execute("SELECT id, started, judged_on, report FROM runs WHERE report IS NOT NULL"
                          " ORDER BY id").fetchall()
    finally:
        db.close()
    entries = []
    for run_id, started, judged_on, report in runs:
        for s in json.loads(report).get("students", []):
            if s.get("id") == student:
                entries.append({"run": run_id, "started": started, "judged_on": judged_on, **s})
    if not (snapshot or entries or writes or digests):
        raise ConfigError(f"the service holds nothing about {student!r} (no sheet read, no run report):"
                          " check the id")
    private_dir(out)
    made, described = [], []

    book = json.loads(zlib.decompress(snapshot[1])) if snapshot else {"tabs": []}
    lost = set()
    for tab in book["tabs"]:
        name = "sheet-" + re.sub(r"[^\w-]+", "_", tab["title"]).strip("_") + ".csv"
        made.append(write_private(out / name, _csv([], tab["rows"]).lstrip("\r\n")))
        described.append((name, FILES["sheet"][language].format(tab=tab["title"], taken=snapshot[0])))

    if snapshot:
        lost = lost_in_draw(Workbook.from_json(book, None), student, config)
    mine = []
    for key, round_, candidates, order in draws:
        drawn = json.loads(order)
        if student in drawn:
            outcome = OUTCOME[language]["lost" if key in lost else "kept"]
            mine.append([key, round_, drawn.index(student) + 1, len(drawn), outcome])
    made.append(write_private(out / "draws.csv", _csv(
        ["company_key", "round", "your_place", "drawn_among", "outcome"], mine)))
    made.append(write_private(out / "cell_changes.csv", _csv(
        ["run", "run_started", "tab", "cell", "old_value", "new_value", "undone_at"], [list(w) for w in writes])))
    made.append(write_private(out / "runs.json", json.dumps(entries, ensure_ascii=False, indent=2)))
    made.append(write_private(out / "digests.csv", _csv(["week", "how", "sent_at"], [list(d) for d in digests])))
    for name in ("draws.csv", "cell_changes.csv", "runs.json", "digests.csv"):
        described.append((name, FILES[name][language]))
    ics = calendar_folder(config) / f"{student}.ics"
    if ics.exists():
        made.append(copy_private(ics, out / "calendar.ics"))
        described.append(("calendar.ics", FILES["calendar.ics"][language]))
    files = "".join(f"{name}\n    {text}\n\n" for name, text in described)
    made.append(write_private(out / "README.txt", README[language].format(
        student=student, date=today or dt.date.today().isoformat(), files=files)))
    return made


def lost_in_draw(workbook: Workbook, student: str, config) -> set[str]:
    """The company keys of the rows whose flags say the draw did not pick them (LC01)."""
    reading = read_crm(workbook, student=student, year=config.calendar["year"] or dt.date.today().year)
    if reading.tab is None:
        return set()
    frame = reading.normalized.frame
    key_of = dict(zip(frame["row"].tolist(), frame["company_key"].tolist()))
    return {key_of[r] for r, row in enumerate(workbook.tabs[reading.tab].rows, 1)
            if key_of.get(r) and any("(LC01)" in text or text.startswith("LC01 ") for text in row)}
