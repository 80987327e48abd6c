"""The floors of the code stay one-way, every query file has one name, and the README's layout is true.

Floors, bottom up: models (the warehouse side and the domain) · ingest (connectors) · services (the one
way up to the connectors) · jobs (the unattended runner, on top of services) · cli, dashboards and the
router (the top). An import may only go down,
and the top floor reaches the connectors through services, never directly.

Inside models/, rooms, bottom up: settings · warehouse · figures · documents · jobs, on a base of small
shared modules loose in models/; an import may only go down a room (or stay in its own).
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from models.figures import reports
from models.warehouse import sqlfiles

PROJECT = Path(__file__).resolve().parent.parent
PRODUCT = ("models", "ingest", "services", "jobs", "cli", "dashboards", "streamlit_app")
PROJECT_TOP_LEVEL = {*PRODUCT, "tests", "bench"}
MAY_IMPORT = {
    "models": {"models"},
    "ingest": {"ingest", "models"},
    "services": {"ingest", "models"},
    "jobs": {"services", "models"},
    "cli": {"jobs", "services", "models"},
    "dashboards": {"dashboards", "jobs", "services", "models"},
    "streamlit_app": {"dashboards", "models"},
}

# Rooms inside models/, bottom up: a module may import its own room, the rooms below it and the base (the small
# shared modules loose in models/), never a room above. The owner's settings sit below the warehouse because a
# build reads the category rules; the documents are made from the figures; the jobs send the documents.
BASE = {"models.money", "models.months", "models.names", "models.markdown", "models.files", "models.deadlines"}
ROOMS = ("settings", "warehouse", "figures", "documents", "jobs")
CONNECTOR_ROOMS = {"settings", "warehouse"}  # a connector stores raw records: it reads no figure or document

def product_files() -> dict[str, Path]:
    """Module name -> file, for every product module."""
    found = {}
    for top in PRODUCT:
        single = PROJECT / f"{top}.py"
        if single.exists():
            found[top] = single
            continue
        for path in sorted((PROJECT / top).rglob("*.py")):
            parts = path.relative_to(PROJECT).with_suffix("").parts
            found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


def imported_modules(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules a file imports, at the top or inside functions alike."""
    targets = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            for alias in node.names:
                submodule = f"{node.module}.{alias.name}"
                targets.add(submodule if submodule in modules else node.module)
    return {t for t in targets if t.split(".")[0] in PROJECT_TOP_LEVEL}


def import_graph() -> dict[str, set[str]]:
    modules = product_files()
    return {name: imported_modules(path, modules) for name, path in modules.items()}


def test_every_import_goes_down_a_floor():
    backward = sorted(
        f"{module} imports {target}"
        for module, targets in import_graph().items()
        for target in targets
        if target.split(".")[0] not in MAY_IMPORT[module.split(".")[0]]
    )
    assert backward == [], "imports that run up a floor (or skip the service layer):\n" + "\n".join(backward)


def room_of(module: str) -> str | None:
    """The room a models module is in; None for the base (and models itself)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 and parts[1] in ROOMS else None


def test_models_holds_rooms_and_only_the_agreed_base_modules():
    loose = {f"models.{path.stem}" for path in (PROJECT / "models").glob("*.py") if path.stem != "__init__"}
    assert loose == BASE, f"modules loose in models/ beyond the base: {sorted(loose - BASE)}; put them in a room"
    packages = {path.name for path in (PROJECT / "models").iterdir() if (path / "__init__.py").exists()}
    assert packages == set(ROOMS)


def test_every_models_import_goes_down_a_room():
    graph = import_graph()
    upward = sorted(
        f"{module} imports {target}"
        for module, targets in graph.items() if module.startswith("models.")
        for target in targets if target.startswith("models.")
        if (target not in BASE and target != "models") and (
            module in BASE or ROOMS.index(room_of(target)) > ROOMS.index(room_of(module))))
    assert upward == [], "imports that run up a room:\n" + "\n".join(upward)


def test_connectors_read_only_the_settings_and_the_warehouse():
    wrong = sorted(f"{module} imports {target}" for module, targets in import_graph().items()
                   if module.startswith("ingest") for target in targets
                   if target.startswith("models.") and target not in BASE and room_of(target) not in CONNECTOR_ROOMS)
    assert wrong == []


def test_outside_ingest_the_connector_is_its_package():
    """ingest/qbo/__init__.py is the QuickBooks connector's public face: nothing outside ingest/ imports its modules."""
    reaching_in = sorted(f"{module} imports {target}" for module, targets in import_graph().items()
                         if not module.startswith("ingest") for target in targets if target.startswith("ingest.qbo."))
    assert reaching_in == []


def test_no_import_loops():
    graph = import_graph()
    loops, state = [], {}

    def visit(module: str, path: tuple[str, ...]) -> None:
        state[module] = "visiting"
        for target in sorted(graph.get(module, ())):
            if state.get(target) == "visiting":
                loops.append(" -> ".join(path[path.index(target):] + (target,)) if target in path else target)
            elif target not in state:
                visit(target, path + (target,))
        state[module] = "done"

    for module in sorted(graph):
        if module not in state:
            visit(module, (module,))
    assert loops == []


def test_the_floor_test_sees_a_backward_import(tmp_path):
    """The walk really reads imports, including ones inside functions."""
    path = tmp_path / "probe.py"
    path.write_text("def f():\n    from ingest.qbo import run\n    import services\n")
    assert imported_modules(path, product_files()) == {"ingest.qbo.run", "services"}


def test_every_query_file_has_one_name():
    on_disk = sorted(str(p.relative_to(sqlfiles.SQL_DIR)) for folder in ("reports", "month_end")
                     for p in (sqlfiles.SQL_DIR / folder).glob("*.sql"))
    assert sorted(reports.QUERIES.values()) == on_disk
    assert all(path.endswith(f"/{name}.sql") for name, path in reports.QUERIES.items())


def test_every_query_file_is_run_by_name():
    """The query list comes from the folders: a file no report, sheet or status names is run by nothing."""
    text = "\n".join(path.read_text(encoding="utf-8") for path in product_files().values())
    named = set(re.findall(r"""["'](\w+)["']""", text))
    unused = [f"sql/{path}" for name, path in reports.QUERIES.items() if name not in named]
    assert unused == [], f"no report, sheet or status runs {unused}: name it in a report's plan, or remove it"


def test_two_query_files_of_one_name_are_refused(tmp_path, monkeypatch):
    for folder in reports.QUERY_FOLDERS:
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "twice.sql").write_text("select 1")
    monkeypatch.setattr(sqlfiles, "SQL_DIR", tmp_path)
    with pytest.raises(RuntimeError, match="sql/month_end/twice.sql and sql/reports/twice.sql share the name"):
        reports._query_files()


def test_query_files_are_run_only_through_the_registry():
    """Python names a query file in one place (the registry): no second way to run one."""
    pattern = re.compile(r"""["'](reports|month_end)/\w+\.sql""")
    offenders = [str(path.relative_to(PROJECT)) for path in product_files().values()
                 if pattern.search(path.read_text(encoding="utf-8")) and path.name != "reports.py"]
    assert offenders == []


def test_pages_hold_no_sql_and_open_no_database():
    offenders = [path.name for path in (PROJECT / "dashboards").glob("*.py")
                 if re.search(r"\bduckdb\b|\bselect\b.+\bfrom\b", path.read_text(encoding="utf-8"), re.I)]
    assert offenders == []


def test_the_readme_layout_names_every_folder():
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    packages = {f"{p.parent.relative_to(PROJECT)}/" for top in PRODUCT if (PROJECT / top).is_dir()
                for p in (PROJECT / top).rglob("__init__.py")}
    folders = packages | {"bench/", "docs/", "tests/"} | {f"{p.name}/" for p in sqlfiles.SQL_DIR.iterdir() if p.is_dir()}
    files = {f"{top}.py" for top in PRODUCT if (PROJECT / f"{top}.py").exists()}
    missing = sorted(name for name in folders | files if f"`{name}`" not in layout)
    assert missing == [], f"README.md's Layout section does not name {missing}"
    named = set(re.findall(r"`([\w/.]+)`", layout))
    gone = sorted(name for name in named if "/" in name or name.endswith(".py")
                  if not ((PROJECT / name).exists() or (sqlfiles.SQL_DIR / name).exists()))
    assert gone == [], f"README.md's Layout section names what is not in the tree: {gone}"


def test_the_app_server_imports_what_the_pages_import_and_runs_no_page():
    from dashboards import server

    wanted = server.page_imports()
    assert {"dashboards.common", "models.documents.weekly", "models.figures.drilldown", "models.documents.charts", "pandas"} <= set(wanted)
    pages = {f"dashboards.{path.stem}" for path in (PROJECT / "dashboards").glob("*.py")} - {
        "dashboards.common", "dashboards.server", "dashboards.__init__"}
    assert not pages & set(wanted), "importing a page module would run the page"


def test_each_vocabulary_is_written_once():
    """The aging buckets and the MRR movements are spelled in models/figures/vocabulary.py only (with their
    names and colours); every page, chart, printout, workbook and report takes them from there."""
    from models.figures import vocabulary

    codes = set(vocabulary.AGING_BUCKETS) | set(vocabulary.MRR_MOVEMENTS) - {"new"}  # "new" is also a word
    home = PROJECT / "models" / "figures" / "vocabulary.py"
    spelled = sorted(
        f"{path.relative_to(PROJECT)}:{node.lineno} {node.value!r}"
        for path in product_files().values() if path != home
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant) and node.value in codes
    )
    assert spelled == [], "vocabulary spelled outside models/figures/vocabulary.py:\n" + "\n".join(spelled)
