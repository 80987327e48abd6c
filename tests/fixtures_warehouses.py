"""Warehouses the tests share: the demo company of each size, built once per run and read by every pytest-xdist
worker (tests/run_once.py), copies of it for the tests and the modules that write, and the company of
tests/hand_books.py, and the jobs' company (tests/jobs_helpers.py) for each test to copy."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.hand_books import books, opened
from tests.helpers import UNTIL, cli, copied_warehouse
from tests.jobs_helpers import books as jobs_books
from tests.run_once import built_once, listing


@pytest.fixture(scope="session")
def demo_builds(tmp_path_factory):
    """demo_builds(clients, years): the demo company of that size to UNTIL, built the first time any worker asks
    for it; its folder is the original the copies are made from. Every test only reads it (a test that writes
    beside it, settings, rules, a build, takes `demo_copy`): the session fails if one changed it."""
    built: dict[tuple[int, int], tuple[Path, list]] = {}

    def build(clients: int, years: int) -> Path:
        if (clients, years) not in built:
            def make(db: Path) -> None:
                assert cli("demo", "--db", db, "--until", UNTIL, "--clients", str(clients),
                           "--years", str(years)) == 0

            db = built_once(tmp_path_factory, f"demo-{clients}x{years}", make)
            built[(clients, years)] = (db, listing(db.parent))
        return built[(clients, years)][0]

    yield build
    for db, before in built.values():
        assert listing(db.parent) == before, f"a test wrote to the shared demo warehouse {db.parent.name}; " \
                                              "it should take demo_copy()"


@pytest.fixture(scope="session")
def demo_db(demo_builds):
    """The demo company (20 clients, 2 years to UNTIL) that every test reading it shares."""
    return demo_builds(20, 2)


@pytest.fixture
def demo_copy(tmp_path, demo_builds):
    """demo_copy(clients=20, years=2): a demo company of the test's own, copied from the one built once."""
    return lambda clients=20, years=2: copied_warehouse(demo_builds(clients, years), tmp_path / f"demo-{clients}x{years}")


@pytest.fixture(scope="session")
def demo_copies(tmp_path_factory, demo_builds):
    """demo_copies(name, clients, years): a demo company in a new folder of its own, copied from the one built once,
    for a module's fixture (what demo_copy is to a test): the module may write beside it."""
    return lambda name, clients, years: copied_warehouse(demo_builds(clients, years),
                                                tmp_path_factory.mktemp(name) / f"demo-{clients}x{years}")


@pytest.fixture(scope="session")
def demo_files(tmp_path_factory):
    """demo_files(clients, years): the folder of the demo company's QuickBooks JSON files of that size to UNTIL
    (`demo --out DIR --files-only`, what `demo --out` writes beside its warehouse), written once per run; the tests
    only read them (the session fails if one changed them)."""
    written: dict[tuple[int, int], tuple[Path, list]] = {}

    def write(clients: int, years: int) -> Path:
        if (clients, years) not in written:
            def make(out: Path) -> None:
                assert cli("demo", "--db", out.with_name("none.duckdb"), "--until", UNTIL, "--clients", str(clients),
                           "--years", str(years), "--out", out, "--files-only") == 0

            folder = built_once(tmp_path_factory, f"demo-files-{clients}x{years}", make, file_name="files")
            written[(clients, years)] = (folder, listing(folder))
        return written[(clients, years)][0]

    yield write
    for folder, before in written.values():
        assert listing(folder) == before, f"a test wrote to the shared demo files {folder.parent.name}"


@pytest.fixture(scope="session")
def hand(tmp_path_factory):
    """The hand-computed company (tests/hand_books.py), built once for the run: its snapshot and settings, open
    (read-only: every worker opens the same one)."""
    def make(db: Path) -> None:
        books().load(db, rules={"agreement_months": '"MSA - Quarterly" = 3'})

    db = built_once(tmp_path_factory, "hand", make)
    before = listing(db.parent)
    with opened(db) as both:
        yield both
    assert listing(db.parent) == before, "a test wrote beside the shared hand-computed company"


@pytest.fixture(scope="session")
def jobs_books_once(tmp_path_factory):
    """The unattended jobs' hand-computed company (tests/jobs_helpers.books), loaded and built once for the run; the
    session fails if a test wrote beside it."""
    db = built_once(tmp_path_factory, "jobs-books", jobs_books, file_name="warehouse.duckdb")
    before = listing(db.parent)
    yield db
    assert listing(db.parent) == before, "a test wrote beside the shared jobs' company; it should take booked(db)"


@pytest.fixture
def booked(jobs_books_once):
    """booked(db): the jobs' company at `db` (a folder not made yet), copied from the one built once, as
    tests/jobs_helpers.books would load and build it there; returns db."""
    return lambda db: copied_warehouse(jobs_books_once, db.parent)
