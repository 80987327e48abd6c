"""A full or read-only disk under `build` and `load` (issue 24, item 8): one line naming the disk and what to
do, never a traceback (DuckDB ends a transaction whose write failed, so the old rollback said "cannot rollback -
no transaction is active" and hid the cause); what was stored stays, the snapshot is untouched, and nothing is
left behind. Each test runs on a small tmpfs of its own, mounted as root (skipped with the reason elsewhere), holding
a copy of the small demo warehouse the run built once."""
from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from models.warehouse import paths
from tests.helpers import MSP_REVENUE, UNTIL, checksums, copied_warehouse

DISK_MB = 128  # room for the warehouse, a rebuild (DuckDB reuses freed pages late) and the snapshot copy
DEMO = (6, 1)  # clients, years: the warehouse and its files the full-disk thresholds below were measured on


@pytest.fixture
def disk(tmp_path, demo_builds):
    """A tmpfs of DISK_MB of the test's own: `mount`, and on it in wh/ a copy of the small demo warehouse the run
    built once (`db`), as `demo` leaves it."""
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a small disk needs root and mount(8)")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_MB}m", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        yield SimpleNamespace(mount=mount, db=copied_warehouse(demo_builds(*DEMO), mount / "wh"))
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def run(*args: str, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run([MSP_REVENUE, "--db", str(db), *args], capture_output=True, text=True, timeout=300)


def fill(mount: Path, leave_kb: int) -> None:
    """Fill the disk but `leave_kb` kilobytes."""
    free = os.statvfs(mount)
    left_kb = free.f_bavail * free.f_frsize // 1024
    with open(mount / "filler", "wb") as filler:
        filler.truncate(0)
        block = b"\0" * 1024 * 64
        for _ in range(max(0, left_kb - leave_kb) // 64):
            filler.write(block)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def said_the_disk(result: subprocess.CompletedProcess, mount: Path, wrong: str) -> None:
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr and "no transaction is active" not in result.stderr, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"msp-revenue: the disk holding {mount / 'wh'} {wrong}"), last
    assert "run the command again" in last and "snapshot the app and reports read is as it was" in last, last


# 200 KB left: a model's table cannot be written (the build's transaction ends there); 1,500 KB: the models are
# built, and the snapshot's copy runs out of room
@pytest.mark.parametrize("leave_kb", [200, 1500])
def test_a_full_disk_under_build_says_so_and_keeps_the_snapshot(disk, leave_kb):
    mount, db = disk.mount, disk.db
    snapshot, stored = digest(paths.snapshot(db)), checksums(db)
    fill(mount, leave_kb)
    said_the_disk(run("build", db=db), mount, "is full: free space there")
    assert digest(paths.snapshot(db)) == snapshot
    assert not [p.name for p in db.parent.iterdir() if p.name.startswith(f".{paths.snapshot(db).name}")]  # no copy left
    (mount / "filler").unlink()
    assert checksums(db) == stored
    assert run("build", db=db).returncode == 0  # room again: the same command works


def test_a_full_disk_under_load_stores_nothing_of_the_file(disk, demo_files):
    """A file loads whole or not at all (files before it in the same command keep their own transaction)."""
    mount, db = disk.mount, disk.db
    largest = max(demo_files(*DEMO).glob("*.json"), key=lambda p: p.stat().st_size)
    snapshot, stored = digest(paths.snapshot(db)), checksums(db)
    fill(mount, 100)
    said_the_disk(run("load", "--realm", "other", str(largest), db=db), mount, "is full: free space there")
    assert digest(paths.snapshot(db)) == snapshot
    (mount / "filler").unlink()
    assert checksums(db) == stored


@pytest.mark.parametrize("command", [["build"], ["load", "--realm", "other"]])
def test_a_read_only_disk_says_so(disk, demo_files, command):
    mount, db = disk.mount, disk.db
    files = [str(p) for p in sorted(demo_files(*DEMO).glob("*.json"))] if command[0] == "load" else []
    snapshot = digest(paths.snapshot(db))
    subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
    try:
        said_the_disk(run(*command, *files, db=db), mount, "is read-only: make it writable")
        # reports still read what is there
        assert run("report", "mrr", "--summary", "--as-of", UNTIL, db=db).returncode == 0
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(mount)], check=True)
    assert digest(paths.snapshot(db)) == snapshot
