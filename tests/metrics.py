"""Run reports the way the CLI and the app do, for tests."""
from __future__ import annotations

from collections import OrderedDict
from datetime import date
from pathlib import Path

from models.figures import reports
from models.settings import settings
from models.warehouse import paths
from models.warehouse.snapshot import SnapshotReader

_READERS: OrderedDict[Path, SnapshotReader] = OrderedDict()
_KEPT = 8  # the warehouses a worker's recent tests read: the others' connections are let go


def _cursor(db: Path):
    """A cursor on the warehouse's snapshot as it is now, as the app reads it: one connection per snapshot,
    opened again when a build publishes a new one (SnapshotReader). Opening one makes every macro, about 0.15 s
    of CPU; the property tests run a few hundred reports on three warehouses."""
    path = paths.snapshot(db)
    reader = _READERS.pop(path, None) or SnapshotReader(path)
    _READERS[path] = reader
    while len(_READERS) > _KEPT:
        _READERS.popitem(last=False)
    return reader.cursor()


def report(db: Path, name: str, as_of: str | date = "2026-11-22", **options) -> list[dict]:
    as_of = date.fromisoformat(as_of) if isinstance(as_of, str) else as_of
    owner = settings.load(settings.ensure_settings_file(settings.settings_path(db)))
    con = _cursor(db)
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
    con = _cursor(db)
    try:
        return month_end.build(con, owner, month, today=today)
    finally:
        con.close()
