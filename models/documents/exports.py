"""A page's table as a download: Excel through the month-end workbook's writer (money formats, dates
as dates, frozen header, text from QuickBooks as text, never a formula) and CSV as the month-end CSVs
(UTF-8 with a BOM, ISO dates, a cell that would start a formula neutralised). Bytes, never a file: a
download is the browser's to save."""
from __future__ import annotations

import csv
import io
import re
from datetime import date
from decimal import Decimal
from typing import Any, Iterator

import pandas as pd

from models.documents import month_end_workbook
from models.figures import month_end
from models.figures.formatting import POINTS_COLUMNS, SHARE_COLUMNS, column_label, write_csv_rows
from models.figures.totals import TotalRow

SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def header(column: str) -> str:
    """A report column by its label (labor_total -> Labor total); a column already named for people as it is."""
    return column_label(column) if column == column.lower() and " " not in column else column


def _value(value: Any) -> Any:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if value is None or (not isinstance(value, (str, list, Decimal, date)) and pd.isna(value)):
        return None
    return value


def exportable(frame: pd.DataFrame, columns: list[str]) -> list[str]:
    """The columns a file can hold: a little chart in a cell (a list of amounts) has no one value."""
    return [c for c in columns if not any(isinstance(v, (list, tuple)) for v in frame[c])]


def rows(frame: pd.DataFrame, columns: list[str]) -> Iterator[list[Any]]:
    """The table's rows as a file holds them, one at a time (a download is written as it is read)."""
    for row in frame[columns].itertuples(index=False, name=None):
        yield [_value(v) for v in row]


def block(frame: pd.DataFrame, columns: list[str], total: TotalRow | None = None) -> month_end.Block:
    """The table as one block of the month-end writer: amounts (Decimal) as money, shares as percentages,
    and the table's total row as the writer's (SUM formulas under the columns it adds up)."""
    values = list(rows(frame, columns))
    points = [i for i, c in enumerate(columns) if c in POINTS_COLUMNS]
    for row in values:  # a workbook writes percentages of fractions: 57.90 points is 0.579
        for i in points:
            row[i] = None if row[i] is None else row[i] / 100
    money = tuple(i for i, c in enumerate(columns) if c not in SHARE_COLUMNS and c not in POINTS_COLUMNS
                  and any(isinstance(row[i], Decimal) for row in values))
    ratios = tuple(i for i, c in enumerate(columns) if c in SHARE_COLUMNS or c in POINTS_COLUMNS)
    totalled = tuple(columns.index(c) for c in total.columns if c in columns) if total else None
    return month_end.Block([header(c) for c in columns], values, money=money, ratios=ratios,
                           total_label=total.label if total else None, totalled=totalled)


def xlsx_bytes(frame: pd.DataFrame, columns: list[str], title: str, as_of: date,
               total: TotalRow | None = None) -> bytes:
    sheet = month_end.Sheet(SHEET_NAME.sub(" ", title)[:31], [block(frame, columns, total)])
    return month_end_workbook.workbook_bytes(month_end.Pack(as_of, [sheet], ties_out=True))


def csv_bytes(frame: pd.DataFrame, columns: list[str]) -> bytes:
    out = io.BytesIO()
    # the rows are encoded as they are written: no second copy of the table as one string
    with io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True) as text:
        writer = csv.writer(text)
        writer.writerow([header(c) for c in columns])
        write_csv_rows(writer, rows(frame, columns))
        return out.getvalue()


def file_stem(name: str, as_of: date) -> str:
    """A download's name from the table's: plain letters and digits, and the as-of date."""
    return f"{re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-') or 'table'}-{as_of.isoformat()}"
