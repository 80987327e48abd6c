"""Pytest fixtures. Helpers live in tests/helpers.py, document builders in tests/builders.py and the
recorded QuickBooks data in tests/recorded.py."""
from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "wh" / "warehouse.duckdb"
