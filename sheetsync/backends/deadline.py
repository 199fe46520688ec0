"""A whole-exchange deadline for the Google transport (`[quota] request_timeout_seconds`).

requests' timeout bounds one socket read, so a front end or proxy that sends its answer
a byte a second would hold one call, and the night with its lock, for ever. Mounted on
the backend's session, this adapter gives each request a deadline for all of it (the
reply's body included) by the watchdog of sheetsync.notify.outward, which shuts the
connection's socket down; the call then fails as requests' ReadTimeout, which the
backend's retry (jobs' backoff) already treats as a dropped call.
"""
from __future__ import annotations

import threading

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from sheetsync.notify.outward import OutwardTimeout, exchange

_current = threading.local()       # the guard of the request this thread is making


def _watched(connection_class):
    class Watched(connection_class):
        """Hands its socket to the running request's guard (a kept-alive connection too)."""

        def request(self, *args, **kwargs):
            guard = getattr(_current, "guard", None)
            if guard is not None:
                guard.watch(lambda: self.sock)
            return super().request(*args, **kwargs)
    Watched.__name__ = f"Watched{connection_class.__name__}"
    return Watched


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = _watched(HTTPConnection)


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _watched(HTTPSConnection)


POOLS = {"http": _HTTPPool, "https": _HTTPSPool}


class DeadlineAdapter(HTTPAdapter):
    def __init__(self, seconds: float, **kwargs):
        self.seconds = seconds
        super().__init__(**kwargs)

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = POOLS

    def proxy_manager_for(self, proxy, **kwargs):
        manager = super().proxy_manager_for(proxy, **kwargs)
        if not proxy.lower().startswith("socks"):
            manager.pool_classes_by_scheme = POOLS
        return manager

    def send(self, request, stream=False, **kwargs):
        try:
            with exchange(self.seconds, "Google request") as guard:
                _current.guard = guard
                try:
                    response = super().send(request, stream=stream, **kwargs)
                    if not stream:
                        response.content          # the body too, within the deadline
                finally:
                    _current.guard = None
        except OutwardTimeout as e:
            raise requests.exceptions.ReadTimeout(str(e), request=request) from None
        return response


def bound(session: requests.Session, seconds: float) -> requests.Session:
    """`session` with every request held to `seconds`, whole."""
    adapter = DeadlineAdapter(seconds)
    session.mount("https://", adapter)
    session.mount("http://", adapter)
    return session
