"""What the stand-in servers share: serving a handler on a loopback port in a background thread."""
from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


# how often the serving loop looks whether stop() was called: stop() waits for it, and at the standard library's
# 0.5 s each test's stand-in took a quarter of a second on average to stop (a test starts one or two)
POLL = 0.02


class _Server(ThreadingHTTPServer):
    # the standard library's backlog of 5 drops the sixth of ten connections opened at once, and its client
    # tries again a second later: requests sent together must arrive together, as they do at Intuit
    request_queue_size = 64


class LoopbackServer:
    """Serves `handler` (a request handler class) on 127.0.0.1 with the stand-in as its `attribute`."""

    server: ThreadingHTTPServer | None = None

    def serve(self, handler: type[BaseHTTPRequestHandler], attribute: str, port: int = 0) -> str:
        bound = type("Handler", (handler,), {attribute: self})
        self.server = _Server(("127.0.0.1", port), bound)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": POLL}, daemon=True).start()
        return self.url

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def stop(self) -> None:
        if self.server:
            self.server.shutdown()
            self.server.server_close()
