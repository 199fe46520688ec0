"""A webhook body for Slack, Microsoft Teams or any receiver of plain JSON, and the
dead-man's-switch ping (healthchecks.io and the like: a GET that says "the night ran").

Both go over http.client, so that the exchange's socket is ours to bound (see
sheetsync.notify.outward) and redirects are ours to decide: a POST is re-sent only on a
307/308 (which keep the method and body), at most MAX_HOPS times and never from https
to http; a 301/302/303 would turn the alert into a GET without its body, so it is
reported as not delivered. HTTP(S)_PROXY / NO_PROXY and REQUESTS_CA_BUNDLE are honoured
as `requests` did."""
from __future__ import annotations

import base64
import http.client
import json
import os
import ssl
import time
import urllib.request
from urllib.parse import unquote, urljoin, urlsplit

from sheetsync.notify.outward import Undelivered, exchange

MAX_HOPS = 3                 # redirects followed at most, per call
KEEP_METHOD = (307, 308)     # the redirects that keep a POST a POST


def body(fmt: str, subject: str, text: str) -> dict:
    if fmt == "slack":
        return {"text": f"*{subject}*\n{text}"}
    if fmt == "teams":               # an Office 365 connector card's simplest form
        return {"@type": "MessageCard", "@context": "https://schema.org/extensions",
                "summary": subject, "title": subject, "text": text.replace("\n", "<br>")}
    return {"subject": subject, "text": text, "source": "sheetsync"}


def post_webhook(url: str, fmt: str, subject: str, text: str, seconds: float = 15) -> None:
    payload = json.dumps(body(fmt, subject, text), ensure_ascii=False).encode("utf-8")
    send("POST", url, payload, seconds, "webhook")


def ping(url: str, seconds: float = 15) -> None:
    send("GET", url, None, seconds, "ping")


def send(method: str, url: str, payload: bytes | None, seconds: float, what: str) -> int:
    """One call, its redirects included, within `seconds`; raises Undelivered when the
    receiver's answer means it did not arrive. Errors never hold the URL's path."""
    ends = time.monotonic() + seconds
    with exchange(seconds, what) as guard:
        for hop in range(MAX_HOPS + 1):
            status, reason, location = _one(method, url, payload, guard, ends)
            host = urlsplit(url).hostname
            if status < 300:
                return status
            if 300 <= status < 400 and location:
                target = urljoin(url, location)
                to = urlsplit(target)
                if method != "GET" and status not in KEEP_METHOD:
                    raise Undelivered(f"{host} answered {status}, a redirect to {to.hostname} that"
                                      " would drop the message (not followed)")
                if urlsplit(url).scheme == "https" and to.scheme != "https":
                    raise Undelivered(f"{host} redirected from https to {to.scheme} on {to.hostname}"
                                      " (refused)")
                if hop == MAX_HOPS:
                    raise Undelivered(f"more than {MAX_HOPS} redirects (the last a {status} from"
                                      f" {host} to {to.hostname})")
                url = target
                continue
            raise Undelivered(f"{host} answered {status} {reason}".rstrip())
    raise AssertionError("unreachable")


def _one(method: str, url: str, payload: bytes | None, guard, ends: float) -> tuple[int, str, str | None]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Undelivered(f"not an http(s) URL: {parts.scheme}://{parts.hostname}/…")
    timeout = max(0.01, ends - time.monotonic())     # connect included; the guard bounds the rest
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    proxy = _proxy_for(parts.scheme, parts.hostname)
    via = proxy or (parts.hostname, parts.port)
    if parts.scheme == "https":
        conn = http.client.HTTPSConnection(*via, timeout=timeout, context=_tls())
        if proxy:
            conn.set_tunnel(parts.hostname, parts.port or 443)
    else:
        conn = http.client.HTTPConnection(*via, timeout=timeout)
        if proxy:                     # a plain proxy takes the absolute URL
            target = f"http://{parts.hostname}{f':{parts.port}' if parts.port else ''}{target}"
    guard.watch(lambda: conn.sock)
    headers = {"User-Agent": "sheetsync", "Connection": "close"}
    if payload is not None:
        headers["Content-Type"] = "application/json"
    if parts.username:                # user:pass@ in the URL, as requests sent it
        login = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
        headers["Authorization"] = "Basic " + base64.b64encode(login.encode()).decode()
    try:
        conn.request(method, target, body=payload, headers=headers)
        reply = conn.getresponse()     # its body is not needed: a trickled one costs no time
        return reply.status, reply.reason, reply.getheader("Location")
    finally:
        conn.close()


def _proxy_for(scheme: str, host: str) -> tuple[str, int] | None:
    proxy = urllib.request.getproxies().get(scheme)
    if not proxy or urllib.request.proxy_bypass(host):
        return None
    p = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    return (p.hostname, p.port or 8080) if p.hostname else None


def _tls() -> ssl.SSLContext:
    """The same trust as requests had: its CA bundle variables, else certifi's bundle."""
    bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
    if not bundle:
        try:
            import certifi
            bundle = certifi.where()
        except ImportError:
            bundle = None
    return ssl.create_default_context(cafile=bundle)
