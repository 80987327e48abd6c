"""What work the app runs (a rebuild, a sync, a printout) reported: the whole report goes to a log
beside the warehouse; a person in the browser reads a short message — the command line's own one-line
error, or where the details are — never a traceback or a path on the server."""
from __future__ import annotations

import os
import re
import traceback
from datetime import datetime, timezone
from pathlib import Path

TRACEBACK_START = "Traceback (most recent call last):"
CLI_ERROR = "msp-revenue: "  # how the command line starts an error it explains in one line
LOG_LIMIT = 1_000_000  # bytes; past it the log moves to NAME.1 (one older log kept), so it never grows unbounded
# an absolute path (not a URL's, not part of a word or a date): the browser gets its last part only
SERVER_PATH = re.compile(r"(?<![\w.:/~-])/(?:[^\s/'\"]+/)+(?P<name>[^\s/'\"]+)")


def log_file(db: Path) -> Path:
    """The log of the work the app ran on this warehouse, beside it."""
    return db.with_name(f"{db.stem}.log")


def record(db: Path, title: str, text: str) -> Path:
    """Add an entry (the time, `title`, then `text`) to the log in one appending write: entries of two
    runs never interleave and a crash can only cut the entry being written, never an earlier one (an
    append, unlike a rewrite through files.replacing, never copies the whole log)."""
    log = log_file(db)
    if log.exists() and log.stat().st_size > LOG_LIMIT:
        os.replace(log, log.with_name(log.name + ".1"))
    entry = f"--- {datetime.now(timezone.utc):%Y-%m-%d %H:%M:%S} UTC {title}\n{text.rstrip()}\n"
    descriptor = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    try:
        os.write(descriptor, entry.encode("utf-8"))
    finally:
        os.close(descriptor)
    return log


def failed(db: Path, what: str) -> str:
    """Log the exception being handled, under `what` (e.g. "the printout for Acme"), and return what
    a person reads instead of it."""
    return details_in(what, record(db, f"{what} failed", traceback.format_exc()))


def details_in(what: str, log: Path) -> str:
    return f"{what} failed; details are in {log.name}"


def without_paths(line: str) -> str:
    """The line with every absolute path cut to its last part: `.../data/categories.toml` is named
    `categories.toml`, as the warehouse folder holds it."""
    return SERVER_PATH.sub(lambda found: found.group("name"), line)


class Report:
    """What a command run in a child process says: every line kept for the log, and the ones a person
    reads as they come (not the build's steps, nothing of a traceback, no server path)."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.shown: list[str] = []
        self._in_traceback = False

    def add(self, line: str) -> str | None:
        """Keep a line; returns it as a person reads it, or None when it is not for a person."""
        self.lines.append(line.rstrip("\n"))
        self._in_traceback = self._in_traceback or line.startswith(TRACEBACK_START)
        text = without_paths(line.strip())
        if not text or text.startswith("building ") or (self._in_traceback and not text.startswith(CLI_ERROR)):
            return None
        self.shown.append(text)
        return text

    def message(self, ok: bool, what: str, log: Path) -> str:
        """What the browser shows: when it went well, the command's last lines (its summary); when not,
        the command line's own one-line errors, else that `what` failed and which log holds the details."""
        if ok:
            return "\n".join(self.shown[-6:])
        errors = [line.removeprefix(CLI_ERROR) for line in self.shown if line.startswith(CLI_ERROR)]
        return "\n".join(errors[-5:]) or details_in(what, log)


def readable_lines(message: str) -> list[str]:
    """The lines of a child's report, trimmed, without blank lines or a Python traceback's frames: of a
    traceback only its last line, which says what went wrong, is kept."""
    lines, in_traceback = [], False
    for line in message.splitlines():
        if line.startswith(TRACEBACK_START):
            in_traceback = True
            continue
        if in_traceback and line[:1].isspace():  # a frame: its file, line and source
            continue
        in_traceback = False
        if line.strip():
            lines.append(line.strip())
    return lines
