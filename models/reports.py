"""Reports: named, parameterised queries over the snapshot, and their output formats."""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import duckdb
import pandas as pd

from models import sqlfiles


@dataclass(frozen=True)
class Report:
    name: str
    query: str          # file under sql/queries
    description: str


REPORTS = {
    r.name: r
    for r in (
        Report("revenue-lines", "revenue_lines.sql",
               "every revenue line with its customer, item, category and the rule that decided it"),
        Report("revenue-by-category", "revenue_by_category.sql",
               "revenue per month (first day of the month) and category"),
    )
}
FORMATS = ("csv", "json", "table")


@dataclass(frozen=True)
class Result:
    columns: list[str]
    rows: list[tuple]

    def frame(self) -> pd.DataFrame:
        """As a data frame; money stays Decimal (object columns), never float."""
        return pd.DataFrame.from_records(self.rows, columns=self.columns)


def run(con: duckdb.DuckDBPyConnection, name: str, realm: str | None = None) -> Result:
    """Run a report on a snapshot connection (in the app, a cursor of the thread's own)."""
    con.execute(sqlfiles.read(f"queries/{REPORTS[name].query}"), {"realm": realm})
    return Result([d[0] for d in con.description], con.fetchall())


def render(result: Result, fmt: str) -> str:
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([[_text(v) for v in row] for row in result.rows])
        return out.getvalue()
    if fmt == "json":
        records = [{c: _json_value(v) for c, v in zip(result.columns, row)} for row in result.rows]
        return json.dumps(records, indent=2, ensure_ascii=False) + "\n"
    if fmt == "table":
        cells = [result.columns] + [[_text(v) for v in row] for row in result.rows]
        widths = [max(len(row[i]) for row in cells) for i in range(len(result.columns))]
        lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in cells]
        lines.insert(1, "  ".join("-" * w for w in widths))
        return "\n".join(lines) + "\n"
    raise ValueError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _json_value(value: Any) -> Any:
    # Money as exact decimal strings: a JSON number would be read back as a float by most tools.
    if isinstance(value, (Decimal, date, datetime)):
        return _text(value)
    return value
