"""A webhook POST is never turned silently into something else by a redirect: a 301
(or 302/303) is reported as not delivered, naming the status and the redirect's host;
a 307 is followed keeping the method and the body; a redirect loop ends in a few hops."""
import json

from jobs.nightly import run_nightly
from sheetsync.notify.webhook import MAX_HOPS
from tests.notify.outward_setup import break_one_workbook, configure


def night_with_webhook(demo_config, now, url):
    config = configure(demo_config, now, alerts={"webhook": url, "exchange_timeout_seconds": 5})
    student = break_one_workbook(config)
    return run_nightly(config, now=now), student


def test_a_301_is_not_followed_and_the_report_says_the_alert_was_not_delivered(demo_config, now, http_peer):
    report, _ = night_with_webhook(demo_config, now, f"{http_peer.url}/moved/hook")
    assert [(m, p) for m, p, _ in http_peer.seen] == [("POST", "/moved/hook")]    # no GET to /elsewhere
    [problem] = report.undelivered
    assert problem.startswith("webhook alert not delivered:") and "301" in problem and "127.0.0.1" in problem


def test_a_307_keeps_the_post_and_its_body_and_a_redirect_loop_ends(demo_config, now, http_peer):
    report, student = night_with_webhook(demo_config, now, f"{http_peer.url}/keep/hook")
    assert [(m, p) for m, p, _ in http_peer.seen] == [("POST", "/keep/hook"), ("POST", "/landed")]
    landed = json.loads(http_peer.seen[1][2])
    assert student.id in landed["text"] and "1 student(s) failed" in landed["subject"]
    assert report.undelivered == []

    http_peer.seen.clear()
    config = configure(demo_config, now)
    config.alerts["webhook"] = f"{http_peer.url}/loop"
    report = run_nightly(config, now=now)
    assert 2 <= len(http_peer.seen) == MAX_HOPS + 1 <= 5            # a few hops, then given up
    assert any("more than 3 redirects" in u for u in report.undelivered)
