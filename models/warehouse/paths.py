"""Where the warehouse files live: the work database and the files beside it."""
from __future__ import annotations

import ctypes
import errno
import glob
import os
import re
import shlex
import shutil
import threading
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterator

PROJECT_DIR = Path(__file__).resolve().parents[2]  # the project folder, or site-packages when installed
# A project folder (make's editable install) keeps its warehouse in data/; an installed copy (`pip install .`)
# has no folder of its own, so its default is the user's data folder.
INSTALLED = not (PROJECT_DIR / "pyproject.toml").exists()
DEFAULT_DB = (Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "msp-revenue"
              if INSTALLED else PROJECT_DIR / "data") / "warehouse.duckdb"
ENV_VAR = "MSP_REVENUE_DB"
# How a person types the command line, in every hint the product prints: in a project folder the launcher
# committed there (README "Two commands"); in an installed copy or the container, the msp-revenue on the PATH.
COMMAND = "./msp-revenue" if not INSTALLED and (PROJECT_DIR / "msp-revenue").is_file() else "msp-revenue"


def work_db(path: str | os.PathLike | None = None) -> Path:
    """The work database: --db, else $MSP_REVENUE_DB, else data/warehouse.duckdb in the project (in an
    installed copy: msp-revenue/warehouse.duckdb in $XDG_DATA_HOME, by default ~/.local/share)."""
    chosen = path or os.environ.get(ENV_VAR) or DEFAULT_DB
    return Path(chosen).expanduser().resolve()


def snapshot(db: Path) -> Path:
    """The read-only copy the app and reports read, published by every build."""
    return db.with_name(db.stem + ".snapshot.duckdb")


def category_rules(db: Path) -> Path:
    """The owner's category rules (TOML), created from the defaults on first use."""
    return db.with_name("categories.toml")


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


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside `path`, renamed over it when the block succeeds and removed when it
    fails: a reader (or a crash) sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _clear_leftovers(path)
    temporary = _temporary(path)
    temporary.unlink(missing_ok=True)
    try:
        yield temporary
        _fsync(temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync(path.parent)


class FolderInUse(ValueError):
    """A folder to be replaced whole holds something its writer did not put there."""


@contextmanager
def replacing_folder(path: Path, belongs: Callable[[Path], bool]) -> Iterator[Path]:
    """An empty folder beside `path`, put in its place whole when the block succeeds (the old folder is
    removed) and removed when it fails: a reader, or a crash, sees the old folder's files or the new
    one's, never a mix. `belongs(entry)` says which entries of the old folder its writer made; anything
    else refuses the whole replacement, before anything is written, so it never deletes someone's file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _clear_leftovers(path)
    if path.exists() and not path.is_dir():
        raise FolderInUse(f"{path} is a file, not a folder")
    strangers = sorted(e.name for e in path.iterdir() if not belongs(e)) if path.exists() else []
    if strangers:
        raise FolderInUse(f"{path} holds {strangers[0]}, which was not written there by this command; the folder "
                          "is replaced whole, so give one of its own (new or empty)")
    temporary = _temporary(path)
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir()
    try:
        yield temporary
        for entry in temporary.iterdir():
            _fsync(entry)
        _fsync(temporary)
        old = _swap_in(temporary, path)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    _fsync(path.parent)
    if old:
        shutil.rmtree(old)


def _swap_in(new: Path, path: Path) -> Path | None:
    """Put folder `new` at `path` in one step where the system can; returns where the old folder went."""
    if not path.exists():
        os.rename(new, path)
        return None
    if _exchange(new, path):
        return new
    # no exchange here (not Linux): for a moment between the renames `path` is missing, never mixed
    old = _temporary(path, "old")
    os.rename(path, old)
    os.rename(new, path)
    return old


AT_FDCWD, RENAME_EXCHANGE = -100, 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux's renameat2 with RENAME_EXCHANGE); False where that is missing."""
    rename = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if rename is None:
        return False
    if rename(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    error = ctypes.get_errno()
    if error in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(error, os.strerror(error), str(b))


def _temporary(path: Path, kind: str = "tmp") -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.{kind}")


LEFTOVER = re.compile(r"(\d+)\.\d+\.(tmp|old)(\.wal)?")  # .wal: DuckDB's log beside a snapshot being written


def _clear_leftovers(path: Path) -> None:
    """Remove the temporaries of `path` that writers killed before they finished left beside it: a
    temporary whose process is gone is never renamed, and nothing else would ever remove it."""
    prefix = f".{path.name}."
    for entry in path.parent.glob(glob.escape(prefix) + "*"):
        leftover = LEFTOVER.fullmatch(entry.name[len(prefix):])
        if leftover and not _running(int(leftover.group(1))):
            if entry.is_dir():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True


def write_atomically(path: Path, data: str | bytes, mode: int = 0o666) -> Path:
    """Write a whole file through `replacing`; `mode` is set when the file is created (0o600 keeps a
    secret unreadable to others from the first byte), before the umask."""
    with replacing(path) as temporary:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
        with os.fdopen(descriptor, "wb") as out:
            out.write(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
