"""Alerts and monitoring against real local servers: an HTTP server for the webhook and
the ping, aiosmtpd for the e-mail; the textfile read back by prometheus_client's parser."""
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from prometheus_client.parser import text_string_to_metric_families

from jobs.nightly import run_nightly
from sheetsync import load_config
from sheetsync.backends.xlsx import XlsxBackend


@pytest.fixture
def http_server():
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            seen.append(("POST", self.path, json.loads(self.rfile.read(int(self.headers["Content-Length"])))))
            self.send_response(200)
            self.end_headers()

        def do_GET(self):
            seen.append(("GET", self.path, None))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args):
            pass
    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()


def with_alerts(demo_config, url, port, fmt="slack"):
    text = demo_config.path.read_text(encoding="utf-8")
    text += (f'\n[alerts]\nwebhook = "{url}/hook"\nwebhook_format = "{fmt}"\n'
             f'email_to = ["lia@skolan.se", "rektor@skolan.se"]\nsmtp_host = "127.0.0.1"\nsmtp_port = {port}\n'
             f'smtp_from = "sheetsync@skolan.se"\n'
             f'[monitoring]\nping_url = "{url}/ping/abc"\nprometheus_textfile = "metrics/sheetsync.prom"\n')
    demo_config.path.write_text(text, encoding="utf-8")
    return load_config(demo_config.path)


def metrics(config):
    text = config.resolve("metrics/sheetsync.prom").read_text(encoding="utf-8")
    return {s.name + (json.dumps(s.labels, sort_keys=True) if s.labels else ""): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def test_a_failing_night_posts_one_webhook_and_one_email_a_good_night_pings(demo_config, now, http_server, smtp_server):
    url, seen = http_server
    port, inbox = smtp_server
    config = with_alerts(demo_config, url, port)
    broken = XlsxBackend(config).roster()[0]
    good_bytes = XlsxBackend(config).path(broken).read_bytes()
    XlsxBackend(config).path(broken).write_bytes(b"not a workbook")
    report = run_nightly(config, now=now)
    assert not report.ok
    posts = [s for s in seen if s[0] == "POST"]
    assert len(posts) == 1 and posts[0][1] == "/hook"
    assert "1 student(s) failed" in posts[0][2]["text"] and broken.id in posts[0][2]["text"]
    assert len(inbox.messages) == 1
    to, mail = inbox.messages[0]
    assert sorted(to) == ["lia@skolan.se", "rektor@skolan.se"] and broken.id in mail
    assert not [s for s in seen if s[0] == "GET"]                    # no "all well" ping
    figures = metrics(config)
    assert figures["sheetsync_last_run_ok"] == 0
    assert figures['sheetsync_students{"status": "failed"}'] == 1
    assert figures["sheetsync_last_success_timestamp_seconds"] == 0

    XlsxBackend(config).path(broken).write_bytes(good_bytes)
    seen.clear()
    assert run_nightly(config, now=now).ok
    assert seen == [("GET", "/ping/abc", None)] and len(inbox.messages) == 1
    figures = metrics(config)
    assert figures["sheetsync_last_run_ok"] == 1 and figures["sheetsync_last_success_timestamp_seconds"] > 0
    assert figures['sheetsync_students{"status": "ok"}'] == len(config.students)


def test_a_night_that_did_not_run_is_told_too(demo_config, now, http_server, smtp_server):
    url, seen = http_server
    port, inbox = smtp_server
    config = with_alerts(demo_config, url, port, fmt="teams")
    config.state["path"] = "a-file/state.db"
    config.resolve("a-file").write_text("in the way", encoding="utf-8")
    with pytest.raises(Exception):
        run_nightly(config, now=now)
    posts = [s for s in seen if s[0] == "POST"]
    assert len(posts) == 1 and posts[0][2]["@type"] == "MessageCard"
    assert "did not run" in posts[0][2]["title"] and "not writable" in posts[0][2]["text"]
    assert len(inbox.messages) == 1 and metrics(config)["sheetsync_last_run_ok"] == 0


def test_a_receiver_that_is_down_never_fails_the_night(demo_config, now):
    text = demo_config.path.read_text(encoding="utf-8") + '\n[monitoring]\nping_url = "http://127.0.0.1:9/ping"\n'
    demo_config.path.write_text(text, encoding="utf-8")
    assert run_nightly(load_config(demo_config.path), now=now).ok


def test_json_logs_are_one_object_a_line_with_the_run_and_each_student(demo_config, now):
    import io
    import json
    import logging

    from jobs.serve import Service
    from sheetsync.logs import setup_logging
    out = io.StringIO()
    setup_logging("json", out)
    try:
        import datetime as dt
        from zoneinfo import ZoneInfo
        at = dt.datetime.combine(now, dt.time(3, 0), ZoneInfo("Europe/Stockholm"))
        report = Service(demo_config, clock=lambda: at).tick()
    finally:
        logging.getLogger().handlers.clear()
    lines = [json.loads(line) for line in out.getvalue().splitlines()]     # each line parses
    done = next(line for line in lines if line["message"].startswith("nightly run") and "done" in line["message"])
    assert done["level"] == "info" and done["ok"] == report.count("ok") and done["run_id"] == report.run_id
    assert all(line["time"].endswith("+00:00") and line["logger"].startswith("sheetsync") for line in lines)


def test_log_format_is_checked(tmp_path):
    import pytest

    from sheetsync import load_config
    from sheetsync.errors import ConfigError
    (tmp_path / "sheetsync.toml").write_text('[monitoring]\nlog_format = "xml"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="log_format must be one of 'text', 'json'"):
        load_config(tmp_path / "sheetsync.toml")
