"""Start Streamlit's server on the app with what the pages import already imported.

`streamlit run` imports a page's libraries (pandas' and Altair's schemas, openpyxl, reportlab, the
models) during the first visit, which then takes about a second longer than every later one. This
module imports them while the server starts, in the process that will run the pages, then hands over
to Streamlit's own command line: `python -m dashboards.server run streamlit_app.py [options]`.
"""
from __future__ import annotations

import ast
import importlib
import importlib.util
import logging
import os
import sys
from pathlib import Path

# As the command line does (cli.py): the pages import pandas, and through it numpy, whose OpenBLAS would start a
# thread per core for matrix products no page makes
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

PAGES = Path(__file__).resolve().parent
# The app's safe defaults (DESIGN.md #9), the same as the project's .streamlit/config.toml, which Streamlit
# reads from the folder it starts in: an installed copy (`pip install .`) has no such folder, so the server
# passes these as options instead.
SAFE_DEFAULTS = PAGES / "streamlit.toml"


def page_imports() -> list[str]:
    """The modules the pages import (from their files, so a new page or import needs no list here)."""
    found: set[str] = set()
    for page in sorted(PAGES.glob("*.py")):
        if page.name in {"server.py", "__init__.py"}:
            continue
        for node in ast.walk(ast.parse(page.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                found.add(node.module)
                # `from models import charts` imports the module models.documents.charts (a package's names only)
                if importlib.util.find_spec(node.module).submodule_search_locations is not None:
                    found |= {f"{node.module}.{alias.name}" for alias in node.names
                              if importlib.util.find_spec(f"{node.module}.{alias.name}") is not None}
    # importing a page module would run the page: of dashboards/, only what pages share
    return sorted(name for name in found if not name.startswith("dashboards.") or name == "dashboards.common")


def preload() -> None:
    # Imported before Streamlit's runtime exists, each @st.cache_data checks its options against the
    # store used without a runtime and warns; each cache takes the runtime's store at its first call
    # all the same, so the warning would only alarm the person starting the app.
    import streamlit.runtime.caching.cache_data_api  # noqa: F401  (it sets its logger's level when imported)

    cache_log = logging.getLogger("streamlit.runtime.caching.cache_data_api")
    level = cache_log.level
    cache_log.setLevel(logging.ERROR)
    try:
        for name in page_imports():
            importlib.import_module(name)
    finally:
        cache_log.setLevel(level)


def start_jobs_runner() -> None:
    """While the app runs it runs the due scheduled jobs itself (services.run_jobs_while_app_runs), so an
    owner who only runs the app still gets the weekly summary; MSP_REVENUE_JOBS_EVERY=0 leaves them to cron
    or the container."""
    import os
    import threading

    import services
    from models.warehouse import paths

    every = services.jobs_every(dict(os.environ))
    if every:
        threading.Thread(target=services.run_jobs_while_app_runs, name="jobs-runner", daemon=True,
                         args=(paths.work_db(), every, threading.Event())).start()


def default_options(folder: Path) -> list[str]:
    """`--section.key value` for each of SAFE_DEFAULTS when `folder` has no .streamlit/config.toml of its own
    (an option given on the command line still wins: it comes later)."""
    if (folder / ".streamlit" / "config.toml").exists():
        return []
    import tomllib

    options = []
    for section, values in tomllib.loads(SAFE_DEFAULTS.read_text(encoding="utf-8")).items():
        for key, value in values.items():
            options += [f"--{section}.{key}", str(value).lower() if isinstance(value, bool) else str(value)]
    return options


def main() -> int:
    preload()
    try:
        start_jobs_runner()
    except ValueError as err:
        print(f"msp-revenue: {err}", file=sys.stderr)
        return 2
    from streamlit.web import cli

    arguments = sys.argv[1:]
    if arguments[:1] == ["run"] and len(arguments) > 1:  # run SCRIPT [options]: the defaults before the options
        arguments = arguments[:2] + default_options(Path.cwd()) + arguments[2:]
    sys.argv = ["streamlit", *arguments]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
