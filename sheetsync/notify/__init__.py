"""Telling people how a night went: a webhook and/or e-mail to staff when a night has a
failed student, an undelivered digest or did not run, a dead-man's-switch ping when it
went well, and a Prometheus textfile for monitoring. All optional (`[alerts]`,
`[monitoring]`); a notification that fails is logged and never fails the night.

Every outward call has a deadline for its whole exchange (`[alerts]
exchange_timeout_seconds`), and a night's outward work, digests and alerts together, a
budget (`outward_budget_seconds`); the digests leave enough of it for the staff alert,
which then says what was not delivered. No error text leaves here with a secret in it
(sheetsync.notify.outward.redact)."""
from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

from sheetsync.notify.mail import password, send_mail
from sheetsync.notify.metrics import write_textfile
from sheetsync.notify.outward import Budget, OutwardTimeout, Undelivered, redact
from sheetsync.notify.webhook import ping, post_webhook

log = logging.getLogger("sheetsync.notify")


def budget_for(config, report=None) -> Budget:
    """The night's outward budget, started at its first use and kept with the night's
    report, so the digests (during the night) and the alerts (after it) share it."""
    kept = getattr(report, "_outward_budget", None)
    if kept is None:
        alerts = config.alerts
        kept = Budget(alerts["outward_budget_seconds"], alerts["exchange_timeout_seconds"])
        if report is not None:
            report._outward_budget = kept       # not a dataclass field: never in the report's JSON
    return kept.start()


def reserve(config) -> float:
    """Time the digests leave for what is told after them: one exchange per channel, at
    most half the budget (a budget set below that still lets the digests start)."""
    alerts = config.alerts
    calls = bool(alerts["webhook"]) + bool(alerts["email_to"]) + bool(config.monitoring["ping_url"])
    return min(calls * alerts["exchange_timeout_seconds"], alerts["outward_budget_seconds"] / 2)


def secrets(config) -> tuple[str, ...]:
    """What no output may show: the webhook and ping URLs (their paths and tokens) and
    the SMTP password."""
    return config.alerts["webhook"], config.monitoring["ping_url"], password(config.alerts)


def alert_text(config, report=None, error: str | None = None) -> tuple[str, str] | None:
    """(subject, body) when staff must hear about this night, else None."""
    cohort = config.cohort["name"]
    if error:
        return (f"sheetsync {cohort}: the night did not run",
                redact(f"The nightly run for {cohort} did not run: {error}", *secrets(config)))
    failed = [s for s in report.students if s.status == "failed"]
    refused, undelivered = report.digests_refused, report.undelivered
    if not failed and not report.master_error and not report.interrupted and not refused and not undelivered:
        return None
    lines = [f"The nightly run {report.run_id} for {cohort} (judged as of {report.judged_on}):",
             f"{report.count('ok')} ok, {report.count('skipped')} skipped, {len(failed)} failed."]
    lines += [f"- {s.name} ({s.id}): {s.message}" for s in failed]
    if report.master_error:
        lines.append(f"- the master: {report.master_error}")
    if report.interrupted:
        lines.append(f"- {report.interrupted}")
    if refused:
        lines.append(f"The SMTP server refused the weekly digest to {len(refused)} student(s);"
                     " their address is tried again next week (check it in the roster):")
        lines += [f"- {r['name']} ({r['id']}) <{r['address']}>: {r['answer']}" for r in refused]
    if undelivered:
        lines.append("Not delivered tonight:")
        lines += [f"- {u}" for u in undelivered]
    if failed or report.master_error or report.interrupted:
        subject = f"{len(failed)} student(s) failed tonight"
    elif refused:
        subject = f"the digest address of {len(refused)} student(s) was refused"
    else:
        subject = "not everything was delivered tonight"
    return f"sheetsync {cohort}: {subject}", redact("\n".join(lines), *secrets(config))


def after_night(config, report=None, *, error: str | None = None, duration_s: float = 0.0) -> list[str]:
    """Everything configured, for a night that ran (`report`) or did not (`error`), within
    what is left of the night's outward budget; returns what could not be told, which
    the report (and its saved copies) then lists too."""
    problems: list[str] = []
    alerts, monitoring = config.alerts, config.monitoring
    budget = budget_for(config, report)
    message = alert_text(config, report, error)
    calls = []
    if message and alerts["webhook"]:
        calls.append(("webhook alert", post_webhook, (alerts["webhook"], alerts["webhook_format"], *message)))
    if message and alerts["email_to"]:
        calls.append(("e-mail alert", send_mail, (alerts, *message)))
    if report is not None and report.ok and not report.interrupted and monitoring["ping_url"]:
        calls.append(("ping", ping, (monitoring["ping_url"],)))
    for what, fn, args in calls:
        seconds = budget.call()
        if seconds <= 0:
            problems.append(f"{what} not delivered: the night's budget for outward work"
                            f" ({budget.seconds} s) was spent")
            continue
        _try(problems, config, what, fn, *args, seconds)
    if monitoring["prometheus_textfile"]:
        _try(problems, config, "metrics", write_textfile, config.resolve(monitoring["prometheus_textfile"]),
             report, error, duration_s)
    for p in problems:
        log.warning("could not notify: %s", p)
    if report is not None and problems:
        report.undelivered += problems
        _amend_saved_report(config, report)
    return problems


def _try(problems: list, config, what: str, fn, *args) -> None:
    try:
        fn(*args)
    except (Undelivered, OutwardTimeout) as e:
        problems.append(redact(f"{what} not delivered: {e}", *secrets(config)))
    except Exception as e:           # a notification must never fail the night
        problems.append(redact(f"{what} not delivered: {type(e).__name__}: {e}", *secrets(config)))


def _amend_saved_report(config, report) -> None:
    """The night's report was saved before it was told; what could not be told is added
    to the state store's copy and the JSON beside it."""
    if report.run_id is None:
        return
    from sheetsync.errors import SheetsyncError
    from sheetsync.state import StateStore
    try:
        with StateStore(config.state_path) as state:
            state.finish_run(report.run_id, report.finished, report.to_dict(compact=True), report.summary())
        if report.saved_to:
            Path(report.saved_to).write_text(report.to_json(), encoding="utf-8")
    except (SheetsyncError, OSError, sqlite3.Error) as e:
        log.warning("could not add the undelivered notifications to report %s: %s", report.run_id, e)
