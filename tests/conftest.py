"""Pytest fixtures. The shared ones live in tests/fixtures_*.py, registered here: warehouses (the demo company
built once), the local QuickBooks, and the browser with the app it opens. Helpers live in tests/helpers.py,
document builders in tests/builders.py and the recorded QuickBooks data in tests/recorded.py. No test module
imports another (tests/test_suite.py)."""
from __future__ import annotations

import functools
from pathlib import Path

import pytest

from ingest.qbo.client import SHORT_WAITS_ENV

pytest_plugins = ["tests.fixtures_warehouses", "tests.fixtures_quickbooks", "tests.fixtures_browser"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Modules marked `long` first, then the others by their number of tests, keeping each module's own order.
    `make test` hands whole modules to its workers in this order (--dist loadfile --no-loadscope-reorder);
    pytest-xdist's own order, most tests first, hands the long modules of few tests out last, and the run
    ended with one worker idle while the other ran them."""
    modules: dict[str, list[pytest.Item]] = {}
    for item in items:
        modules.setdefault(item.nodeid.split("::")[0], []).append(item)
    first = sorted(modules.values(), key=lambda tests: (tests[0].get_closest_marker("long") is None, -len(tests)))
    items[:] = [item for tests in first for item in tests]


@pytest.fixture(scope="session", autouse=True)
def short_waits_after_a_throttle():
    """A sync through the command line (in this process or a child) pauses briefly after a throttle or a
    failure instead of Intuit's 60 s; its limits stay Intuit's (ingest.qbo.client.Policy.from_environment)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(SHORT_WAITS_ENV, "1")
        yield


@pytest.fixture(scope="session", autouse=True)
def installed_components_found_once():
    """Each app AppTest makes looks for installed Streamlit components by reading the metadata of every installed
    distribution (~75 ms of CPU an app); what is installed does not change during a run, and a served app looks once,
    when its server starts."""
    from streamlit.components.v2 import manifest_scanner

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(manifest_scanner, "scan_component_manifests",
                      functools.cache(manifest_scanner.scan_component_manifests))
        yield


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "wh" / "warehouse.duckdb"
