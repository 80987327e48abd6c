"""The owner's editable files (settings.toml, categories.toml): copied from the defaults the first time a folder
is used, and only then (docs/DECISIONS.md, The owner's files)."""
from __future__ import annotations

import shlex
from contextlib import suppress
from datetime import datetime, timezone
from pathlib import Path

from models.files import write_atomically


class OwnerFileMissing(FileNotFoundError):
    """An owner's file this folder has had is gone; the message says how to get it back."""


def ensure_copy(path: Path, default: Path) -> Path:
    """The owner's editable file, copied from the project's default the first time only. A record
    beside it (`.NAME.kept`, written the first time the file is seen) says this folder has had it:
    once it has, a missing file is an error naming the way back, because starting again from the
    defaults would change prices, device counts or categories without a word."""
    if file_to_read(path, default) == path:
        if not _kept_record(path).exists():
            with suppress(OSError):  # a folder this process may only read: the file is there
                _record_kept(path)
        return path
    write_atomically(path, default.read_bytes())
    _record_kept(path)
    return path


def file_to_read(path: Path, default: Path) -> Path:
    """What a read takes the owner's file from, writing nothing: the file, or the project's default while
    this folder has never had it. A file the folder has had and lost is an error, as for ensure_copy."""
    if path.exists():
        return path
    record = _kept_record(path)
    if record.exists():
        raise OwnerFileMissing(
            f"{path} is missing, but this folder has had it ({record.name} says since when): restore it from a "
            f"backup, or start again from the defaults with: cp {shlex.quote(str(default))} {shlex.quote(str(path))}")
    return default


def _kept_record(path: Path) -> Path:
    return path.with_name(f".{path.name}.kept")


def _record_kept(path: Path) -> None:
    since = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    write_atomically(_kept_record(path), f"{path.name} has been kept in this folder since {since}. If it goes "
                                        "missing, msp-revenue stops and says so instead of starting again from "
                                        "the defaults.\n")
