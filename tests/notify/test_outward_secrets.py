"""No secret in any output: a webhook URL's path and token, a ping URL's uuid and
user:password, the SMTP password never reach stdout, stderr, the logs, the reports or
the alerts, also when a library put the URL into its error text."""
import base64
import json
import logging
import sqlite3

import requests
from click.testing import CliRunner

from sheetsync.backends.xlsx import XlsxBackend
from sheetsync.cli import main
from sheetsync.notify.outward import redact
from tests.notify.outward_setup import break_one_workbook, configure

WEBHOOK_SECRETS = ("T0SECRET1", "B0SECRET2", "xoxbWebhookSecret", "QueryTok3n")
PING_SECRETS = ("PingPassw0rd", "pinguser", "5f2b7c1e-aaaa-bbbb-cccc-0123456789ab")
SMTP_PASSWORD = "SmtpPassw0rd!"


def test_no_secret_reaches_any_output(demo_config, now, http_peer, smtp_server, monkeypatch, capfd, caplog):
    port, inbox = smtp_server
    monkeypatch.setenv("SHEETSYNC_SMTP_PASSWORD", SMTP_PASSWORD)
    webhook = f"{http_peer.url}/fail/services/T0SECRET1/B0SECRET2/xoxbWebhookSecret?token=QueryTok3n"
    ping = f"http://pinguser:PingPassw0rd@{http_peer.url[7:]}/fail/5f2b7c1e-aaaa-bbbb-cccc-0123456789ab"
    config = configure(demo_config, now, alerts={
        "webhook": webhook, "email_to": ["lia@skolan.se"], "smtp_host": "127.0.0.1", "smtp_port": port,
        "smtp_user": "sheetsync", "smtp_from": "sheetsync@skolan.se",     # login refused: no AUTH here
        "exchange_timeout_seconds": 5}, monitoring={"ping_url": ping})
    workbook = XlsxBackend(config).path(XlsxBackend(config).roster()[0])
    good_bytes = workbook.read_bytes()
    student = break_one_workbook(config)
    caplog.set_level(logging.DEBUG)
    runner = CliRunner()
    bad_night = runner.invoke(main, ["run", "--config", str(config.path), "--now", now.isoformat()])
    assert bad_night.exit_code == 1
    workbook.write_bytes(good_bytes)                                        # a good night: the ping
    good_night = runner.invoke(main, ["run", "--config", str(config.path), "--now", now.isoformat()])
    assert good_night.exit_code == 0, good_night.output
    assert [(m, p.split("/")[1]) for m, p, _ in http_peer.seen] == [("POST", "fail"), ("GET", "fail")]

    out, err = capfd.readouterr()
    reports = [p.read_text(encoding="utf-8") for p in (config.state_path.parent / "reports").glob("*.json")]
    with sqlite3.connect(config.state_path) as db:
        stored = [r for row in db.execute("SELECT report, summary FROM runs") for r in row]
    alert_bodies = [body.decode() for _, _, body in http_peer.seen]
    everything = "\n".join([bad_night.output, good_night.output, out, err, caplog.text, *reports, *stored,
                            *alert_bodies, *(m for _, m in inbox.messages)])
    secrets = WEBHOOK_SECRETS + PING_SECRETS + (SMTP_PASSWORD, base64.b64encode(SMTP_PASSWORD.encode()).decode())
    assert not [s for s in secrets if s in everything]
    # ...and what is left still says what went wrong, and where
    assert "webhook alert not delivered: 127.0.0.1 answered 500" in bad_night.output
    assert "e-mail alert" in bad_night.output and "ping not delivered: 127.0.0.1 answered 500" in good_night.output
    assert f"{student.id}" in alert_bodies[0]


def test_the_url_a_library_put_into_its_error_is_shown_as_its_host(http_peer):
    secret_url = f"{http_peer.url}/fail/services/T0SECRET1/B0SECRET2/xoxbWebhookSecret?token=QueryTok3n"
    try:
        requests.post(secret_url, json={}, timeout=5).raise_for_status()
    except requests.HTTPError as e:
        said_by_requests = str(e)                   # "... for url: http://127.0.0.1:.../services/..."
    down = "http://127.0.0.1:9/services/T0SECRET1/B0SECRET2/xoxbWebhookSecret"
    try:
        requests.post(down, json={}, timeout=5)
    except requests.ConnectionError as e:
        said_by_urllib3 = str(e)                    # "... with url: /services/... (Caused by ...)"
    for text, url in ((said_by_requests, secret_url), (said_by_urllib3, down)):
        assert "xoxbWebhookSecret" in text          # the libraries do put it there
        shown = redact(text, url)
        assert not [s for s in WEBHOOK_SECRETS if s in shown], shown
        assert "127.0.0.1" in shown
    assert redact("at https://u:p4ssw0rd@hc-ping.com/5f2b7c1e-aaaa?x=1 now") == "at https://hc-ping.com/… now"
    assert json.dumps(redact(f"login failed for {SMTP_PASSWORD}", SMTP_PASSWORD)).count("Passw0rd") == 0
