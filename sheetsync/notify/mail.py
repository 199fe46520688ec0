"""E-mail over SMTP (STARTTLS when asked; the password from an environment variable,
never from the config file): the staff alert, and the digests one message at a time.

Every exchange (connecting with its greeting, STARTTLS and login; one message; the staff
alert whole) has a deadline (sheetsync.notify.outward). Digests go one by one over one
connection: an address the server refuses is that message's outcome, not the night's,
and a connection that fails is opened again for the next message."""
from __future__ import annotations

import os
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Callable

from sheetsync.notify.outward import Budget, exchange, redact

STRIKES = 2        # connection-level failures in a row before the rest wait for the next night


def compose(alerts: dict, to: list[str], subject: str, text: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = alerts["smtp_from"]
    message["To"] = ", ".join(to)
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=alerts["smtp_from"].rpartition("@")[2] or "sheetsync")
    message.set_content(text)
    return message


def password(alerts: dict) -> str:
    return os.environ.get(alerts["smtp_password_env"], "")


def describe(alerts: dict, error: BaseException) -> str:
    """An SMTP error as one line, with no password (nor its base64 form) in it."""
    if isinstance(error, smtplib.SMTPResponseException):
        text = f"{error.smtp_code} {_answer(error.smtp_error)}"
    else:
        text = f"{type(error).__name__}: {error}"
    return redact(text, password(alerts))


def send_mail(alerts: dict, subject: str, text: str, seconds: float = 30, to: list[str] | None = None) -> None:
    """To staff (`[alerts] email_to`), or to `to`: the whole session within `seconds`."""
    message = compose(alerts, to or alerts["email_to"], subject, text)
    smtp = smtplib.SMTP(timeout=seconds)          # no host given: nothing sent yet
    try:
        with exchange(seconds, "e-mail") as guard:
            guard.watch(lambda: smtp.sock)
            _open(smtp, alerts)
            smtp.send_message(message)
            smtp.quit()
    finally:
        smtp.close()


@dataclass
class Delivery:
    """What became of each message of a batch."""
    sent: list[EmailMessage] = field(default_factory=list)
    refused: list[tuple[EmailMessage, int, str]] = field(default_factory=list)   # code, answer
    not_sent: list[tuple[EmailMessage, str]] = field(default_factory=list)       # why


def deliver_each(alerts: dict, messages: list[EmailMessage], budget: Budget, keep: float = 0.0,
                 sent: Callable | None = None, refused: Callable | None = None) -> Delivery:
    """Each message on its own, over one connection while it holds. `sent(message)` and
    `refused(message, code, answer)` are told as each goes (a restart loses no record);
    a 5xx refusal of the recipient is refused, a 4xx (try later) is not sent tonight.
    Stops when `budget` has no more than `keep` seconds left (kept for the staff alert)."""
    out, smtp, strikes = Delivery(), None, 0
    queue, i, retried = list(messages), 0, False
    try:
        while i < len(queue):
            message = queue[i]
            seconds = min(budget.call_seconds, budget.remaining() - keep)
            if seconds <= 0:
                out.not_sent += [(m, "no time left: the night's budget for outward work was spent")
                                 for m in queue[i:]]
                break
            if smtp is None:
                try:
                    smtp = connect(alerts, seconds)
                except (OSError, smtplib.SMTPException) as e:
                    why = f"the SMTP server could not be used: {describe(alerts, e)}"
                    out.not_sent += [(m, why) for m in queue[i:]]
                    break
                continue               # the connection took time: the message gets its own
            try:
                with exchange(seconds, "e-mail") as guard:
                    guard.watch(lambda: smtp.sock)
                    smtp.send_message(message)
            except smtplib.SMTPRecipientsRefused as e:
                code, answer = next(iter(e.recipients.values()))
                _outcome(out, alerts, message, code, answer, refused, recipient=True)
            except smtplib.SMTPResponseException as e:     # MAIL FROM or DATA refused
                _outcome(out, alerts, message, e.smtp_code, e.smtp_error, refused,
                         recipient=isinstance(e, smtplib.SMTPDataError))
            except (OSError, smtplib.SMTPException) as e:  # the connection: dropped, timed out
                _close(smtp)
                smtp, strikes = None, strikes + 1
                if strikes >= STRIKES:
                    why = f"the SMTP connection failed {strikes} times in a row: {describe(alerts, e)}"
                    out.not_sent += [(m, why) for m in queue[i:]]
                    break
                if not retried:        # once more on a new connection
                    retried = True
                    continue
                out.not_sent.append((message, f"the SMTP connection failed: {describe(alerts, e)}"))
            else:
                strikes = 0
                out.sent.append(message)
                if sent is not None:
                    sent(message)
            if smtp is not None and smtp.sock is None:     # smtplib closed it (a 421)
                smtp = None
            i, retried = i + 1, False
    finally:
        if smtp is not None:
            _quit(smtp, min(5.0, budget.remaining()))
    return out


def _outcome(out: Delivery, alerts: dict, message, code: int, answer, refused, recipient: bool) -> None:
    text = redact(_answer(answer), password(alerts))
    if recipient and code >= 500:           # permanent, and about this message's address
        out.refused.append((message, code, text))
        if refused is not None:
            refused(message, code, text)
    else:
        out.not_sent.append((message, f"the SMTP server answered {code} {text}"))


def connect(alerts: dict, seconds: float) -> smtplib.SMTP:
    """A session ready to send (greeting, STARTTLS, login), within `seconds`."""
    smtp = smtplib.SMTP(timeout=seconds)
    try:
        with exchange(seconds, "SMTP connection") as guard:
            guard.watch(lambda: smtp.sock)
            _open(smtp, alerts)
    except BaseException:
        smtp.close()
        raise
    return smtp


def _open(smtp: smtplib.SMTP, alerts: dict) -> None:
    smtp._host = alerts["smtp_host"]        # what SMTP(host) keeps for STARTTLS's server name
    smtp.connect(alerts["smtp_host"], alerts["smtp_port"])
    if alerts["smtp_starttls"]:
        smtp.starttls()
    secret = password(alerts)
    if alerts["smtp_user"] and secret:
        smtp.login(alerts["smtp_user"], secret)


def _quit(smtp: smtplib.SMTP, seconds: float) -> None:
    try:
        with exchange(seconds, "SMTP quit") as guard:
            guard.watch(lambda: smtp.sock)
            smtp.quit()
    except (OSError, smtplib.SMTPException):
        pass
    finally:
        smtp.close()


def _close(smtp: smtplib.SMTP) -> None:
    try:
        smtp.close()
    except OSError:
        pass


def _answer(answer) -> str:
    text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
    return " ".join(text.split())
