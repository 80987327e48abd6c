"""How money and months read on screen and on paper."""
from __future__ import annotations

from datetime import date
from decimal import Decimal


def money_text(value: Decimal | None) -> str:
    """$1,234.56 and -$1,234.56; an empty cell for no value."""
    if value is None:
        return ""
    sign = "-" if value < 0 else ""
    return f"{sign}${abs(value):,.2f}"


def month_text(month: date) -> str:
    return month.strftime("%b %Y")
