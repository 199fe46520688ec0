"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the tests that send e-mail."""
import socket

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"



@pytest.fixture
def smtp_server():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()


# -- peers that misbehave (tests/notify/test_outward_*.py) ------------------------------
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

STALL_S = 60           # how long a stalling peer holds on; a night must end long before


class HttpPeer:
    """An http.server on 127.0.0.1 whose answer depends on the path's first segment:
    /ok, /fail (500), /moved (301 to /elsewhere), /keep (307 to /landed), /loop (307 to
    itself), /never (accepts, reads, never answers), /trickle (a byte a second). Every
    request is recorded as (method, path, body)."""

    def __init__(self):
        self.seen: list[tuple[str, str, bytes]] = []
        self.stop = threading.Event()
        self.stalled_to_the_end = threading.Event()     # a stall that ran its STALL_S
        peer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                peer.seen.append((self.command, self.path, self.rfile.read(length) if length else b""))
                kind = self.path.split("/")[1].split("?")[0]
                if kind == "never":
                    peer._stall(lambda: None)
                elif kind == "trickle":
                    self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                    self.wfile.flush()
                    peer._stall(lambda: (self.wfile.write(b"a"), self.wfile.flush()))
                elif kind in ("moved", "keep", "loop"):
                    status, to = {"moved": (301, "/elsewhere"), "keep": (307, "/landed"),
                                  "loop": (307, "/loop")}[kind]
                    self.send_response(status)
                    self.send_header("Location", to)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                else:
                    self.send_response(500 if kind == "fail" else 200)
                    self.send_header("Content-Length", "0")
                    self.end_headers()

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _stall(self, each_second) -> None:
        ends = time.monotonic() + STALL_S
        while time.monotonic() < ends and not self.stop.is_set():
            try:
                each_second()
            except OSError:           # the client gave up: keep the thread's time all the same
                each_second = lambda: None   # noqa: E731
            self.stop.wait(1)
        if not self.stop.is_set():
            self.stalled_to_the_end.set()

    def close(self):
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def http_peer():
    peer = HttpPeer()
    yield peer
    peer.close()


class TricklingSmtp:
    """A raw TCP peer that accepts and sends its SMTP greeting one byte a second."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        self.stalled_to_the_end = threading.Event()
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            threading.Thread(target=self._trickle, args=(conn,), daemon=True).start()

    def _trickle(self, conn):
        greeting = b"220 smtp.slow.example ESMTP " + b"." * STALL_S
        with conn:
            for byte in greeting[:STALL_S]:
                if self.stop.is_set():
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    pass
                self.stop.wait(1)
        if not self.stop.is_set():
            self.stalled_to_the_end.set()

    def close(self):
        self.stop.set()
        self.sock.close()


@pytest.fixture
def trickling_smtp():
    peer = TricklingSmtp()
    yield peer
    peer.close()


class PickyInbox(Inbox):
    """aiosmtpd's handler with an answer per address at RCPT (`answers[address]`, e.g.
    "550 5.1.1 ..."), an optional pause per RCPT, and every RCPT attempt counted."""

    def __init__(self):
        super().__init__()
        self.answers: dict[str, str] = {}
        self.attempts: list[str] = []
        self.pause_s = 0.0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        import asyncio
        self.attempts.append(address)
        if self.pause_s:
            await asyncio.sleep(self.pause_s)
        if address in self.answers:
            return self.answers[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def picky_smtp():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = PickyInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield port, inbox
    controller.stop()
