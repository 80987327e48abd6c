"""Invariants over generated companies, and reports that agree with each other on the demo company."""
from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from models.months import full_months_before
from tests.helpers import UNTIL, cli, query, work_query
from tests.metrics import by, report

pytestmark = pytest.mark.long

ZERO = Decimal("0.00")


def month_after(month: date) -> date:
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


@pytest.fixture(scope="module")
def companies(tmp_path_factory):
    """A few generated companies of different shapes (seed, clients, years)."""
    built = {}
    for seed, clients, years in ((1, 12, 2), (2, 25, 3), (3, 8, 4)):
        db = tmp_path_factory.mktemp(f"company{seed}") / "w.duckdb"
        assert cli("demo", "--db", db, "--seed", seed, "--clients", clients, "--years", years, "--until", UNTIL) == 0
        built[seed] = db
    return built


days = st.integers(min_value=0, max_value=4 * 365).map(lambda n: date.fromisoformat(UNTIL) - timedelta(days=n))
common = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@common
@given(seed=st.sampled_from([1, 2, 3]), as_of=days)
def test_mrr_movements_add_up_to_the_change_in_mrr(companies, seed, as_of):
    summary = report(companies[seed], "mrr", as_of, summary=True)
    previous = ZERO
    for month in summary:
        moves = sum(month[k] for k in ("new", "expansion", "contraction", "churn", "reactivation", "adjustment"))
        assert month["starting_mrr"] == previous
        assert month["starting_mrr"] + moves == month["mrr"]
        previous = month["mrr"]
    per_client = defaultdict(Decimal)
    for row in report(companies[seed], "mrr", as_of):
        per_client[row["month"]] += row["delta"]
    for month in summary:  # the per-client deltas of a month add up to the change in total MRR
        assert per_client.get(month["month"], ZERO) == month["mrr"] - month["starting_mrr"]


@common
@given(seed=st.sampled_from([1, 2, 3]), months_back=st.integers(min_value=0, max_value=40))
def test_prepayment_roll_forward_holds_and_chains(companies, seed, months_back):
    month = date.fromisoformat(UNTIL).replace(day=1)
    for _ in range(months_back):
        month = (month - timedelta(days=1)).replace(day=1)
    db = companies[seed]
    this = by(report(db, "prepayments", roll_forward=month), "customer_id")
    following = by(report(db, "prepayments", roll_forward=month_after(month)), "customer_id")
    for client, row in this.items():
        assert row["opening"] + row["received"] - row["recognised"] - row["refunded"] == row["closing"], row
        assert following.get(client, {}).get("opening", ZERO) == row["closing"]
    for client, row in following.items():
        assert this.get(client, {}).get("closing", ZERO) == row["opening"]
    # the closing liability is the liability report at the month's last day
    last_day = month_after(month) - timedelta(days=1)
    liability = {r["customer_id"]: r["liability"] for r in report(db, "prepayments", last_day)}
    assert {c: r["closing"] for c, r in this.items() if r["closing"]} == liability


@common
@given(seed=st.sampled_from([1, 2, 3]), as_of=days)
def test_aging_buckets_add_up_to_open_receivables(companies, seed, as_of):
    buckets = ("current", "days_1_30", "days_31_60", "days_61_90", "days_90_plus")
    rows = report(companies[seed], "ar-aging", as_of)
    for row in rows:
        assert sum(row[b] for b in buckets) == row["total"]
    open_total = query(companies[seed], """
        with paid as (
            select document_type, document_id, sum(amount) as paid from marts.fct_document_payments
            where document_type in ('Invoice', 'JournalEntry') and paid_on <= $1 group by all),
        owed as (  -- invoices, and journal entries that put a debt on a customer's A/R
            select document_type, document_id, total_amount as amount from intermediate.int_sales_documents
            where document_type = 'Invoice' and not is_voided and txn_date <= $1
            union all
            select document_type, document_id, sum(amount) from marts.fct_receivable_entries
            where txn_date <= $1 group by all having sum(amount) > 0)
        select coalesce(sum(amount - coalesce(paid, 0)), 0) from owed
        left join paid using (document_type, document_id)""", [as_of])[0][0]
    assert sum((r["total"] for r in rows), ZERO) == open_total


@common
@given(seed=st.sampled_from([1, 2, 3]))
def test_categories_add_up_to_total_revenue(companies, seed):
    db = companies[seed]
    by_category = sum((r["amount"] for r in report(db, "revenue-by-category", UNTIL)), ZERO)
    # documents dated after the as-of date are not revenue yet (prepaid months billed ahead)
    documents = query(db, "select sum(sign * (total_amount - total_tax)) from marts.fct_sales_documents "
                          "where not is_voided and txn_date <= ?", [UNTIL])[0][0]
    # and what journal entries and deposits post straight to Income accounts
    postings = work_query(db, "select coalesce(sum(amount), 0) from staging.stg_qbo__account_postings "
                         "join staging.stg_qbo__accounts using (realm_id, account_id) "
                         "where account_type = 'Income' and txn_date <= ?", [UNTIL])[0][0]
    assert by_category == documents + postings


@common
@given(seed=st.sampled_from([1, 2, 3]), as_of=days, data=st.data())
def test_every_row_of_a_client_report_belongs_to_that_client(companies, seed, as_of, data):
    db = companies[seed]
    clients = report(db, "client-labor", as_of)
    if not clients:
        return
    chosen = data.draw(st.sampled_from(clients))
    rows = report(db, "client-labor", as_of, client=chosen["customer_id"], by_month=True)
    assert rows and {r["customer_id"] for r in rows} == {chosen["customer_id"]}
    assert {r["customer"] for r in rows} == {chosen["customer"]}
    first, last = full_months_before(as_of)
    own_lines = query(db, "select coalesce(sum(amount), 0) from marts.fct_revenue_lines where client_id = ? "
                          "and month between ? and ? and category in ('labor_hourly', 'labor_msa')",
                      [chosen["customer_id"], first, last])[0][0]
    assert sum(r["labor_total"] for r in rows) == own_lines == chosen["labor_total"]


# -- the demo company: reports agree with each other ----------------------------------------------------

@pytest.fixture(scope="module")
def demo(demo_builds):
    return demo_builds(60, 3)  # the command's default demo company


def test_twelve_month_labor_equals_the_revenue_lines(demo):
    first, last = full_months_before(date.fromisoformat(UNTIL))
    lines = dict(query(demo, "select category, sum(amount) from marts.fct_revenue_lines "
                             "where month between ? and ? group by 1", [first, last]))
    clients = report(demo, "client-labor")
    for column, category in (("labor_hourly", "labor_hourly"), ("labor_msa", "labor_msa"), ("hardware", "hardware"),
                             ("software", "software"), ("other", "other"), ("unmapped", "unmapped")):
        assert sum(r[column] for r in clients) == lines.get(category, ZERO), column
    garden = report(demo, "garden")
    assert sum(r["labor_total"] for r in garden) == sum(r["labor_total"] for r in clients)
    assert sum(r["share_of_labor"] for r in garden) == pytest.approx(1, abs=Decimal("0.0001"))
    tiers = {r["customer_id"]: r["labor_12m"] for r in report(demo, "tiers")}
    assert all(tiers[r["customer_id"]] == r["labor_total"] for r in clients)


def test_recurring_share_agrees_with_revenue_by_category(demo):
    by_month = defaultdict(dict)
    for row in report(demo, "revenue-by-category"):
        by_month[row["month"]][row["category"]] = row["amount"]
    for row in report(demo, "recurring-share"):
        assert row["labor_msa"] == by_month[row["month"]].get("labor_msa", ZERO)
        assert row["labor_hourly"] == by_month[row["month"]].get("labor_hourly", ZERO)


def test_mrr_is_agreement_revenue_by_service_month(demo):
    mrr_total = sum(r["mrr"] for r in report(demo, "mrr", "2030-01-01", summary=True))
    msa_total = query(demo, "select sum(amount) from marts.fct_revenue_lines where category = 'labor_msa'")[0][0]
    assert mrr_total == msa_total


def test_the_demo_has_prepayments_both_ways_and_small_clients(demo):
    rows = report(demo, "prepayments")
    assert any(r["prepaid_service"] > 0 for r in rows) and any(r["unapplied_payments"] > 0 for r in rows)
    lines = by(report(demo, "garden", summary=True), "line")
    assert lines[Decimal("500")]["clients_below"] >= 1
    assert lines[Decimal("1000")]["clients_below"] > lines[Decimal("500")]["clients_below"]


LEDGER = """
with clients as (select realm_id, customer_id, client_id from marts.dim_customers),
postings as (
    select realm_id, customer_id, total_amount - coalesce(deposit, 0) as amount
    from intermediate.int_sales_documents where document_type = 'Invoice' and not is_voided and txn_date <= $1
    union all
    select realm_id, customer_id, -total_amount from marts.fct_payments where txn_date <= $1
    union all  -- a memo's credit, less what left it other than through payments (a refund check)
    select memos.realm_id, memos.customer_id,
        -memos.total_amount + (memos.total_amount - coalesce(memos.remaining_credit, 0) - coalesce(used.amount, 0))
    from intermediate.int_sales_documents as memos
    left join (select realm_id, applied_to_id as document_id, sum(amount) as amount
               from marts.fct_payment_applications where applied_to_type = 'CreditMemo' group by all) as used
        using (realm_id, document_id)
    where memos.document_type = 'CreditMemo' and not memos.is_voided and memos.txn_date <= $1
    union all
    select realm_id, customer_id, amount from marts.fct_receivable_entries where txn_date <= $1
)
select coalesce(clients.client_id, postings.customer_id) as client_id, sum(amount)::decimal(18, 2)
from postings left join clients using (realm_id, customer_id)
group by all having sum(amount) <> 0
"""


@common
@given(seed=st.sampled_from([1, 2, 3]), as_of=days)
def test_receivables_net_is_the_ar_account_balance_of_each_client(companies, seed, as_of):
    """QuickBooks' A/R for a client on a date is what its invoices, payments, credit memos and A/R
    journal entries dated by then posted to the account; ar-aging's net must be exactly that."""
    ledger = dict(query(companies[seed], LEDGER, [as_of]))
    net = {r["customer_id"]: r["net"] for r in report(companies[seed], "ar-aging", as_of) if r["net"] != 0}
    assert net == ledger
