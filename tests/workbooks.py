"""Reading the month-end workbook back (openpyxl), its formulas evaluated, for tests."""
from __future__ import annotations

import re
from decimal import Decimal as D

from openpyxl.utils import column_index_from_string


def value(ws, ref: str):
    """A cell's value, formulas evaluated (SUM over ranges, the only formula the workbook writes)."""
    raw = ws[ref].value
    if isinstance(raw, str) and raw.startswith("="):
        match = re.fullmatch(r"=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)", raw)
        assert match, f"unexpected formula {raw} in {ws.title}!{ref}"
        c1, r1, c2, r2 = column_index_from_string(match[1]), int(match[2]), column_index_from_string(match[3]), int(match[4])
        total = D(0)
        for row in range(r1, r2 + 1):
            for column in range(c1, c2 + 1):
                cell = value(ws, f"{ws.cell(row, column).column_letter}{row}")
                total += D(str(cell)) if isinstance(cell, (int, float, D)) else D(0)
        return total
    return raw


def total_after(ws, label: str, column: int, occurrence: int = 0):
    """The evaluated total in `column` (1-based) of the row labelled `label`."""
    found = [row[0].row for row in ws.iter_rows() if row[0].value == label]
    return value(ws, f"{ws.cell(found[occurrence], column).column_letter}{found[occurrence]}")
