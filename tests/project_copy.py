"""A copy of the project folder as a clone holds it, for the tests that set up or follow the README in one."""
from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers import PROJECT

# what a copy of the project holds (a clone), without what set-up, tests and runs leave in the folder
TOP_LEFT_BEHIND = {".git", ".venv", "data", "build", ".pytest_cache", ".hypothesis", "test-artifacts", ".ruff_cache"}


def left_behind(folder: str, names: list[str]) -> set[str]:
    top = Path(folder) == PROJECT
    return {n for n in names if (top and n in TOP_LEFT_BEHIND) or n == "__pycache__" or n.endswith(".egg-info")}


def clone(tmp_path: Path) -> Path:
    copy = tmp_path / "msp-revenue"
    shutil.copytree(PROJECT, copy, ignore=left_behind, symlinks=True)
    return copy
