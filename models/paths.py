"""Where the warehouse files live: the work database and the files beside it."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
DEFAULT_DB = PROJECT_DIR / "data" / "warehouse.duckdb"
ENV_VAR = "MSP_REVENUE_DB"


def work_db(path: str | os.PathLike | None = None) -> Path:
    """The work database: --db, else $MSP_REVENUE_DB, else data/warehouse.duckdb in the project."""
    chosen = path or os.environ.get(ENV_VAR) or DEFAULT_DB
    return Path(chosen).expanduser().resolve()


def snapshot(db: Path) -> Path:
    """The read-only copy the app and reports read, published by every build."""
    return db.with_name(db.stem + ".snapshot.duckdb")


def category_rules(db: Path) -> Path:
    """The owner's category rules (TOML), created from the defaults on first use."""
    return db.with_name("categories.toml")


def ensure_copy(path: Path, default: Path) -> Path:
    """The owner's editable file, copied from the project's default the first time."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(default, path)
    return path
