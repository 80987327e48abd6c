"""A deadline for a whole exchange with a server, not for each read: a socket's timeout starts again with
every byte, so a server sending one byte a second holds a caller as long as it likes. Inside
`Deadline(seconds)`, every connection that `watch`es itself (an HTTP connection, an SMTP session: anything
with a `sock`) is shut down when the time is up; what was blocked on it then fails, and the block ends in
DeadlinePassed."""
from __future__ import annotations

import socket
import threading

_current = threading.local()


class DeadlinePassed(TimeoutError):
    """The whole exchange took longer than its deadline."""


class Deadline:
    def __init__(self, seconds: float, what: str = "the server"):
        self.seconds, self.what = seconds, what
        self.expired = False
        self._watched: list = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._outer = getattr(_current, "deadline", None)
        _current.deadline = self
        self._timer.start()
        return self

    def __exit__(self, kind, error, trace) -> None:
        self._timer.cancel()
        _current.deadline = self._outer
        if self.expired and error is not None:
            raise DeadlinePassed(f"{self.what} did not finish answering within {self.seconds:g} s") from error

    def watch(self, connection) -> None:
        with self._lock:
            self._watched.append(connection)
            if self.expired:
                _cut(connection)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for connection in self._watched:
                _cut(connection)


class Watched:
    """A mix-in for a connection class with `connect()` and a `sock` (urllib3's, smtplib's): it puts itself
    under the deadline of the exchange it connects for."""

    def connect(self, *args, **kwargs):
        watch(self)
        made = super().connect(*args, **kwargs)
        watch(self)  # a deadline that passed while the socket was being made (no `sock` to cut yet) cuts it now
        return made


def watch(connection) -> None:
    """Put `connection` (anything with a `sock`) under the deadline of the exchange this thread is in, if any."""
    deadline = getattr(_current, "deadline", None)
    if deadline is not None:
        deadline.watch(connection)


def _cut(connection) -> None:
    """Shut the connection's socket down (the base method: under TLS too); a read blocked on it returns at once."""
    sock = getattr(connection, "sock", None)
    if sock is not None:
        try:
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        except OSError:  # already closed
            pass
