"""The tests stand on their own: fixtures in conftest.py only, recorded data inside this repository."""
from __future__ import annotations

import re
from pathlib import Path

from tests.helpers import PROJECT

OURS = sorted(p for folder in ("tests", "bench") for p in (PROJECT / folder).rglob("*")
              if p.suffix in {".py", ".md", ".toml", ".yml"} and "fixtures" not in p.relative_to(PROJECT).parts)
IMPORTS_CONFTEST = re.compile(r"^\s*(from\s+(tests\.)?conftest\s+import|import\s+(tests\.)?conftest\b"
                              r"|from\s+tests\s+import\s+conftest)", re.M)
SIBLING_SHARED = re.compile(r"\.\./shared|[\"']shared[\"']|\bshared/fixtures")


def matching(pattern: re.Pattern, paths: list[Path]) -> list[str]:
    return [str(p.relative_to(PROJECT)) for p in paths if pattern.search(p.read_text(encoding="utf-8"))]


def test_no_module_imports_conftest():
    # pytest imports conftest.py as a plugin: imported again as a module, it runs twice
    assert matching(IMPORTS_CONFTEST, [p for p in OURS if p.suffix == ".py"]) == []


def test_nothing_reads_the_sibling_shared_folder():
    # a clone has no sibling folder: what tests read is copied into tests/fixtures
    assert matching(SIBLING_SHARED, [p for p in OURS if p != Path(__file__).resolve()]) == []
