"""Minimising: what a night keeps of a contact's own data. A phone number or e-mail
address the normaliser could not read is named by its cell in the kept report (state
store and JSON file), not by what the cell holds; the night's own report object, shown
to staff at once, still says it."""
import json
import re
import sqlite3

from jobs.nightly import run_nightly
from sheetsync import load_config
from sheetsync.demo import generate_cohort, write_demo

BAD_PHONE, BAD_EMAIL = "070-19 ank", "qwerty.zed@"


def test_a_kept_report_names_an_unreadable_phone_or_email_by_its_cell_only(tmp_path, now):
    cohort = generate_cohort(students=4, seed=7, today=now)
    rows = cohort.students[0].rows
    phone = next((r, c) for r, row in enumerate(rows) for c, v in enumerate(row)
                 if isinstance(v, str) and v.startswith("+46"))
    email = next((r, c) for r, row in enumerate(rows) for c, v in enumerate(row)
                 if isinstance(v, str) and v.endswith(".se") and "@" in v)
    rows[phone[0]][phone[1]], rows[email[0]][email[1]] = BAD_PHONE, BAD_EMAIL
    config = load_config(write_demo(tmp_path / "demo", cohort))
    report = run_nightly(config, now=now)
    said = report.students[[o.id for o in report.students].index(cohort.students[0].id)].unparsed
    assert any(BAD_PHONE in u for u in said) and any(BAD_EMAIL in u for u in said)
    saved = (config.state_path.parent / "reports" / f"run-{report.run_id:05d}.json").read_text(encoding="utf-8")
    with sqlite3.connect(config.state_path) as db:
        stored = db.execute("SELECT report FROM runs WHERE id = ?", (report.run_id,)).fetchone()[0]
    for text in (saved, json.dumps(json.loads(stored), ensure_ascii=False)):
        assert BAD_PHONE not in text and BAD_EMAIL not in text
        kept = [u for s in json.loads(text)["students"] for u in s["unparsed"]]
        expected = {re.match(r"^(.*!\S+ (?:phone|email)) ", u).group(1) + " (value not kept)"
                    for u in said if BAD_PHONE in u or BAD_EMAIL in u}
        assert len(expected) == 2 and expected <= set(kept)
