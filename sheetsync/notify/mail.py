"""E-mail to staff over SMTP (STARTTLS when asked; the password from an environment
variable, never from the config file)."""
from __future__ import annotations

import os
import smtplib
from email.message import EmailMessage


def send_mail(alerts: dict, subject: str, text: str) -> None:
    message = EmailMessage()
    message["From"] = alerts["smtp_from"]
    message["To"] = ", ".join(alerts["email_to"])
    message["Subject"] = subject
    message.set_content(text)
    with smtplib.SMTP(alerts["smtp_host"], alerts["smtp_port"], timeout=30) as smtp:
        if alerts["smtp_starttls"]:
            smtp.starttls()
        password = os.environ.get(alerts["smtp_password_env"], "")
        if alerts["smtp_user"] and password:
            smtp.login(alerts["smtp_user"], password)
        smtp.send_message(message)
