"""Every run: when, how long, what it did, what failed (oldest first, as a log reads
and as the LIA-over-time chart wants it). Tonight's row is written before the night
ends: its seconds and calls are those so far (up to the master's own write), and its
last column says so; the next night's master shows the finished figures."""
from __future__ import annotations

import datetime as dt

from jobs.master.triage import problem_text
from jobs.night.outcome import LISTED_KINDS, NIGHT

HEADER = {"sv": ["Körning", "Start (UTC)", "Bedömd dag", "Sekunder", "OK", "Hoppade över", "Misslyckade",
                 "LIA säkrade", "Läsningar", "Skrivningar", "Fel", "Slag", "Klar (UTC)"],
          "en": ["Run", "Started (UTC)", "Judged on", "Seconds", "OK", "Skipped", "Failed",
                 "LIA secured", "Reads", "Writes", "Errors", "Kind", "Finished (UTC)"]}
# the kind of each run, so staff tell the night from a run for one student or the watch's
KIND = {"sv": {"night": "natt", "nightly": "natt", "student": "enskilda elever",
               "watch": "bevakning", "master": "bara mastern"},
        "en": {"night": "night", "nightly": "night", "student": "some students",
               "watch": "watch", "master": "master only"}}
RUNNING = {"sv": "pågår: siffrorna hittills", "en": "running: the figures so far"}


def _row(report: dict, finished: str | None, language: str, calls: dict | None = None,
         until: dt.datetime | None = None) -> list:
    counts = report.get("counts", {})
    seconds = ""
    end = dt.datetime.fromisoformat(finished) if finished else until
    if end is not None and report.get("started"):
        seconds = round((end - dt.datetime.fromisoformat(report["started"])).total_seconds())
    # a failed sheet in words (its problem's kind), the id naming the student; runs
    # saved before the kind was kept show their message
    errors = [f"{s['id']}: {problem_text(s['problem'], language) if s.get('problem') else s['message']}"
              for s in report.get("students", []) if s["status"] == "failed"]
    calls = calls if calls is not None else report.get("api_calls", {})
    return [report.get("run_id") or "", _minute(report.get("started", "")), report.get("judged_on", ""),
            seconds, counts.get("ok", 0), counts.get("skipped", 0), counts.get("failed", 0),
            report.get("lia_secured", 0), calls.get("reads", 0), calls.get("writes", 0),
            "; ".join(errors[:3]) + (f" (+{len(errors) - 3})" if len(errors) > 3 else ""),
            KIND[language].get(report.get("kind", NIGHT), report.get("kind", "")), _minute(finished or "")]


def _minute(stamp: str) -> str:
    """'2026-05-12T02:30:41+00:00' -> '2026-05-12 02:30' (the header says UTC)."""
    return stamp[:16].replace("T", " ") if stamp else ""


def runs_tab(history: list[dict], current, language: str, calls: dict | None = None) -> list[list]:
    """`calls`: tonight's API calls so far (the report's own are filled in at the end)."""
    rows = [HEADER[language]]
    for run in sorted(history, key=lambda r: r["id"]):        # state.runs() is newest first
        listed = run["report"] and run["report"].get("kind", NIGHT) in LISTED_KINDS
        if listed and not run["dry_run"] and (current is None or run["id"] != current.run_id):
            rows.append(_row(run["report"], run["finished"], language))
    if current is not None:
        tonight = _row(current.summary(), None, language, calls or None, dt.datetime.now(dt.timezone.utc))
        rows.append(tonight[:-1] + [RUNNING[language]])
    return rows
