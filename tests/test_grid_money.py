"""Money in the app's tables is drawn by a printf format where it can be: the grid's "dollar" format makes a
number formatter for every cell each time it draws it, most of the time a browser spends on a long table of
money (the Margin page's 250 clients, docs/BENCHMARKS.md)."""
from __future__ import annotations

from decimal import Decimal as D

import pandas as pd
import pytest
import streamlit as st

from dashboards.common import DOLLARS_PLAINLY, _dollars_drawn_plainly, money_columns
from tests.browser import open_page


def test_money_that_is_never_negative_is_drawn_plainly_and_a_negative_keeps_the_grids_minus_first():
    frame = pd.DataFrame({"client": ["Hotel", "Ice", "Total"], "revenue": [D("1920.00"), None, D("1920.00")],
                          "gross_margin": [D("850.00"), D("-5.00"), D("845.00")], "gross_margin_pct": [0.44, None, 0.44]})
    shown = {"column_config": {**money_columns(frame, "revenue", "gross_margin"),
                               "client": st.column_config.Column("Client", help="its name in QuickBooks")},
             "column_order": ["client", "revenue", "gross_margin"]}
    drawn = _dollars_drawn_plainly(frame, shown)
    config = drawn["column_config"]
    assert config["revenue"]["type_config"]["format"] == DOLLARS_PLAINLY == "$%,.2f"
    assert config["revenue"]["label"] == "Revenue"
    assert config["gross_margin"]["type_config"]["format"] == "dollar"  # "$-5.00" would read oddly: "-$5.00"
    assert config["gross_margin_pct"] == shown["column_config"]["gross_margin_pct"]
    assert config["client"] == shown["column_config"]["client"] and drawn["column_order"] == shown["column_order"]
    assert shown["column_config"]["revenue"]["type_config"]["format"] == "dollar"  # the page's own config unchanged


# Counts every number formatter the page makes (the grid's "dollar" makes one per cell drawn).
COUNT_FORMATTERS = """(() => { const Made = Intl.NumberFormat; window.formatters_made = 0;
  Intl.NumberFormat = function (...args) { window.formatters_made++; return new Made(...args); };
  Intl.NumberFormat.prototype = Made.prototype; Intl.NumberFormat.supportedLocalesOf = Made.supportedLocalesOf; })()"""


@pytest.mark.server
@pytest.mark.browser
@pytest.mark.parametrize("path, money_cells", [("margin", 21 * 8), ("revenue", 25 * 7)])
def test_a_long_table_of_money_draws_without_a_formatter_a_cell(app_server, page, path, money_cells):
    """The demo's 20 clients on Margin (8 money columns and the total row), its 24 months on Revenue: before,
    the grid made about four formatters a money cell (8,690 on Margin at 250 clients)."""
    url, _ = app_server
    page.add_init_script(COUNT_FORMATTERS)
    open_page(page, url, path)
    page.wait_for_function("document.querySelectorAll('[data-testid=stDataFrame] td').length > 40", timeout=60_000)
    assert page.evaluate("window.formatters_made") < money_cells / 2
