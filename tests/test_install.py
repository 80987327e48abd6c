"""What `make run` installs, the ./msp-revenue launcher, and an installed (non-editable) copy.

- requirements.lock pins what the product runs on and nothing only the tests use; requirements-test.lock
  adds what the tests and benchmarks use; `make run` installs the first, `make test` both.
- ./msp-revenue runs the command line from the project folder (and from anywhere, by its path), setting up
  .venv with `make setup` when it is missing.
- `pip install .` (a wheel, not the editable install make does) carries sql/, the fonts and the default
  rules and settings: the installed command builds the demo and reports from another folder.
"""
from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
import tomllib
import urllib.request
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.helpers import PROJECT, UNTIL
from tests.project_copy import clone
from tests.server import free_port, running

pytestmark = pytest.mark.long

MAKEFILE = (PROJECT / "Makefile").read_text(encoding="utf-8")
README = (PROJECT / "README.md").read_text(encoding="utf-8")
TEST_ONLY = {"pytest", "pytest-xdist", "ruff", "hypothesis", "playwright", "pyyaml", "pypdf", "aiosmtpd"}
def name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def pins(lock: str) -> dict[str, str]:
    found = {}
    for line in (PROJECT / lock).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            package, _, version = line.partition("==")
            assert version, f"{lock}: {line} is not pinned exactly"
            found[name(package)] = version
    return found


def closure(requirements: list[str]) -> set[str]:
    """The distributions these requirements need, as installed here (the test venv holds both locks)."""
    seen: set[str] = set()
    todo = [Requirement(r) for r in requirements]
    while todo:
        requirement = todo.pop()
        if name(requirement.name) in seen or (requirement.marker and not requirement.marker.evaluate({"extra": ""})):
            continue
        seen.add(name(requirement.name))
        todo += [Requirement(r) for r in importlib.metadata.distribution(requirement.name).requires or []]
    return seen


def test_the_product_lock_holds_what_the_product_needs_and_nothing_only_the_tests_use():
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    product, tests = pins("requirements.lock"), pins("requirements-test.lock")
    assert not TEST_ONLY & set(product), "test-only packages in requirements.lock"
    assert TEST_ONLY <= set(tests)
    assert not set(product) & set(tests), "a package pinned in both locks"
    needed = closure(project["dependencies"])
    assert needed == set(product), (f"missing: {sorted(needed - set(product))}, "
                                    f"not needed: {sorted(set(product) - needed)}")
    assert closure(project["dependencies"] + project["optional-dependencies"]["test"]) == set(product) | set(tests)
    for package, version in {**product, **tests}.items():  # the locks are what is installed here
        assert importlib.metadata.version(package) == version, package


def test_the_locks_name_no_package_index():
    for lock in ("requirements.lock", "requirements-test.lock"):
        text = (PROJECT / lock).read_text(encoding="utf-8")
        assert not re.search(r"://|--(extra-)?index-url|--find-links|--trusted-host|^\s*-[fi]\b", text, re.M), lock


def test_make_run_installs_the_product_and_make_test_adds_the_tests():
    def recipe(target: str) -> tuple[str, str]:
        found = re.search(rf"^{re.escape(target)}:(.*)\n((?:\t.*\n)*)", MAKEFILE, re.M)
        assert found, target
        return found.group(1), found.group(2)

    product_prereqs, product = recipe("$(STAMP)")
    assert "requirements.lock" in product_prereqs and "-r requirements.lock" in product
    assert "requirements-test.lock" not in product_prereqs + product
    test_prereqs, test = recipe("$(TEST_STAMP)")
    assert "$(STAMP)" in test_prereqs and "-r requirements-test.lock" in test
    assert "$(TEST_STAMP)" not in recipe("run")[0] and "$(STAMP)" in recipe("run")[0]
    assert "$(TEST_STAMP)" in recipe("test")[0]
    # our bytecode written by setup, and again by what runs the code (a shell may forbid each command writing it)
    assert "compileall" in product and "compileall" in recipe("bytecode")[1]
    assert all("bytecode" in recipe(target)[0] for target in ("run", "test", "bench"))
    dockerfile = (PROJECT / "Dockerfile").read_text(encoding="utf-8")
    assert "-r requirements.lock" in dockerfile and "requirements-test.lock" not in dockerfile
    assert "make test" in (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
    assert "requirements-test.lock" in README and "./msp-revenue --help" in README


def test_the_launcher_sets_up_a_fresh_copy_with_make_then_runs_the_command(tmp_path):
    copy = clone(tmp_path)
    assert os.access(copy / "msp-revenue", os.X_OK)
    # a `make` that records its calls and sets up .venv as `make setup` would (a venv is slow to build)
    stubs, calls = tmp_path / "bin", tmp_path / "make.log"
    stubs.mkdir()
    (stubs / "make").write_text(
        f'#!/bin/sh\necho "$*" >> {calls}\ncase "$*" in *-q*) exit 1;; esac\n'
        f'mkdir -p {copy}/.venv/bin && printf \'#!/bin/sh\\necho "venv msp-revenue $*"\\n\' > {copy}/.venv/bin/msp-revenue '
        f'&& chmod 755 {copy}/.venv/bin/msp-revenue\n')
    (stubs / "make").chmod(0o755)
    done = subprocess.run(["./msp-revenue", "report", "mrr"], cwd=copy, capture_output=True, text=True, timeout=60,
                          env={**os.environ, "PATH": f"{stubs}:{os.environ['PATH']}"})
    assert done.returncode == 0, done.stderr
    assert done.stdout == "venv msp-revenue report mrr\n"
    assert "setting up" in done.stderr and calls.read_text().splitlines()[-1].endswith("setup")


def test_the_launcher_runs_the_venvs_command_from_a_fresh_copy(tmp_path):
    copy = clone(tmp_path)
    (copy / ".venv").symlink_to(PROJECT / ".venv")  # this venv, set up: the launcher must not set it up again
    for pinned in ("requirements.lock", "pyproject.toml"):
        os.utime(copy / pinned, (1e9, 1e9))  # older than .venv/.installed, as after `make setup`
    for cwd, launcher in ((copy, "./msp-revenue"), (tmp_path, str(copy / "msp-revenue"))):
        done = subprocess.run([launcher, "--help"], cwd=cwd, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("usage: msp-revenue") and "setting up" not in done.stderr


HINT = re.compile(r"msp-revenue (connect|sync|demo|load|build|status|report|export|jobs)\b")
SOURCES = [p for p in PROJECT.glob("*.py")] + [p for d in ("ingest", "models", "dashboards") for p in (PROJECT / d).rglob("*.py")]


def test_every_hint_the_product_prints_names_the_command_as_it_is_typed():
    """Messages say `{paths.COMMAND} sync`: ./msp-revenue in a project folder, msp-revenue when installed."""
    from models.warehouse import paths

    assert paths.COMMAND == "./msp-revenue"  # the tests run in a project folder
    found = []
    for source in SOURCES:
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if code.strip().startswith('"""') or "another msp-revenue" in code or "Sent by msp-revenue" in code:
                continue  # docstrings, and the product named rather than a command to type
            if HINT.search(code) and '"' in code:
                found.append(f"{source.relative_to(PROJECT)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)


def test_a_hint_the_launcher_prints_works_as_written(tmp_path):
    copy = clone(tmp_path)
    (copy / ".venv").symlink_to(PROJECT / ".venv")
    for pinned in ("requirements.lock", "pyproject.toml"):
        os.utime(copy / pinned, (1e9, 1e9))
    db = "data/w/warehouse.duckdb"
    missing = subprocess.run(["./msp-revenue", "report", "mrr", "--db", db], cwd=copy, capture_output=True, text=True,
                             timeout=120)
    assert missing.returncode == 1 and "run `./msp-revenue demo`" in missing.stderr, missing.stderr
    hint = re.search(r"run `(\./msp-revenue demo)`", missing.stderr).group(1)
    done = subprocess.run([*hint.split(), "--db", db, "--until", UNTIL, "--clients", "3", "--years", "1"], cwd=copy,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


@pytest.mark.install
def test_an_installed_copy_builds_the_demo_and_reports_from_another_folder(tmp_path):
    """`pip install .` into a new venv; the dependencies are this venv's, of requirements.lock only (linked
    in through a .pth file, so the test needs no download and sees no test-only package)."""
    # (Streamlit takes a copy outside a folder named site-packages for its own development: so named)
    venv, deps, elsewhere = tmp_path / "venv", tmp_path / "deps" / "site-packages", tmp_path / "elsewhere"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip())
    deps.mkdir(parents=True)
    for package in pins("requirements.lock"):
        for top in {Path(str(f)).parts[0] for f in importlib.metadata.distribution(package).files or []}:
            source = Path(str(importlib.metadata.distribution(package).locate_file(top)))
            if top != ".." and not (deps / top).exists() and source.exists():
                (deps / top).symlink_to(source)
    (site / "deps.pth").write_text(f"{deps}\n")
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels),
                            str(clone(tmp_path))], capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--quiet",
                                *map(str, wheels.glob("*.whl"))], capture_output=True, text=True, timeout=300)
    assert installed.returncode == 0, installed.stderr
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MSP_REVENUE_DB", "VIRTUAL_ENV")}
    env["HOME"] = str(tmp_path / "home")

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(venv / "bin" / "msp-revenue"), *args], cwd=elsewhere, env=env,
                              capture_output=True, text=True, timeout=600)

    where = subprocess.run([python, "-c", "import models.warehouse.sqlfiles as s, models.warehouse.paths as p; print(s.SQL_DIR); "
                            "print(p.DEFAULT_DB)"], cwd=elsewhere, env=env, capture_output=True, text=True)
    sql_dir, default_db = where.stdout.split()
    assert Path(sql_dir).is_relative_to(venv) and (Path(sql_dir) / "staging").is_dir(), where.stderr
    assert Path(default_db) == tmp_path / "home" / ".local" / "share" / "msp-revenue" / "warehouse.duckdb"
    db = tmp_path / "wh" / "warehouse.duckdb"
    missing = run("report", "mrr", "--db", str(db))  # installed, the hint names the command on the PATH
    assert missing.returncode == 1 and "run `msp-revenue demo`" in missing.stderr, missing.stderr
    demo = run("demo", "--db", str(db), "--until", UNTIL, "--clients", "6", "--years", "1")
    assert demo.returncode == 0, demo.stderr
    assert (db.parent / "categories.toml").exists() and (db.parent / "settings.toml").exists()
    report = run("report", "mrr", "--db", str(db), "--format", "csv")
    assert report.returncode == 0, report.stderr
    assert report.stdout.splitlines()[0].startswith("month") and len(report.stdout.splitlines()) > 2
    port = free_port()
    with running([str(venv / "bin" / "msp-revenue"), "app", "--db", str(db), "--port", str(port)], port, env,
                 tmp_path / "app.log", timeout=120) as url:
        with urllib.request.urlopen(url, timeout=30) as page:
            assert page.status == 200
    assert "Traceback" not in (tmp_path / "app.log").read_text()
    pdf = run("weekly", "--db", str(db), "--week", UNTIL, "--out", str(tmp_path / "weekly.pdf"))  # the fonts
    assert pdf.returncode == 0, pdf.stderr


def test_an_installed_app_has_the_projects_safe_defaults(tmp_path):
    from dashboards import server

    assert tomllib.loads(server.SAFE_DEFAULTS.read_text(encoding="utf-8")) == \
        tomllib.loads((PROJECT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert server.default_options(PROJECT) == []  # the project's own file, which the owner may edit, decides
    options = server.default_options(tmp_path)
    assert options[options.index("--client.showErrorDetails") + 1] == "none"
    assert options[options.index("--browser.gatherUsageStats") + 1] == "false"
    assert options[options.index("--server.address") + 1] == "127.0.0.1"
