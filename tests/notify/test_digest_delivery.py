"""Each digest on its own: an address the SMTP server refuses (550 at RCPT) is that
student's outcome, recorded with the server's answer for the ISO week and named in the
staff alert; the others are sent (a 4xx or a 421 that closes the connection leaves that
one for the next night, over a new connection); the report's counts are what happened;
a second night of the same week sends only what is still due, never the refused one."""
import json

from jobs.nightly import run_nightly
from sheetsync.engine.insight import week_of
from sheetsync.state import StateStore
from tests.notify.outward_setup import address, configure


def test_a_refused_address_stops_no_one_else_and_is_tried_once_a_week(demo_config, now, http_peer, picky_smtp):
    port, inbox = picky_smtp
    config = configure(demo_config, now, digest=True, alerts={
        "smtp_host": "127.0.0.1", "smtp_port": port, "smtp_from": "lia@skolan.se",
        "webhook": f"{http_peer.url}/ok", "exchange_timeout_seconds": 5})
    students = config.students
    refused, later, closing = students[0], students[1], students[3]
    inbox.answers = {address(refused): "550 5.1.1 <%s>: mailbox unavailable" % address(refused),
                     address(later): "451 4.7.1 greylisted, try again later",
                     address(closing): "421 4.3.2 service shutting down"}
    report = run_nightly(config, now=now)

    delivered = {rcpt for rcpts, _ in inbox.messages for rcpt in rcpts}
    others = {address(s) for s in students} - {address(refused), address(later), address(closing)}
    assert delivered == others                                    # everyone after the refusal too
    assert report.digests == len(others) and report.digests_not_sent == 2
    [told] = report.digests_refused
    assert told["id"] == refused.id and told["answer"].startswith("550 5.1.1")
    assert "mailbox unavailable" in told["answer"]
    with StateStore(config.state_path) as state:
        [kept] = state.digest_refusals(week_of(now))
    assert (kept["student"], kept["address"], kept["code"]) == (refused.id, address(refused), 550)
    assert "mailbox unavailable" in kept["answer"]
    alert = json.loads(next(body for _, path, body in http_peer.seen if path == "/ok"))
    assert refused.name in alert["text"] and "550 5.1.1" in alert["text"]
    assert "2 weekly digest(s) not sent" not in alert["text"]      # two different answers, each told
    assert "451 4.7.1" in alert["text"] and "421 4.3.2" in alert["text"]

    inbox.answers = {address(refused): inbox.answers[address(refused)]}    # the 4xx are over
    inbox.attempts.clear()
    again = run_nightly(config, now=now)
    assert address(refused) not in inbox.attempts                  # not tried again this week
    assert sorted(inbox.attempts) == sorted([address(later), address(closing)])
    assert again.digests == 2 and again.digests_refused == [] and again.digests_not_sent == 0
    arrived = sorted(r for rcpts, _ in inbox.messages for r in rcpts)
    assert arrived == sorted(others | {address(later), address(closing)})           # each once
