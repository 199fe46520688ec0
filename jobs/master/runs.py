"""Every run: when, how long, what it did, what failed (oldest first, as a log reads
and as the LIA-over-time chart wants it)."""
from __future__ import annotations

import datetime as dt

from jobs.report import LISTED_KINDS, NIGHT

HEADER = {"sv": ["Körning", "Start (UTC)", "Bedömd dag", "Sekunder", "OK", "Hoppade över", "Misslyckade",
                 "LIA säkrade", "Läsningar", "Skrivningar", "Fel", "Slag"],
          "en": ["Run", "Started (UTC)", "Judged on", "Seconds", "OK", "Skipped", "Failed",
                 "LIA secured", "Reads", "Writes", "Errors", "Kind"]}
# the kind of each run, so staff tell the night from a run for one student or the watch's
KIND = {"sv": {"night": "natt", "nightly": "natt", "student": "enskilda elever",
               "watch": "bevakning", "master": "bara mastern"},
        "en": {"night": "night", "nightly": "night", "student": "some students",
               "watch": "watch", "master": "master only"}}


def _row(report: dict, finished: str | None, language: str) -> list:
    counts = report.get("counts", {})
    seconds = ""
    if finished and report.get("started"):
        seconds = round((dt.datetime.fromisoformat(finished)
                         - dt.datetime.fromisoformat(report["started"])).total_seconds())
    errors = [f"{s['id']}: {s['message']}" for s in report.get("students", []) if s["status"] == "failed"]
    calls = report.get("api_calls", {})
    return [report.get("run_id") or "", report.get("started", ""), report.get("judged_on", ""),
            seconds, counts.get("ok", 0), counts.get("skipped", 0), counts.get("failed", 0),
            report.get("lia_secured", 0), calls.get("reads", 0), calls.get("writes", 0),
            "; ".join(errors[:3]) + (f" (+{len(errors) - 3})" if len(errors) > 3 else ""),
            KIND[language].get(report.get("kind", NIGHT), report.get("kind", ""))]


def runs_tab(history: list[dict], current, language: str) -> list[list]:
    rows = [HEADER[language]]
    for run in sorted(history, key=lambda r: r["id"]):        # state.runs() is newest first
        listed = run["report"] and run["report"].get("kind", NIGHT) in LISTED_KINDS
        if listed and not run["dry_run"] and (current is None or run["id"] != current.run_id):
            rows.append(_row(run["report"], run["finished"], language))
    if current is not None:
        rows.append(_row(current.summary(), None, language))
    return rows
