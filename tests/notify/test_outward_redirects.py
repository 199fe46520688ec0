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


def test_a_redirect_from_https_to_http_is_refused(demo_config, now, http_peer, tmp_path, monkeypatch):
    """An https receiver on 127.0.0.1 (a certificate made here, trusted through
    REQUESTS_CA_BUNDLE as requests would) that answers 307 to a plain http URL."""
    import datetime as dt
    import ssl
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer
    from ipaddress import IPv4Address

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(dt.datetime(2020, 1, 1)).not_valid_after(dt.datetime(2100, 1, 1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]), False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
            .sign(key, hashes.SHA256()))
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            seen.append(self.path)
            self.send_response(307 if self.path == "/down" else 200)
            self.send_header("Location", f"{http_peer.url}/landed")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass
    server = HTTPServer(("127.0.0.1", 0), Handler)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    server.socket = context.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tmp_path / "cert.pem"))
    try:
        https = f"https://127.0.0.1:{server.server_address[1]}"
        report, _ = night_with_webhook(demo_config, now, f"{https}/up")
        assert seen == ["/up"] and report.undelivered == []                 # https itself works
        config = configure(demo_config, now)
        config.alerts["webhook"] = f"{https}/down"
        report = run_nightly(config, now=now)
    finally:
        server.shutdown()
        server.server_close()
    assert seen == ["/up", "/down"] and http_peer.seen == []               # never sent over http
    [problem] = report.undelivered
    assert "redirected from https to http" in problem and "refused" in problem
