"""A webhook body for Slack, Microsoft Teams or any receiver of plain JSON, and the
dead-man's-switch ping (healthchecks.io and the like: a GET that says "the night ran")."""
from __future__ import annotations

import requests

TIMEOUT = 15


def body(fmt: str, subject: str, text: str) -> dict:
    if fmt == "slack":
        return {"text": f"*{subject}*\n{text}"}
    if fmt == "teams":               # an Office 365 connector card's simplest form
        return {"@type": "MessageCard", "@context": "https://schema.org/extensions",
                "summary": subject, "title": subject, "text": text.replace("\n", "<br>")}
    return {"subject": subject, "text": text, "source": "sheetsync"}


def post_webhook(url: str, fmt: str, subject: str, text: str) -> None:
    reply = requests.post(url, json=body(fmt, subject, text), timeout=TIMEOUT)
    reply.raise_for_status()


def ping(url: str) -> None:
    requests.get(url, timeout=TIMEOUT).raise_for_status()
