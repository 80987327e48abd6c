"""Kept forecasts: the MRR forecast each build makes (report forecast as of the build's day, per company), kept in
the raw store where no build erases it, so a month that is over shows what was forecast for it against what came
(report forecast-accuracy; docs/METRICS.md). A forecast cannot be made again later: QuickBooks keeps a template's
schedule only as it is now."""
from __future__ import annotations

from datetime import date

import duckdb

from models.warehouse import catalogs, snapshot, sqlfiles, stored_macros
from models.warehouse.work_db import insert_rows, transaction

KEPT_MONTHS = 12  # report forecast's default: the months each kept forecast holds


def made_on() -> date:
    """The day a build's forecast is as of: the day it runs (a test sets its own)."""
    return date.today()


def make(con: duckdb.DuckDBPyConnection, day: date) -> list[tuple]:
    """In the build's new snapshot, once its marts are made: the forecasts kept by earlier days' builds and this
    build's own, one per company; this build's rows are returned for `keep`, once the snapshot is published (one
    transaction writes one database: the snapshot now, the work database's raw store after)."""
    # the table macros the forecast reads: the readers' own, stored in the new snapshot now that its marts are made
    stored_macros.store(con, snapshot.WRITING)
    with catalogs.also_searching(con, snapshot.WRITING, stored_macros.schema()):
        con.execute(sqlfiles.read("build/mart_kept_forecasts.sql"), {"made_on": day})
        for (realm,) in con.execute(sqlfiles.read("build/forecast_companies.sql")).fetchall():
            con.execute(sqlfiles.read("build/keep_forecast.sql"), {"realm": realm, "made_on": day,
                                                                   "months": KEPT_MONTHS})
        return con.execute(sqlfiles.read("build/kept_forecasts_made_on.sql"), {"made_on": day}).fetchall()


def carried(con: duckdb.DuckDBPyConnection, day: date, changed: set[str]) -> bool:
    """In a build that started from a copy of the last snapshot: whether the forecasts it carried over are what
    `make` would make, so neither need be made again. They are when the last build made them on `day` and kept
    them, and nothing the forecast reads changed since (`changed`: the models whose rows did), by the same macros
    (the copy holds the set of this code's macro files: the forecast is a table macro, outside the models'
    definition, so an upgrade that changed it makes the day's forecast again)."""
    if stored_macros.found(con, snapshot.WRITING) is None:
        return False
    texts = [sqlfiles.read(f"table_macros/{path.name}") for path in (sqlfiles.SQL_DIR / "table_macros").glob("*.sql")]
    # every table macro, not only mrr_forecast's: it calls others
    reads = set().union(*map(sqlfiles.reads, texts), sqlfiles.reads(sqlfiles.read("build/forecast_companies.sql")))
    return not reads & changed and con.execute(sqlfiles.read("build/forecasts_carried.sql"), {"made_on": day}).fetchone()[0]


def keep(con: duckdb.DuckDBPyConnection, day: date, made: list[tuple]) -> None:
    """The day's forecasts into the raw store, in place of what an earlier build of the same day kept."""
    with transaction(con):
        con.execute(sqlfiles.read("raw/forget_kept_forecasts.sql"), {"made_on": day})
        insert_rows(con, sqlfiles.read("raw/keep_forecasts.sql"), made)
