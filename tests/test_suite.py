"""How the test suite is kept: shared fixtures live in conftest and tests/fixtures_*.py, helpers in modules of
their own, so no file of tests/ imports a test module (one that did built that module's servers and
warehouses a second time, and ran under another module's name)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent


def imported_test_modules(source: str) -> set[str]:
    """The test_* modules of tests/ that `source` imports, however it spells the import."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.ImportFrom):  # relative: from . import test_x, from .test_x import y
            names = [f"tests.{node.module}" if node.module else f"tests.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {name.split(".")[1] for name in names
                  if name.startswith("tests.") and name.split(".")[1].startswith("test_")}
    return found


def test_no_file_of_the_suite_imports_a_test_module():
    importing = {str(path.relative_to(TESTS)): sorted(imported_test_modules(path.read_text(encoding="utf-8")))
                 for path in sorted(TESTS.rglob("*.py"))}
    assert {name: modules for name, modules in importing.items() if modules} == {}


@pytest.mark.parametrize("source", [
    "from tests.test_app import app_on",
    "from tests import test_app",
    "import tests.test_app",
    "import tests.test_app as shared",
    "from .test_app import app_on",
    "from . import test_app",
    "def f():\n    from tests.test_app import app_on\n",  # inside a test, where the old imports hid
])
def test_every_spelling_of_such_an_import_is_found(source):
    assert imported_test_modules(source) == {"test_app"}


def test_helpers_and_fixture_modules_are_not_taken_for_test_modules():
    assert imported_test_modules("from tests.helpers import cli\nfrom tests import fixtures_browser\n"
                                 "import tests.stand_in.quickbooks\n") == set()
