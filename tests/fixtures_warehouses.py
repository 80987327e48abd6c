"""Warehouses the tests share, built once per session (per worker under pytest-xdist): the demo company,
copies of it for the tests that write, and the company of tests/hand_books.py."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.hand_books import books, opened
from tests.helpers import UNTIL, cli


def _listing(folder: Path) -> list[tuple[str, int, int]]:
    return sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir())


@pytest.fixture(scope="session")
def demo_builds(tmp_path_factory):
    """demo_builds(clients, years): the demo company of that size to UNTIL, built the first time it is asked
    for; its folder is the original the copies are made from."""
    built: dict[tuple[int, int], Path] = {}

    def build(clients: int, years: int) -> Path:
        if (clients, years) not in built:
            db = tmp_path_factory.mktemp(f"demo-{clients}x{years}") / "w.duckdb"
            assert cli("demo", "--db", db, "--until", UNTIL, "--clients", str(clients), "--years", str(years)) == 0
            built[(clients, years)] = db
        return built[(clients, years)]

    return build


@pytest.fixture(scope="session")
def demo_db(demo_builds):
    """The demo company (20 clients, 2 years to UNTIL) that every test reading it shares. A test that writes
    beside it (settings, rules, a build) takes `demo_copy` instead: the session fails if one changed it."""
    db = demo_builds(20, 2)
    before = _listing(db.parent)
    yield db
    assert _listing(db.parent) == before, "a test wrote to the shared demo warehouse; it should take demo_copy()"


@pytest.fixture
def demo_copy(tmp_path, demo_builds):
    """demo_copy(clients=20, years=2): a demo company of the test's own, copied from the one built once."""
    def copy(clients: int = 20, years: int = 2) -> Path:
        original = demo_builds(clients, years)
        folder = tmp_path / f"demo-{clients}x{years}"
        shutil.copytree(original.parent, folder)
        return folder / original.name

    return copy


@pytest.fixture(scope="session")
def hand(tmp_path_factory):
    """The hand-computed company (tests/hand_books.py), built once: its snapshot and settings, open."""
    db = tmp_path_factory.mktemp("hand") / "wh" / "w.duckdb"
    books().load(db)
    rules = db.with_name("categories.toml")
    rules.write_text(rules.read_text().replace("[agreement_months]\n", '[agreement_months]\n"MSA - Quarterly" = 3\n'))
    assert cli("build", "--db", db) == 0
    with opened(db) as both:
        yield both
