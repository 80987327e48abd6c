"""Money is exact: Decimal in Python, DECIMAL in DuckDB, never binary floating point."""
from __future__ import annotations

from decimal import Decimal
from typing import Iterable

ZERO = Decimal("0.00")


def cents(amounts: Iterable[Decimal]) -> list[int]:
    """Amounts as whole cents (exact integers), for charts, which only divide by 100 when drawing."""
    return [int(amount * 100) for amount in amounts]
