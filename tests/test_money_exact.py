"""Money never passes through binary floating point: generated amounts come out to the cent."""
from __future__ import annotations

import functools
from decimal import ROUND_HALF_UP, Decimal, localcontext

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from ingest.records import parse_json, to_payload
from models.warehouse.sqlfiles import apply_macros
from tests.builders import invoice, item_line
from tests.helpers import cli, query, write_json

pytestmark = pytest.mark.long

# Up to 13 digits before the point (15 significant digits with the cents): DECIMAL(18,2) holds them
# all exactly, while a double cannot even hold 0.10 exactly.
amounts = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("9999999999999.99"), places=2)
hard_amounts = st.sampled_from([Decimal(s) for s in (
    "0.10", "0.20", "0.30", "1.10", "2.675", "1.005", "9999999999999.99", "1234567890123.45", "0.07",
)]).map(lambda d: d.quantize(Decimal("0.01")))


@settings(max_examples=40, deadline=None)
@given(st.one_of(amounts, hard_amounts))
def test_payload_keeps_every_digit(amount):
    record = {"Id": "1", "TotalAmt": amount}
    assert parse_json(to_payload(record))["TotalAmt"] == str(amount)


# Groups of up to six invoices of 1-4 lines under one discount percent (or none), three groups a warehouse: a load
# and build costs about a second whatever it holds, so twelve groups take four builds, not twelve. Each invoice's
# figures are its own (grouped by document), whatever else the warehouse holds.
discounted_invoices = st.tuples(
    st.lists(st.lists(st.one_of(amounts, hard_amounts), min_size=1, max_size=4), min_size=1, max_size=6),
    st.sampled_from([None, Decimal("3"), Decimal("10"), Decimal("33.3")]))


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(groups=st.lists(discounted_invoices, min_size=3, max_size=3))
def test_generated_amounts_come_out_exactly(tmp_path_factory, groups):
    db = tmp_path_factory.mktemp("money") / "w.duckdb"
    records, expected = [], {}
    documents = [(line_amounts, discount_percent) for group, discount_percent in groups for line_amounts in group]
    for n, (line_amounts, discount_percent) in enumerate(documents, start=1):
        lines = [item_line(str(a)) for a in line_amounts]
        gross = sum(line_amounts, Decimal(0))
        discount = Decimal(0)
        if discount_percent:
            discount = (gross * discount_percent / 100).quantize(Decimal("0.01"))
            lines.append({"Amount": discount, "DetailType": "DiscountLineDetail",
                          "DiscountLineDetail": {"PercentBased": True, "DiscountPercent": discount_percent}})
        records.append(invoice(str(n), lines))
        expected[str(n)] = (gross, discount)
    assert cli("load", write_json(db.parent / "in.json", {"Invoice": records}), "--db", db) == 0
    rows = query(db, "select document_id, sum(gross_amount), sum(discount_amount), sum(amount) "
                     "from marts.fct_revenue_lines group by 1")
    assert {d: (g, disc) for d, g, disc, _ in rows} == expected
    assert all(net == g - disc for _, g, disc, net in rows)
    # each line's discount share is proportional to within a cent
    for doc, gross_line, share in query(db, "select document_id, gross_amount, discount_amount from marts.fct_revenue_lines"):
        gross, discount = expected[doc]
        assert abs(share - discount * gross_line / gross) <= Decimal("0.01")


def test_no_money_column_is_floating_point(demo_copy):
    db = demo_copy(3, 1)
    float_columns = query(db, "select table_schema, table_name, column_name, data_type from information_schema.columns "
                              "where data_type in ('FLOAT', 'DOUBLE', 'REAL')")
    assert float_columns == []
    money = query(db, "select column_name, data_type from information_schema.columns "
                      "where table_name = 'fct_revenue_lines' and column_name like '%amount'")
    assert sorted(money) == [("amount", "DECIMAL(18,2)"), ("discount_amount", "DECIMAL(18,2)"),
                             ("foreign_gross_amount", "DECIMAL(18,2)"), ("gross_amount", "DECIMAL(18,2)")]


@functools.cache
def _macros() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    apply_macros(con, table_macros=False)
    return con


@given(a=st.decimals(min_value=-10**9, max_value=10**9, places=2),
       b=st.decimals(min_value=-10**6, max_value=10**6, places=2).filter(lambda b: b != 0))
@settings(max_examples=300, deadline=None)
def test_exact_ratio_rounds_half_away_from_zero_on_both_sides(a, b):
    con = _macros()
    [got] = con.execute("select exact_ratio($a::decimal(18, 2), $b::decimal(18, 2))", {"a": a, "b": b}).fetchone()
    with localcontext() as context:
        context.prec = 60
        exact = (Decimal(a) / Decimal(b)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
    assert got == exact
    assert con.execute("select exact_ratio(-0.05, 20000), exact_ratio(0.05, -20000), exact_ratio(0.05, 20000)"
                       ).fetchone() == (Decimal("-0.000003"), Decimal("-0.000003"), Decimal("0.000003"))
