"""E-mail to staff over SMTP (STARTTLS when asked; the password from an environment
variable, never from the config file)."""
from __future__ import annotations

import os
import smtplib
from email.message import EmailMessage
from email.utils import formatdate, make_msgid


def compose(alerts: dict, to: list[str], subject: str, text: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = alerts["smtp_from"]
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=alerts["smtp_from"].rpartition("@")[2] or "sheetsync")
    message.set_content(text)
    return message


def send_mail(alerts: dict, subject: str, text: str, to: list[str] | None = None) -> None:
    """To staff (`[alerts] email_to`), or to `to`; over `[alerts]`' SMTP server."""
    send_messages(alerts, [compose(alerts, to or alerts["email_to"], subject, text)])


def send_messages(alerts: dict, messages: list[EmailMessage], sent=None) -> None:
    """Every message over one SMTP connection (a digest night sends one per student);
    `sent(message)` is told after each, so a failure half way loses no record."""
    if not messages:
        return
    with smtplib.SMTP(alerts["smtp_host"], alerts["smtp_port"], timeout=30) as smtp:
        if alerts["smtp_starttls"]:
            smtp.starttls()
        password = os.environ.get(alerts["smtp_password_env"], "")
        if alerts["smtp_user"] and password:
            smtp.login(alerts["smtp_user"], password)
        for message in messages:
            smtp.send_message(message)
            if sent is not None:
                sent(message)
