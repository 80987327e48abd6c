"""The total row under a table of money: one way for every page, adding exactly (Decimal)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import pandas as pd

from models.money import ZERO


@dataclass(frozen=True)
class TotalRow:
    """Which column holds the row's label and which money columns it adds up."""
    label_column: str
    columns: tuple[str, ...]
    label: str = "Total"
    # how the other rows' labels read once the column holds text too (a month column: "Nov 2026")
    label_text: Callable[[Any], str] | None = None


def with_total_row(frame: pd.DataFrame, total: TotalRow) -> pd.DataFrame:
    """`frame` with a last row adding up `total.columns` to the cent; its other cells are empty."""
    shown = frame.copy()
    if total.label_text:
        shown[total.label_column] = [total.label_text(value) for value in frame[total.label_column]]
    last = {column: None for column in frame.columns}
    last[total.label_column] = total.label
    for column in total.columns:
        last[column] = sum((value for value in frame[column] if value is not None and not pd.isna(value)), ZERO)
    return pd.concat([shown.astype(object), pd.DataFrame([last], columns=frame.columns, dtype=object)],
                     ignore_index=True)

