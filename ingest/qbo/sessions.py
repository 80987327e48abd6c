"""What every HTTP session the connector talks to Intuit through keeps to, the data API's and the OAuth
client's alike:
- a redirect is followed only to Intuit's own hosts (https) or to the address configured for them (a
  stand-in's, in tests); any other is not followed, and its 3xx answer is then what the caller sees, so an
  answer from another host is never taken for QuickBooks';
- every exchange can be given a deadline for the whole of it (`exchange_deadline`), as a read timeout alone
  lets a server that trickles its answer hold the sync, and the work database with it, for ever;
- a caller can learn when a request's last byte has been written (`when_sent`): QuickBooks counts a request when
  it arrives, and the moment it leaves is the nearest this side can see (client.Limiter).
"""
from __future__ import annotations

import logging
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator
from urllib.parse import urljoin, urlparse

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from models import deadlines

log = logging.getLogger("msp_revenue.qbo")
INTUIT_DOMAIN = "intuit.com"


def stays_with_intuit(target: str, configured: Iterable[str]) -> bool:
    """Whether `target` is one of Intuit's hosts over https, or the scheme, host and port of an address
    configured for QuickBooks (`configured`: the API's, the OAuth discovery document's)."""
    parsed = urlparse(target)
    host = (parsed.hostname or "").lower()
    if parsed.scheme == "https" and (host == INTUIT_DOMAIN or host.endswith("." + INTUIT_DOMAIN)):
        return True
    return any(parsed.scheme and (parsed.scheme, parsed.netloc.lower()) == (known.scheme, known.netloc.lower())
               for known in map(urlparse, configured))


class ExchangeTooLong(requests.Timeout):
    """An exchange outlasted its deadline: a timeout like any other to the callers."""


@contextmanager
def exchange_deadline(seconds: float, what: str) -> Iterator[None]:
    """The whole of what is sent and read inside the block on this thread's sessions ends within `seconds`."""
    try:
        with deadlines.Deadline(seconds, what):
            yield
    except deadlines.DeadlinePassed as err:
        raise ExchangeTooLong(str(err)) from None


_sending = threading.local()


@contextmanager
def when_sent(callback: Callable[[float], None]) -> Iterator[None]:
    """Inside the block, `callback(handshake)` runs on this thread each time a request on this thread's sessions has
    been written whole: its headers and body handed to the socket (to TLS under https). Not when a send failed.
    `handshake` is how long the connection it went on took to be made (name look-up, TCP's and TLS's round trips):
    a measure of this path's round trip, which bounds how long the bytes take to reach the other end."""
    outer = getattr(_sending, "callback", None)
    _sending.callback = callback
    try:
        yield
    finally:
        _sending.callback = outer


class _Watched(deadlines.Watched):
    """An urllib3 connection under the deadline of each exchange it serves, telling `when_sent` of each request."""

    handshake = 0.0

    def connect(self, *args, **kwargs):
        started = time.monotonic()
        made = super().connect(*args, **kwargs)
        self.handshake = time.monotonic() - started
        return made

    def request(self, *args, **kwargs):
        deadlines.watch(self)  # a kept-alive connection serves several exchanges
        written = super().request(*args, **kwargs)  # returns once the last byte is with the socket (connecting first)
        callback = getattr(_sending, "callback", None)
        if callback is not None:
            callback(self.handshake)
        return written


class _HTTPPool(HTTPConnectionPool):
    ConnectionCls = type("WatchedHTTPConnection", (_Watched, HTTPConnection), {})


class _HTTPSPool(HTTPSConnectionPool):
    ConnectionCls = type("WatchedHTTPSConnection", (_Watched, HTTPSConnection), {})


POOLS = {"http": _HTTPPool, "https": _HTTPSPool}


class _WatchedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = POOLS

    def proxy_manager_for(self, proxy, **proxy_kwargs):
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if not proxy.lower().startswith("socks"):  # a SOCKS proxy brings connections of its own
            manager.pool_classes_by_scheme = POOLS
        return manager


class IntuitOnly(requests.Session):
    """A session whose redirects stay with Intuit (`configured()` names the addresses set up for it
    besides Intuit's own hosts) and whose connections keep the exchange's deadline."""

    def __init__(self) -> None:
        super().__init__()
        for scheme in ("https://", "http://"):
            self.mount(scheme, _WatchedAdapter())

    def configured(self) -> tuple[str, ...]:
        return ()

    def get_redirect_target(self, response: requests.Response) -> str | None:
        target = super().get_redirect_target(response)
        if target is None or stays_with_intuit(urljoin(response.url, target), self.configured()):
            return target
        log.warning("%s answered with a redirect to %s, which is not QuickBooks: not followed",
                    urlparse(response.url).netloc, redirected_host(response))
        return None


def redirected_host(response: requests.Response) -> str:
    """The host a 3xx answer points to (never its path or query, which could carry anything)."""
    return urlparse(urljoin(response.url, response.headers.get("Location", ""))).netloc or "nowhere"
