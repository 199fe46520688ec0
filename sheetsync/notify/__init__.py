"""Telling people how a night went: a webhook and/or e-mail to staff when a night has a
failed student or did not run, a dead-man's-switch ping when it went well, and a
Prometheus textfile for monitoring. All optional (`[alerts]`, `[monitoring]`); a
notification that fails is logged and never fails the night."""
from __future__ import annotations

import logging

from sheetsync.notify.mail import send_mail
from sheetsync.notify.metrics import write_textfile
from sheetsync.notify.webhook import ping, post_webhook

log = logging.getLogger("sheetsync.notify")


def alert_text(config, report=None, error: str | None = None) -> tuple[str, str] | None:
    """(subject, body) when staff must hear about this night, else None."""
    cohort = config.cohort["name"]
    if error:
        return (f"sheetsync {cohort}: the night did not run",
                f"The nightly run for {cohort} did not run: {error}")
    failed = [s for s in report.students if s.status == "failed"]
    if not failed and not report.master_error and not report.interrupted:
        return None
    lines = [f"The nightly run {report.run_id} for {cohort} (judged as of {report.judged_on}):",
             f"{report.count('ok')} ok, {report.count('skipped')} skipped, {len(failed)} failed."]
    lines += [f"- {s.name} ({s.id}): {s.message}" for s in failed]
    if report.master_error:
        lines.append(f"- the master: {report.master_error}")
    if report.interrupted:
        lines.append(f"- {report.interrupted}")
    return f"sheetsync {cohort}: {len(failed)} student(s) failed tonight", "\n".join(lines)


def after_night(config, report=None, *, error: str | None = None, duration_s: float = 0.0) -> list[str]:
    """Everything configured, for a night that ran (`report`) or did not (`error`);
    returns what went wrong while telling, for the log."""
    problems = []
    alerts, monitoring = config.alerts, config.monitoring
    message = alert_text(config, report, error)
    if message and alerts["webhook"]:
        _try(problems, "webhook", post_webhook, alerts["webhook"], alerts["webhook_format"], *message)
    if message and alerts["email_to"]:
        _try(problems, "e-mail", send_mail, alerts, *message)
    if not message and report is not None and monitoring["ping_url"]:
        _try(problems, "ping", ping, monitoring["ping_url"])
    if monitoring["prometheus_textfile"]:
        _try(problems, "metrics", write_textfile, config.resolve(monitoring["prometheus_textfile"]),
             report, error, duration_s)
    for p in problems:
        log.warning("could not notify: %s", p)
    return problems


def _try(problems: list, what: str, fn, *args) -> None:
    try:
        fn(*args)
    except Exception as e:           # a notification must never fail the night
        problems.append(f"{what}: {type(e).__name__}: {e}")
