"""Calendar arithmetic, in one place: months are the first day of the month, weeks run Monday to Sunday."""
from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """The first day of the month `months` after (or, negative, before) day's month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, later: date) -> int:
    """How many months later's month is after first's (negative when before)."""
    return (later.year - first.year) * 12 + later.month - first.month


def previous_month(day: date) -> date:
    """The first day of the month before day's month."""
    return add_months(day, -1)


def closed_months(first: date, as_of: date) -> list[date]:
    """The months from first's to the one before as_of's, newest first (first days): the months that are
    over on as_of, as a month-end pack or a roll-forward reads them."""
    months, month = [], previous_month(as_of)
    while month >= first.replace(day=1):
        months.append(month)
        month = add_months(month, -1)
    return months


def month_bounds(day: date) -> tuple[date, date]:
    """The first and the last day of day's month."""
    first = day.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def part_month(as_of: date) -> date | None:
    """as_of's month (its first day) while it is not over on as_of; none on the month's last day."""
    first, last = month_bounds(as_of)
    return None if as_of == last else first


def full_months_before(as_of: date) -> tuple[date, date]:
    """The 12 full calendar months before as_of's month: (first month, last month), first days.
    (The SQL macros first_full_month and last_full_month say the same for queries.)"""
    return add_months(as_of, -12), previous_month(as_of)


def same_day_last_month(day: date) -> date:
    """The same day of the month before, or that month's last day when it is shorter."""
    return same_day_months_later(day, -1)


def same_day_months_later(day: date, months: int) -> date:
    """The same day `months` months later (negative: before), or that month's last day when it is
    shorter (29 February a year before: 28 February)."""
    first, last = month_bounds(add_months(day, months))
    return first.replace(day=min(day.day, last.day))


def quarter_start(day: date) -> date:
    """The first day of day's calendar quarter."""
    return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)


def week_of(day: date) -> tuple[date, date]:
    """The Monday and the Sunday of day's week."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def week_as_of(day: date, today: date) -> date:
    """The date a week's figures are as of: its Sunday, or today while the week is not over."""
    sunday = week_of(day)[1]
    return min(sunday, today) if day <= today else day


# The figures look back from their as-of date (a year before the 12 full months, 24 months of trend), and the
# calendar stops at year 1 and year 9999: an as-of date is one from here to today. No books QuickBooks holds
# go back this far, so no real figure is refused.
EARLIEST_AS_OF = date(1900, 1, 1)


def not_history(day: date, today: date) -> str | None:
    """Why a day cannot be an as-of date, ending in what to give instead, or none."""
    if why := before_the_books(day):
        return f"{why}; give {EARLIEST_AS_OF.isoformat()} or a later date"
    if why := after_today(day, today):
        return f"{why}; give today or an earlier date"
    return None


def before_the_books(day: date) -> str | None:
    """Why a day is too early to compute figures as of, or none."""
    if day >= EARLIEST_AS_OF:
        return None
    return (f"{day.isoformat()} is before {EARLIEST_AS_OF.isoformat()}: the figures look back years from their "
            "as-of date, and no books go back that far")


def after_today(day: date, today: date) -> str | None:
    """Why a day cannot be an as-of date, or none: figures as of a day still to come are no history (every
    agreement would read as churned and every open invoice as past due)."""
    if day <= today:
        return None
    return (f"{day.isoformat()} is after today ({today.isoformat()}): figures as of a day still to come would "
            "show every agreement as churned and every open invoice as past due")
