"""Period presets and their comparisons: the days each covers, the period before and a year earlier,
on the hand-computed company of the drill-down tests; each headline opens lines that add up to it."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

import pytest

from models.figures import periods
from tests.hand_books import AS_OF, figure_total


def days(period: periods.Period) -> tuple[str, str]:
    return period.first.isoformat(), period.last.isoformat()


@pytest.mark.parametrize("preset, now, before, year_ago", [
    ("This month", ("2026-11-01", "2026-11-22"), ("2026-10-01", "2026-10-22"), ("2025-11-01", "2025-11-22")),
    ("Last month", ("2026-10-01", "2026-10-31"), ("2026-09-01", "2026-09-30"), ("2025-10-01", "2025-10-31")),
    ("This quarter", ("2026-10-01", "2026-11-22"), ("2026-07-01", "2026-08-22"), ("2025-10-01", "2025-11-22")),
    ("Year to date", ("2026-01-01", "2026-11-22"), ("2025-01-01", "2025-11-22"), ("2025-01-01", "2025-11-22")),
    ("Last 12 months", ("2025-11-01", "2026-10-31"), ("2024-11-01", "2025-10-31"), ("2024-11-01", "2025-10-31")),
])
def test_what_each_preset_covers(preset, now, before, year_ago):
    period = periods.chosen(preset, AS_OF)
    assert days(period) == now
    assert days(period.months_earlier(periods.MONTHS_BEFORE[preset])) == before
    assert days(period.months_earlier(12)) == year_ago


def test_a_leap_day_a_year_earlier_is_the_last_of_february():
    period = periods.chosen("This month", date(2028, 2, 29))
    assert days(period.months_earlier(12)) == ("2027-02-01", "2027-02-28")
    # a whole month stays whole: the period before 1-30 April is 1-31 March
    assert days(periods.chosen("Last month", date(2026, 5, 3)).months_earlier(1)) == ("2026-03-01", "2026-03-31")


def test_this_month_against_the_month_before(hand):
    con, owner = hand
    compared = periods.compare(con, owner, "This month", AS_OF)
    # 1-22 November: Beta's agreement 500 and Acme's hours 200. 1-22 October: Acme 950 + 300, Acme Move
    # 450 + 1,200, Beta's sales receipt 500, Gamma 120, the credit memo -50
    assert [compared.figure(w) for w in periods.FIGURES] == \
        [D("700.00"), D("700.00"), D("500.00"), D("200.00"), D("0.00"), D("0.00")]
    assert [compared.figure(w, compared.before) for w in periods.FIGURES] == \
        [D("3470.00"), D("2270.00"), D("1450.00"), D("820.00"), D("1200.00"), D("0.00")]
    assert compared.figure("total", compared.year_ago) == D("0.00")
    assert periods.change_text(compared.figure("total"), compared.figure("total", compared.before)) == \
        "-$2,770.00 (-79.8%)"
    assert periods.change_text(D("700.00"), D("0.00")) == "+$700.00"
    # 500 / 700 = 71.4286%; 1,450 / 2,270 = 63.8767%
    assert (compared.share(), compared.share(compared.before)) == (D("0.714286"), D("0.638767"))
    assert periods.share_change_text(compared.share(), compared.share(compared.before)) == "+7.6 pts"
    # 1-22 November is a part month: not judged against the target
    assert periods.against_target(compared.share(), D(60), compared.now.last) is None
    assert periods.against_target(compared.share(), D(60), date(2026, 11, 30)) == "+11.4 pts against the 60% target"
    assert periods.against_target(compared.share(compared.before), D(65), date(2026, 10, 31)) == \
        "-1.1 pts against the 65% target"
    assert compared.share(compared.year_ago) is None and not compared.same_as_before()
    for what in periods.FIGURES:
        assert figure_total(hand, compared.lines(what)) == compared.figure(what), what


@pytest.mark.parametrize("preset", periods.PRESETS)
def test_every_preset_opens_lines_that_add_up_to_its_figures(hand, preset):
    con, owner = hand
    compared = periods.compare(con, owner, preset, AS_OF)
    for what in periods.FIGURES:
        assert figure_total(hand, compared.lines(what)) == compared.figure(what), (preset, what)
