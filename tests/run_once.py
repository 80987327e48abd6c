"""What the whole run builds once and every pytest-xdist worker reads (pytest-xdist's pattern: the first worker to
ask builds it under a lock in the run's temporary folder; the others wait for it, then use it)."""
from __future__ import annotations

import fcntl
import os
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import pytest


def listing(folder: Path) -> list[tuple[str, int, int]]:
    """What a shared folder holds (names, sizes, times): the fixtures compare it at the end of the session, so a
    test that wrote into what every test reads fails the run."""
    return sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir())


@contextmanager
def _held(lock: Path):
    with open(lock, "a") as file:
        fcntl.flock(file, fcntl.LOCK_EX)  # released when the file closes, or when a worker dies holding it
        yield


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None],
               file_name: str = "w.duckdb") -> Path:
    """The warehouse `file_name` in the run's folder `name`, made by make(warehouse) the first time any worker
    asks; made in a folder of this worker's and then renamed, so it is whole or absent."""
    # the run's folder, which every worker's own folder is in; without workers, the run's own
    shared = tmp_path_factory.getbasetemp().parent if os.environ.get("PYTEST_XDIST_WORKER") \
        else tmp_path_factory.getbasetemp()
    folder = shared / name
    with _held(shared / f"{name}.lock"):
        if not folder.exists():
            db = tmp_path_factory.mktemp(f"building-{name}") / file_name
            make(db)
            db.parent.rename(folder)
    return folder / file_name
