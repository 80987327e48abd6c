"""What a command run in a child process reported, as lines a person reads."""
from __future__ import annotations

TRACEBACK_START = "Traceback (most recent call last):"


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
