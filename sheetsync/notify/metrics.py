"""A Prometheus textfile (for node_exporter's textfile collector): the last night's
figures, written atomically so a scrape never sees half a file."""
from __future__ import annotations

import os
import time
from pathlib import Path


def write_textfile(path: Path, report, error: str | None, duration_s: float) -> None:
    now = time.time()
    lines = []

    def metric(name: str, kind: str, help_: str, samples: list[tuple[str, float]]) -> None:
        lines.extend([f"# HELP {name} {help_}", f"# TYPE {name} {kind}"])
        lines.extend(f"{name}{labels} {value}" for labels, value in samples)

    ok = report is not None and not error and report.ok and not report.interrupted
    previous = _previous_success(path)
    metric("sheetsync_last_run_timestamp_seconds", "gauge", "When the last night ended.", [("", now)])
    metric("sheetsync_last_success_timestamp_seconds", "gauge", "When a night last went well.",
           [("", now if ok else previous)])
    metric("sheetsync_last_run_ok", "gauge", "1 when the last night went well.", [("", 1 if ok else 0)])
    if report is not None:
        metric("sheetsync_students", "gauge", "Students by outcome, last night.",
               [(f'{{status="{s}"}}', report.count(s)) for s in ("ok", "skipped", "failed")])
        calls = report.api_calls or {}
        metric("sheetsync_api_calls", "gauge", "API calls last night, by kind.",
               [(f'{{kind="{k}"}}', v) for k, v in sorted(calls.items()) if k in
                ("reads", "writes", "structural", "drive", "retries")])
        metric("sheetsync_http_429", "gauge", "429 answers met last night.", [("", calls.get("http_429", 0))])
    metric("sheetsync_run_duration_seconds", "gauge", "How long the last night took.", [("", round(duration_s, 3))])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, path)


def _previous_success(path: Path) -> float:
    try:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("sheetsync_last_success_timestamp_seconds "):
                return float(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0.0
