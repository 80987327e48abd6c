"""What every HTTP session the connector talks to Intuit through keeps to, the data API's and the OAuth
client's alike: a redirect is followed only to Intuit's own hosts (https) or to the address configured for
them (a stand-in's, in tests); any other is not followed, and its 3xx answer is then what the caller sees,
so an answer from another host is never taken for QuickBooks'."""
from __future__ import annotations

import logging
from typing import Iterable
from urllib.parse import urljoin, urlparse

import requests

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


class IntuitOnly:
    """A requests.Session mix-in: redirects stay with Intuit (`configured()` names the addresses set up
    for it besides Intuit's own hosts)."""

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
