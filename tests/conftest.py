"""Pytest fixtures. The shared ones live in tests/fixtures_*.py, registered here: warehouses (the demo company
built once), the local QuickBooks, and the browser with the app it opens. Helpers live in tests/helpers.py,
document builders in tests/builders.py and the recorded QuickBooks data in tests/recorded.py. No test module
imports another (tests/test_suite.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.qbo.client import SHORT_WAITS_ENV

pytest_plugins = ["tests.fixtures_warehouses", "tests.fixtures_quickbooks", "tests.fixtures_browser"]


@pytest.fixture(scope="session", autouse=True)
def short_waits_after_a_throttle():
    """A sync through the command line (in this process or a child) pauses briefly after a throttle or a
    failure instead of Intuit's 60 s; its limits stay Intuit's (ingest.qbo.client.Policy.from_environment)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SHORT_WAITS_ENV, "1")
        yield


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "wh" / "warehouse.duckdb"
