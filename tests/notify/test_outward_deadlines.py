"""A night always ends: every outward call (webhook, ping, SMTP) has a deadline for its
whole exchange, and a night's outward work a budget, against real peers on 127.0.0.1
that never answer or send a byte a second (tests/notify/conftest.py). Each night here
must return while the peer is still stalling (it holds on for 60 s), say what was not
delivered, and leave the lock to the next night."""
import json

import pytest
from click.testing import CliRunner

from jobs.nightly import run_nightly
from sheetsync.cli import main
from tests.notify.outward_setup import address, break_one_workbook, configure

QUICK = {"exchange_timeout_seconds": 2, "outward_budget_seconds": 6}


def saved_reports(config) -> list[dict]:
    folder = config.state_path.parent / "reports"
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("run-*.json"))]


@pytest.mark.parametrize("peer_kind", ["never", "trickle"])
def test_a_webhook_that_never_answers_or_trickles_ends_the_night_and_the_next_one_starts(
        demo_config, now, http_peer, peer_kind):
    config = configure(demo_config, now, alerts={"webhook": f"{http_peer.url}/{peer_kind}/hook", **QUICK})
    break_one_workbook(config)
    runner = CliRunner()
    first = runner.invoke(main, ["run", "--config", str(config.path), "--now", now.isoformat()])
    assert first.exit_code == 1, first.output                  # a failed student, and over
    assert not http_peer.stalled_to_the_end.is_set()          # ...while the peer still stalled
    assert [s[1] for s in http_peer.seen] == [f"/{peer_kind}/hook"]
    report = saved_reports(config)[-1]
    assert any(u.startswith("webhook alert") and "not done within 2 s" in u for u in report["undelivered"])
    assert "not delivered: webhook alert" in first.output
    second = runner.invoke(main, ["run", "--config", str(config.path), "--now", now.isoformat()])
    assert second.exit_code == 1 and "another sheetsync run" not in second.output   # the lock was let go
    assert len(saved_reports(config)) == 2 and not http_peer.stalled_to_the_end.is_set()


def test_a_ping_that_trickles_ends_the_night(demo_config, now, http_peer):
    config = configure(demo_config, now, alerts=QUICK, monitoring={"ping_url": f"{http_peer.url}/trickle/uuid"})
    report = run_nightly(config, now=now)
    assert report.ok and not http_peer.stalled_to_the_end.is_set()
    assert [(s[0], s[1]) for s in http_peer.seen] == [("GET", "/trickle/uuid")]
    assert any(u.startswith("ping") and "not done within" in u for u in report.undelivered)


def test_an_smtp_server_that_trickles_its_greeting_ends_the_night_and_staff_hear_of_it(
        demo_config, now, http_peer, trickling_smtp):
    config = configure(demo_config, now, digest=True, alerts={
        "smtp_host": "127.0.0.1", "smtp_port": trickling_smtp.port, "smtp_from": "lia@skolan.se",
        "webhook": f"{http_peer.url}/ok", "email_to": ["lia@skolan.se"], **QUICK})
    report = run_nightly(config, now=now)
    assert not trickling_smtp.stalled_to_the_end.is_set()
    assert trickling_smtp.connections == 2                    # one for the digests, not one per student,
    assert report.digests == 0 and report.digests_not_sent == len(config.students)     # one for staff's
    digests, staff_mail = report.undelivered
    assert "SMTP server could not be used" in digests
    assert staff_mail.startswith("e-mail alert not delivered") and "not done within 2 s" in staff_mail
    alert = json.loads(next(body for method, path, body in http_peer.seen if path == "/ok"))
    assert f"{len(config.students)} weekly digest(s) not sent" in alert["text"]


def test_the_budget_ends_the_digests_and_the_next_night_sends_only_the_rest(demo_config, now, http_peer,
                                                                            picky_smtp):
    port, inbox = picky_smtp
    inbox.pause_s = 1.0                      # a slow server: a second for every recipient
    config = configure(demo_config, now, digest=True, alerts={
        "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_from": "lia@skolan.se",
        "webhook": f"{http_peer.url}/ok", "exchange_timeout_seconds": 2, "outward_budget_seconds": 5})
    everyone = len(config.students)
    report = run_nightly(config, now=now)
    assert 1 <= report.digests < everyone                     # 3 s for digests, 2 kept for the alert
    assert report.digests == len(inbox.messages)              # the count is what arrived
    assert report.digests + report.digests_not_sent == everyone
    assert any("no time left" in u for u in report.undelivered)
    alert = json.loads(next(body for method, path, body in http_peer.seen if path == "/ok"))
    assert f"{report.digests_not_sent} weekly digest(s) not sent" in alert["text"]

    inbox.pause_s = 0.0
    again = run_nightly(config, now=now)
    assert again.digests == everyone - report.digests and again.digests_not_sent == 0
    arrived = sorted(rcpt for rcpts, _ in inbox.messages for rcpt in rcpts)
    assert arrived == sorted(address(s) for s in config.students)      # each student once


def test_a_google_request_answered_a_byte_a_second_is_cut_and_retried_as_a_timeout(demo_cohort, tmp_path, http_peer):
    """The Google backend's own session (gspread's, authorised by the fake's token
    endpoint) asked for a URL on the trickling peer: each attempt is cut at `[quota]
    request_timeout_seconds`, retried as a dropped call, then one clear error."""
    from sheetsync import load_config
    from sheetsync.backends.google import GoogleBackend
    from sheetsync.demo.google import upload_cohort
    from sheetsync.errors import BackendError
    from sheetsync.testing import FakeGoogle
    with FakeGoogle() as google:
        config, _, _ = upload_cohort(google, demo_cohort, tmp_path)
        config.path.write_text(config.path.read_text(encoding="utf-8") + "[quota]\nrequest_timeout_seconds = 2\n",
                               encoding="utf-8")
        backend = GoogleBackend(load_config(config.path), sleep=lambda s: None, max_attempts=2)
        google._mock.add_passthru(http_peer.url)          # the fake answers Google; this peer is real
        with pytest.raises(BackendError, match=r"Google did not answer \(ReadTimeout\)"):
            backend._call("drive", lambda: backend.http.request("get", f"{http_peer.url}/trickle/files"),
                          None, "a-sheet")
        assert [p for _, p, _ in http_peer.seen] == ["/trickle/files"] * 2     # tried twice, each cut
        assert not http_peer.stalled_to_the_end.is_set()
        backend.roster()                                                    # and the fake still answers
        assert backend.versions()


def test_a_token_endpoint_that_trickles_is_cut_at_the_deadline_too(demo_cohort, tmp_path, http_peer):
    """google-auth refreshes a token through a session of its own, beside gspread's: a
    token endpoint (or a proxy before it) that answers a byte a second is cut at `[quota]
    request_timeout_seconds` like any Google request, and the night hears one clear line."""
    import json

    from sheetsync import load_config
    from sheetsync.backends.google import GoogleBackend
    from sheetsync.demo.google import upload_cohort
    from sheetsync.errors import CredentialsError
    from sheetsync.testing import FakeGoogle
    with FakeGoogle() as google:
        config, _, _ = upload_cohort(google, demo_cohort, tmp_path)
        config.path.write_text(config.path.read_text(encoding="utf-8") + "[quota]\nrequest_timeout_seconds = 2\n",
                               encoding="utf-8")
        config = load_config(config.path)
        key_file = config.resolve(config.backend["credentials"])
        key = json.loads(key_file.read_text(encoding="utf-8"))
        key_file.write_text(json.dumps({**key, "token_uri": f"{http_peer.url}/trickle/token"}), encoding="utf-8")
        google._mock.add_passthru(http_peer.url)
        backend = GoogleBackend(config, sleep=lambda s: None, max_attempts=2)
        with pytest.raises(CredentialsError, match="could not get a token from Google"):
            backend.versions()
        assert [p for _, p, _ in http_peer.seen][:1] == ["/trickle/token"]
        assert not http_peer.stalled_to_the_end.is_set()
