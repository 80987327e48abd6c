"""Periods the owner compares: this month, last month, this quarter, year to date, the last 12 full
months; each against the period before it and the same period a year earlier."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import duckdb

from models.figures import drilldown, reports
from models.settings.categories import CATEGORY_LABELS
from models.figures.formatting import money_text
from models.money import ZERO
from models.months import (add_months, full_months_before, month_bounds, part_month, quarter_start,
                           same_day_months_later)
from models.settings.settings import Settings

PRESETS = ("This month", "Last month", "This quarter", "Year to date", "Last 12 months")
# the months each preset moves back by for the period before it (the same kind of period, as far in)
MONTHS_BEFORE = {"This month": 1, "Last month": 1, "This quarter": 3, "Year to date": 12, "Last 12 months": 12}
FIGURES = ("total", "labor", "labor_msa", "labor_hourly", "hardware", "software")
FIGURE_LABELS = {"total": "Revenue", "labor": "Labor", **CATEGORY_LABELS}


@dataclass(frozen=True)
class Period:
    first: date
    last: date

    def text(self) -> str:
        return f"{self.first.isoformat()} to {self.last.isoformat()}"

    def months_earlier(self, months: int) -> Period:
        """The same days `months` months earlier (a period ending on a month's last day ends on that
        month's last day: a month or a run of months stays whole)."""
        whole = self.last == month_bounds(self.last)[1]
        last = month_bounds(add_months(self.last, -months))[1] if whole else same_day_months_later(self.last, -months)
        return Period(same_day_months_later(self.first, -months), last)


def chosen(preset: str, as_of: date) -> Period:
    """The days a preset covers as of a date (the as-of month, quarter or year: up to the as-of date)."""
    if preset == "This month":
        return Period(as_of.replace(day=1), as_of)
    if preset == "Last month":
        return Period(*month_bounds(add_months(as_of, -1)))
    if preset == "This quarter":
        return Period(quarter_start(as_of), as_of)
    if preset == "Year to date":
        return Period(as_of.replace(month=1, day=1), as_of)
    first, last = full_months_before(as_of)
    return Period(first, month_bounds(last)[1])


@dataclass(frozen=True)
class Comparison:
    preset: str
    now: Period
    before: Period
    year_ago: Period
    amounts: dict[Period, dict[str, Decimal]]  # revenue by category in each of the three
    basis: str = "accrual"                      # the revenue's basis (settings.BASES)

    def figure(self, what: str, period: Period | None = None) -> Decimal:
        """Revenue of a FIGURES entry (a category, all labor, or the total) in a period (default: now)."""
        by_category = self.amounts[period or self.now]
        if what == "total":
            return sum(by_category.values(), ZERO)
        wanted = drilldown.LABOR if what == "labor" else (what,)
        return sum((by_category.get(c, ZERO) for c in wanted), ZERO)

    def share(self, period: Period | None = None) -> Decimal | None:
        """The recurring share of labor in a period, to 6 places; none without labor."""
        labor = self.figure("labor", period)
        return (self.figure("labor_msa", period) / labor).quantize(Decimal("0.000001")) if labor else None

    def same_as_before(self) -> bool:
        """Year to date and the last 12 months: the period before is the one a year earlier."""
        return self.before == self.year_ago

    def lines(self, what: str) -> drilldown.Figure:
        category = None if what == "total" else what
        return drilldown.revenue_in_days(self.now.first, self.now.last, category, self.preset.lower(), basis=self.basis)


def compare(con: duckdb.DuckDBPyConnection, settings: Settings, preset: str, as_of: date,
            realm: str | None = None, basis: str = "accrual") -> Comparison:
    now = chosen(preset, as_of)
    before, year_ago = now.months_earlier(MONTHS_BEFORE[preset]), now.months_earlier(12)

    def by_category(period: Period) -> dict[str, Decimal]:
        options = reports.Options(as_of=as_of, realm=realm, period=(period.first, period.last), basis=basis)
        return {r["category"]: r["amount"] for r in reports.run(con, "revenue-by-category", options, settings).records()}

    return Comparison(preset, now, before, year_ago, {p: by_category(p) for p in {now, before, year_ago}}, basis)


def change_text(now: Decimal, then: Decimal) -> str:
    """The change from `then` to `now` in money and, where `then` is not zero, percent."""
    change = now - then
    sign = "+" if change > 0 else ""
    percent = f" ({sign}{change / abs(then) * 100:.1f}%)" if then else ""
    return f"{sign}{money_text(change)}{percent}"


def share_change_text(now: Decimal | None, then: Decimal | None) -> str:
    """The change in the recurring share, in percentage points."""
    if now is None or then is None:
        return "–"
    points = (now - then) * 100
    return f"{'+' if points > 0 else ''}{points:.1f} pts"


def against_target(share: Decimal | None, target_percent: Decimal, last_day: date) -> str | None:
    """The recurring share of a period ending on last_day against the settings' target, in points (a
    metric's delta: green at or above the goal, red below); none without labor, and none for a period
    that ends inside a month: agreements are invoiced on the 1st and hourly work through the month, so
    a part month reads high and is never judged against the target."""
    if share is None or part_month(last_day):
        return None
    points = share * 100 - target_percent
    return f"{'+' if points >= 0 else ''}{points:.1f} pts against the {target_percent}% target"


def part_month_note(last_day: date, target_percent: Decimal) -> str | None:
    """What a share of a period ending inside a month says instead of a comparison with the target."""
    if not part_month(last_day):
        return None
    return (f"{last_day:%B} is not over: compared with the {target_percent}% target once it is "
            "(agreements are invoiced on the 1st, hourly work through the month)")
