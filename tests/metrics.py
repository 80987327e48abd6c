"""Run reports the way the CLI and the app do, for tests."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from models.figures import reports
from models.settings import settings
from tests.helpers import snapshot_cursor


def report(db: Path, name: str, as_of: str | date = "2026-11-22", **options) -> list[dict]:
    as_of = date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    owner = settings.load(settings.ensure_settings_file(settings.settings_path(db)))
    con = snapshot_cursor(db)
    try:
        result = reports.run(con, name, reports.Options(as_of=as_of, **options), owner)
    finally:
        con.close()
    return [dict(zip(result.columns, row)) for row in result.rows]


def by(rows: list[dict], key: str) -> dict:
    return {row[key]: row for row in rows}


def month_end_pack(db: Path, month: date, today: date):
    """The month-end workbook's contents for `month` (its first day), as `export month-end` builds them."""
    from models.figures import month_end

    owner = settings.load(settings.ensure_settings_file(settings.settings_path(db)))
    con = snapshot_cursor(db)
    try:
        return month_end.build(con, owner, month, today=today)
    finally:
        con.close()
