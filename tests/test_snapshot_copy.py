"""The copy of the last snapshot a build starts from (models.files.copy_owner_only): made in the kernel where it
will, another way where that way is refused, the same bytes either way and its owner's only whatever the umask."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from models.files import copy_owner_only

SIZE = 3 * (1 << 20) + 12_345  # more than one of the Python copy's chunks, and not a whole number of them


def snapshot_like(path: Path) -> bytes:
    data = os.urandom(SIZE)
    path.write_bytes(data)
    return data


@pytest.fixture
def open_umask():
    before = os.umask(0)  # a file made with the umask's mode would be 0666 here
    yield
    os.umask(before)


def test_a_copy_on_the_same_disk_is_the_snapshot_and_its_owner_s_only(tmp_path, open_umask):
    data = snapshot_like(tmp_path / "warehouse.snapshot.duckdb")
    copy_owner_only(tmp_path / "warehouse.snapshot.duckdb", tmp_path / "copy")
    assert (tmp_path / "copy").read_bytes() == data
    assert (tmp_path / "copy").stat().st_mode & 0o777 == 0o600


def test_a_copy_from_another_filesystem_is_made_another_way(tmp_path, open_umask):
    # Linux refuses copy_file_range between a tmpfs and another filesystem (EXDEV) before its first byte: the copy
    # goes on with sendfile, from the start
    shm = Path("/dev/shm")
    if not shm.is_dir() or os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("needs a tmpfs at /dev/shm apart from the test's folder")
    source = shm / f"msp-revenue-test-{os.getpid()}.duckdb"
    try:
        data = snapshot_like(source)
        copy_owner_only(source, tmp_path / "copy")
    finally:
        source.unlink(missing_ok=True)
    assert (tmp_path / "copy").read_bytes() == data
    assert (tmp_path / "copy").stat().st_mode & 0o777 == 0o600


def test_a_copy_over_a_longer_leftover_is_cut_to_the_snapshot(tmp_path):
    data = snapshot_like(tmp_path / "warehouse.snapshot.duckdb")
    (tmp_path / "copy").write_bytes(b"\1" * (SIZE * 2))
    copy_owner_only(tmp_path / "warehouse.snapshot.duckdb", tmp_path / "copy")
    assert (tmp_path / "copy").read_bytes() == data

