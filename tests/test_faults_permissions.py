"""The company's books are its owner's only, whatever the umask: at 022 the data folder a command makes is 0700
and every file in it (work database, snapshot, settings, rules, job records, log) 0600, and so are the
workbook, CSVs and PDF written elsewhere; no local user but the owner can read them."""
from __future__ import annotations

import os
import stat
import subprocess
import time
from pathlib import Path

import pytest

from tests.helpers import MSP_REVENUE, UNTIL, run_cli_here

OTHERS = stat.S_IRWXG | stat.S_IRWXO


@pytest.fixture
def umask_022():
    before = os.umask(0o022)  # the commands run below inherit it
    yield
    os.umask(before)


def run_at_022(*args):
    """A command in this process (no start-up of a new one) as a shell at umask 022 starts it: the command line
    sets its own umask, which would otherwise carry over to the next command run here."""
    os.umask(0o022)
    return run_cli_here(*args)


def shared_with_others(*roots: Path) -> list[str]:
    found = []
    for root in roots:
        for entry in [root, *root.rglob("*")]:
            mode = entry.lstat().st_mode
            if not stat.S_ISLNK(mode) and mode & OTHERS:
                found.append(f"{entry.relative_to(root.parent)} {stat.filemode(mode)}")
    return found


def test_every_file_holding_the_books_is_the_owner_s_only(tmp_path, umask_022):
    data, out = tmp_path / "books" / "data", tmp_path / "out"
    db = data / "warehouse.duckdb"
    for command in (("demo", "--until", UNTIL, "--clients", "3", "--years", "1"),
                    ("export", "month-end", "--month", "2026-10", "--out", out / "book.xlsx", "--csv-dir", out / "csv"),
                    ("weekly", "--week", UNTIL, "--out", out / "weekly.pdf"),
                    ("jobs", "run-due", "--now", f"{UNTIL}T07:00")):
        result = run_at_022(*command, "--db", db)
        assert result.returncode in (0, 1), result.stderr
    made = {path.name for path in data.iterdir()}
    assert {"warehouse.duckdb", "warehouse.snapshot.duckdb", "settings.toml", "categories.toml"} <= made, made
    assert {"book.xlsx", "csv", "weekly.pdf"} <= {path.name for path in out.iterdir()}
    assert stat.S_IMODE(data.stat().st_mode) == 0o700 and stat.S_IMODE((tmp_path / "books").stat().st_mode) == 0o700
    assert shared_with_others(data.parent, out) == []


def test_a_folder_already_there_is_left_as_it_is(tmp_path, umask_022):
    from models.files import write_atomically

    tmp_path.chmod(0o755)
    write_atomically(tmp_path / "new" / "file.txt", "books")
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "new" / "file.txt").stat().st_mode) == 0o600


def test_files_being_written_are_the_owner_s_only_before_they_are_renamed(demo_copy, umask_022):
    """DuckDB makes the snapshot being published, and its log, with the umask's mode; they are renamed only
    once whole. Watched while a build runs: every temporary beside the warehouse is 0600 from its first byte."""
    db = demo_copy(20, 2)  # a company whose build lasts long enough to be watched
    build = subprocess.Popen([MSP_REVENUE, "build", "--db", str(db)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    seen, shared = set(), []
    while build.poll() is None:
        for entry in db.parent.iterdir():
            try:
                mode = entry.lstat().st_mode
            except FileNotFoundError:  # renamed or removed between listing and looking
                continue
            if entry.name.startswith("."):
                seen.add(entry.name)
                if mode & OTHERS:
                    shared.append(f"{entry.name} {stat.filemode(mode)}")
        time.sleep(0.002)
    assert build.returncode == 0
    assert any(name.endswith(".tmp") for name in seen), seen  # the snapshot was watched being written
    assert shared == []
