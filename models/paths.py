"""Where the warehouse files live: the work database and the files beside it."""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_DIR / "data" / "warehouse.duckdb"
ENV_VAR = "MSP_REVENUE_DB"


def work_db(path: str | os.PathLike | None = None) -> Path:
    """The work database: --db, else $MSP_REVENUE_DB, else data/warehouse.duckdb in the project."""
    chosen = path or os.environ.get(ENV_VAR) or DEFAULT_DB
    return Path(chosen).expanduser().resolve()


def snapshot(db: Path) -> Path:
    """The read-only copy the app and reports read, published by every build."""
    return db.with_name(db.stem + ".snapshot.duckdb")


def category_rules(db: Path) -> Path:
    """The owner's category rules (TOML), created from the defaults on first use."""
    return db.with_name("categories.toml")


def ensure_copy(path: Path, default: Path) -> Path:
    """The owner's editable file, copied from the project's default the first time."""
    if not path.exists():
        write_atomically(path, default.read_bytes())
    return path


@contextmanager
def replacing(path: Path) -> Iterator[Path]:
    """A temporary path beside `path`, renamed over it when the block succeeds and removed when it
    fails: a reader (or a crash) sees the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        yield temporary
        _fsync(temporary)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _fsync(path.parent)


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
