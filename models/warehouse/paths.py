"""Where the warehouse files live: the work database and the files beside it."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]  # the project folder, or site-packages when installed
# A project folder (make's editable install) keeps its warehouse in data/; an installed copy (`pip install .`)
# has no folder of its own, so its default is the user's data folder.
INSTALLED = not (PROJECT_DIR / "pyproject.toml").exists()
DEFAULT_DB = (Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "msp-revenue"
              if INSTALLED else PROJECT_DIR / "data") / "warehouse.duckdb"
ENV_VAR = "MSP_REVENUE_DB"
# How a person types the command line, in every hint the product prints: in a project folder the launcher
# committed there (README "Two commands"); in an installed copy or the container, the msp-revenue on the PATH.
COMMAND = "./msp-revenue" if not INSTALLED and (PROJECT_DIR / "msp-revenue").is_file() else "msp-revenue"


def work_db(path: str | os.PathLike | None = None) -> Path:
    """The work database: --db, else $MSP_REVENUE_DB, else data/warehouse.duckdb in the project (in an
    installed copy: msp-revenue/warehouse.duckdb in $XDG_DATA_HOME, by default ~/.local/share)."""
    chosen = path or os.environ.get(ENV_VAR) or DEFAULT_DB
    return Path(chosen).expanduser().resolve()


def snapshot(db: Path) -> Path:
    """The read-only copy the app and reports read, published by every build."""
    return db.with_name(db.stem + ".snapshot.duckdb")


def category_rules(db: Path) -> Path:
    """The owner's category rules (TOML), created from the defaults on first use."""
    return db.with_name("categories.toml")
