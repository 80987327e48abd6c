"""QuickBooks' own semantics on books we did not make (issue 15): each rule hand-computed in its test."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D

from tests.builders import item_line, sales_document
from tests.companies import ITEMS, Company
from tests.helpers import cli, query
from tests.metrics import by, month_end_pack, report
from tests.recorded import SANDBOX_JSONL

CAD = {"CurrencyRef": {"value": "CAD", "name": "Canadian Dollar"}}


def test_amounts_in_another_currency_count_in_the_home_currency(db):
    """Hotel is billed in CAD. Invoice H1: hourly 1,500.00 CAD at 0.75 = 1,125.00 home. Invoice H2:
    three hardware lines of 10.01 CAD at 0.75: 30.03 CAD = 22.5225, 22.52 home; each line by running
    total: 7.5075 -> 7.51, 15.015 -> 15.02 (7.51), 22.5225 -> 22.52 (7.50): 7.51 + 7.51 + 7.50 = 22.52,
    within a cent of 7.5075 each, and adding up to the document. A payment of 1,000.00 CAD at 0.76
    (760.00 home) pays H1: applied at H1's rate, 750.00, so H1 is open for 375.00 home (500.00 CAD x 0.75,
    as QuickBooks' A/R carries it; the 10.00 gained is an exchange gain, not a smaller debt).
    Receivables on 31 May: 375.00 + 22.52 = 397.52. Revenue in May: labor 1,125.00, hardware 22.52."""
    company = Company()
    company.customer("70", "Hotel")
    company.add("Invoice", sales_document("70", "2026-05-01", [item_line("1500.00", ITEMS["hourly"])],
                                          Id="H1", DocNumber="H1", ExchangeRate=D("0.75"), **CAD))
    company.add("Invoice", sales_document("70", "2026-05-02", [item_line("10.01", ITEMS["hardware"])] * 3,
                                          Id="H2", DocNumber="H2", ExchangeRate=D("0.75"), **CAD))
    payment = company.payment("70", "2026-05-10", "1000.00", ({"Id": "H1"}, "1000.00"))
    payment.update(ExchangeRate=D("0.76"), **CAD)
    company.load(db)
    lines = query(db, "select document_id, amount, currency, exchange_rate, foreign_gross_amount "
                      "from marts.fct_revenue_lines order by document_id, line_index")
    assert lines == [("H1", D("1125.00"), "CAD", D("0.75"), D("1500.00")),
                     ("H2", D("7.51"), "CAD", D("0.75"), D("10.01")), ("H2", D("7.51"), "CAD", D("0.75"), D("10.01")),
                     ("H2", D("7.50"), "CAD", D("0.75"), D("10.01"))]
    may = {r["category"]: r["amount"] for r in report(db, "revenue-by-category", "2026-05-31")
           if r["month"] == date(2026, 5, 1)}
    assert (may["labor_hourly"], may["hardware"]) == (D("1125.00"), D("22.52"))
    (hotel,) = report(db, "ar-aging", "2026-05-31")
    assert hotel["total"] == D("397.52")
    assert query(db, "select total_amount, unapplied_amount from marts.fct_payments") == [(D("760.00"), D("0.00"))]
    labor = by(report(db, "client-labor", "2026-06-01"), "customer")["Hotel"]
    assert labor["labor_hourly"] == D("1125.00")


ACCOUNTS = [
    {"Id": "A40", "Name": "Services", "AccountType": "Income", "Classification": "Revenue"},
    {"Id": "L1", "Name": "Customer deposits", "AccountType": "Other Current Liability", "Classification": "Liability"},
    {"Id": "O1", "Name": "Interest earned", "AccountType": "Other Income", "Classification": "Revenue"},
    {"Id": "E1", "Name": "Reimbursable expenses", "AccountType": "Expense", "Classification": "Expense"},
]


def test_lines_to_balance_sheet_accounts_are_not_revenue(db):
    """India pays a retainer of 3,000.00 on 1 May: a sales receipt of the item Retainer, whose income
    account is in fact the liability Customer deposits. On 1 June an invoice of hourly 1,000.00 applies
    1,000.00 of it (a Retainer line of -1,000.00; total 0). On 15 June: hardware 100.00, a late fee of
    25.00 to Other Income, a reimbursed expense of 40.00 to an expense account.
    Revenue: May nothing (not 3,000); June hourly 1,000.00 and hardware 100.00 (not 1,000 - 1,000 + 25 + 40
    + 100). Held for India (the deposit account): 3,000.00 on 31 May, 2,000.00 on 30 June; June's
    roll-forward 3,000 + 0 - 1,000 (applied) - 0 = 2,000. The documents still tie out: 3,000 = 3,000;
    1,000 - 1,000 = 0; 100 + 25 + 40 = 165."""
    company = Company()
    company.customer("80", "India")
    for account in ACCOUNTS:
        company.add("Account", dict(account, FullyQualifiedName=account["Name"]))
    for item_id, name, account in (("RET", "Retainer", "L1"), ("FEE", "Late fee", "O1"), ("REIM", "Reimbursed", "E1")):
        company.add("Item", {"Id": item_id, "Name": name, "FullyQualifiedName": name, "Type": "Service",
                             "IncomeAccountRef": {"value": account}})
    company.add("SalesReceipt", sales_document("80", "2026-05-01", [item_line("3000.00", ("RET", "Retainer"))]))
    company.add("Invoice", sales_document("80", "2026-06-01", [
        item_line("1000.00", ITEMS["hourly"]), item_line("-1000.00", ("RET", "Retainer"))]))
    company.add("Invoice", sales_document("80", "2026-06-15", [
        item_line("100.00", ITEMS["hardware"]), item_line("25.00", ("FEE", "Late fee")),
        item_line("40.00", ("REIM", "Reimbursed"))]))
    company.load(db)
    revenue = query(db, "select month, category, sum(amount) from marts.fct_revenue_lines group by all order by all")
    assert revenue == [(date(2026, 6, 1), "hardware", D("100.00")), (date(2026, 6, 1), "labor_hourly", D("1000.00"))]
    other = query(db, "select txn_date, posting, amount from marts.fct_other_sales_lines order by txn_date, amount")
    assert other == [(date(2026, 5, 1), "liability", D("3000.00")), (date(2026, 6, 1), "liability", D("-1000.00")),
                     (date(2026, 6, 15), "other_income", D("25.00")), (date(2026, 6, 15), "not_revenue", D("40.00"))]
    for as_of, held in (("2026-04-30", None), ("2026-05-31", D("3000.00")), ("2026-06-30", D("2000.00"))):
        rows = by(report(db, "prepayments", as_of), "customer")
        assert (rows["India"]["liability"], rows["India"]["deposit_accounts"],
                rows["India"]["refund_if_cancelled"]) == (held, held, held) if held else rows == {}
    june = by(report(db, "prepayments", roll_forward=date(2026, 6, 1)), "customer")["India"]
    assert [june[k] for k in ("opening", "received", "recognised", "refunded", "closing")] == \
        [D("3000.00"), D("0.00"), D("1000.00"), D("0.00"), D("2000.00")]


def test_a_deposit_taken_on_the_invoice_is_paid_money(db):
    """Juliet's invoice J1 of 2 May: hourly 2,000.00, due 22 May, with a deposit of 500.00 taken on the
    invoice itself (Invoice.Deposit; Balance 1,500.00). On 30 June it is 39 days past due for 1,500.00,
    not 2,000.00; the finance charge is 1.5% of 1,500.00 = 22.50. Invoice J2 of 15 November is for
    December's agreement (950.00, service 1 December) with a deposit of 300.00: on 22 November that
    300.00 is cash held for a month not started (a prepayment), and J2 is open for 650.00 (current), J1
    still for 1,500.00: 2,150.00."""
    company = Company()
    company.customer("90", "Juliet")
    company.invoice("90", "2026-05-02", ("hourly", "2000.00"), due="2026-05-22", Deposit=D("500.00"),
                    Balance=D("1500.00"))
    company.invoice("90", "2026-11-15", ("msa", "950.00", "2026-12-01"), due="2026-12-01", Deposit=D("300.00"),
                    Balance=D("650.00"))
    company.load(db)
    (june,) = report(db, "ar-aging", "2026-06-30")
    assert (june["days_31_60"], june["total"]) == (D("1500.00"), D("1500.00"))
    (charge,) = report(db, "ar-aging", "2026-06-30", finance_charges=True)
    assert (charge["past_due"], charge["finance_charge"]) == (D("1500.00"), D("22.50"))
    (held,) = report(db, "prepayments", "2026-11-22")
    assert (held["customer"], held["liability"], held["prepaid_service"]) == ("Juliet", D("300.00"), D("300.00"))
    (november,) = report(db, "ar-aging", "2026-11-22")
    assert (november["current"], november["total"]) == (D("650.00"), D("2150.00"))  # J1's 1,500.00 still open


def _quarter_paid_ahead(company: Company, customer: str) -> None:
    """Invoices for October, November and December (950.00 each, dated and serviced on the 1st), paid
    by one check of 2,850.00 on 22 September."""
    invoices = [company.invoice(customer, f"2026-{m}-01", ("msa", "950.00", f"2026-{m}-01"), due=f"2026-{m}-01")
                for m in ("10", "11", "12")]
    company.payment(customer, "2026-09-22", "2850.00", *[(invoice, "950.00") for invoice in invoices])


ROLL = ("opening", "received", "recognised", "refunded", "closing")


def test_prepaid_months_cancelled_by_a_credit_memo(db):
    """Kilo and Lima each pay October-December ahead (2,850.00). On 12 October each gets a credit memo
    for November and December (two lines of 950.00 with those service months): the months are
    cancelled, their money becomes the memo's credit. Kilo keeps the credit (RemainingCredit 1,900.00);
    Lima's is refunded by check (RemainingCredit 0; the check is not a sales document).
    On 15 October Kilo is owed 1,900.00 back (held 1,900 - cancelled 1,900 + credit 1,900), all of it
    cash; before, 3,800.00 was counted, more than Kilo ever paid. Lima: 1,900 - 1,900 + 0 = 0.
    On 15 November Kilo still 1,900.00 (December 950 - 950, credit 1,900). Lima's November: opening 0,
    nothing recognised (the cancelled month was given back on 12 October), closing 0.
    Kilo's October: 2,850 + 1,900 (credit) - 950 (October) - 1,900 (cancelled) = 1,900."""
    company = Company()
    for customer, name, left in (("91", "Kilo", "1900.00"), ("92", "Lima", "0")):
        company.customer(customer, name)
        _quarter_paid_ahead(company, customer)
        company.document("CreditMemo", customer, "2026-10-12", ("msa", "950.00", "2026-11-01"),
                         ("msa", "950.00", "2026-12-01"), RemainingCredit=D(left))
    company.load(db)
    october = by(report(db, "prepayments", "2026-10-15"), "customer")
    assert (october["Kilo"]["liability"], october["Kilo"]["refund_if_cancelled"]) == (D("1900.00"), D("1900.00"))
    assert "Lima" not in october
    assert by(report(db, "prepayments", "2026-11-15"), "customer")["Kilo"]["liability"] == D("1900.00")
    kilo = by(report(db, "prepayments", roll_forward=date(2026, 10, 1)), "customer")["Kilo"]
    assert [kilo[k] for k in ROLL] == [D("2850.00"), D("1900.00"), D("950.00"), D("1900.00"), D("1900.00")]
    assert "Lima" not in by(report(db, "prepayments", roll_forward=date(2026, 11, 1)), "customer")


def test_credit_memo_credit_as_it_stood_on_a_past_date(db):
    """Mike gets a credit memo of 300.00 on 10 August (no service date: credit for work, not cash). A
    payment of 15 September uses it to pay Mike's September invoice (300.00); QuickBooks now says
    RemainingCredit 0. On 31 August the credit was 300.00: it is held then (liability 300.00, refund if
    cancelled 0), and gone on 30 September. August: 0 + 300 received = 300; September: 300 - 300 used = 0."""
    company = Company()
    company.customer("93", "Mike")
    memo = company.document("CreditMemo", "93", "2026-08-10", ("hourly", "300.00"))
    september = company.invoice("93", "2026-09-01", ("hourly", "300.00"), due="2026-09-01")
    company.add("Payment", {"TxnDate": "2026-09-15", "CustomerRef": {"value": "93"}, "TotalAmt": D("0"),
                            "UnappliedAmt": D("0"), "Line": [
                                {"Amount": D("300.00"), "LinkedTxn": [{"TxnId": september["Id"], "TxnType": "Invoice"}]},
                                {"Amount": D("300.00"), "LinkedTxn": [{"TxnId": memo["Id"], "TxnType": "CreditMemo"}]}]})
    company.load(db)
    (mike,) = report(db, "prepayments", "2026-08-31")
    assert (mike["liability"], mike["credits"], mike["refund_if_cancelled"]) == (D("300.00"), D("300.00"), D("0.00"))
    assert report(db, "prepayments", "2026-09-30") == []
    august = by(report(db, "prepayments", roll_forward=date(2026, 8, 1)), "customer")["Mike"]
    assert [august[k] for k in ROLL] == [D("0.00"), D("300.00"), D("0.00"), D("0.00"), D("300.00")]
    september_roll = by(report(db, "prepayments", roll_forward=date(2026, 9, 1)), "customer")["Mike"]
    assert [september_roll[k] for k in ROLL] == [D("300.00"), D("0.00"), D("300.00"), D("0.00"), D("0.00")]


def test_receivables_net_of_credits_tie_to_quickbooks_ar(db):
    """November owes 1,000.00 on an open invoice and has 200.00 of a payment not applied and a credit
    memo with 150.00 of credit left; Oscar owes nothing and has 100.00 unapplied. The gross aging is
    1,000.00; QuickBooks' A/R nets the credits: November 1,000 - 200 - 150 = 650.00, Oscar -100.00,
    A/R 550.00."""
    company = Company()
    company.customer("94", "November")
    company.customer("95", "Oscar")
    company.invoice("94", "2026-10-01", ("hourly", "1000.00"), due="2026-10-21")
    company.payment("94", "2026-10-05", "200.00", unapplied="200.00")
    company.document("CreditMemo", "94", "2026-10-06", ("hourly", "150.00"), RemainingCredit=D("150.00"))
    company.payment("95", "2026-10-07", "100.00", unapplied="100.00")
    company.load(db)
    rows = by(report(db, "ar-aging", "2026-10-31"), "customer")
    assert [(rows[n]["total"], rows[n]["credits"], rows[n]["net"]) for n in ("November", "Oscar")] == [
        (D("1000.00"), D("-350.00"), D("650.00")), (D("0.00"), D("-100.00"), D("-100.00"))]
    assert sum(r["net"] for r in rows.values()) == D("550.00")
    assert rows["November"]["days_1_30"] == D("1000.00")


def test_net_receivables_match_quickbooks_customer_balances_on_the_real_sandbox(db):
    """QuickBooks' own Customer.Balance (open invoices less credits, per customer) in Intuit's sandbox
    company, summed per client (a job's balance to its parent), equals our net receivables per client."""
    assert cli("load", SANDBOX_JSONL, "--realm", "sandbox", "--db", db) == 0
    customers = [r["data"] for r in map(json.loads, SANDBOX_JSONL.read_text().splitlines()) if r["stream"] == "customers"]
    expected: dict[str, D] = {}
    for customer in customers:
        if D(str(customer.get("Balance", 0))):
            client = customer.get("ParentRef", {}).get("value", customer["Id"])
            expected[client] = expected.get(client, D(0)) + D(str(customer["Balance"]))
    assert len(expected) >= 3
    net = {r["customer_id"]: r["net"] for r in report(db, "ar-aging", "2030-01-01")}
    assert {client: net.get(client) for client in expected} == expected


def test_month_end_entries_fit_how_quickbooks_holds_prepayments(db):
    """At 31 October: Papa paid November's and December's invoices (dated 1 November and 1 December)
    ahead: 1,900.00 that sits as a credit in A/R. Quebec's one invoice of 1 October covers October,
    November and December (950.00 each) and is paid: QuickBooks counted all 2,850.00 as October income,
    so the 1,900.00 for later months is deferred. Romeo's payment of 500.00 is not applied (a credit in
    A/R). Sierra paid a retainer of 1,000.00 to the liability account Customer deposits: already a
    liability, no entry. Entries: Dr A/R 2,400.00 / Cr Customer prepayments 2,400.00 (1,900 + 500) and
    Dr Revenue 1,900.00 / Cr Deferred revenue 1,900.00, both reversed on the 1st; nothing credits revenue.
    Deposit accounts: 0 + 1,000 received - 0 applied = 1,000."""
    company = Company()
    for customer, name in (("96", "Papa"), ("97", "Quebec"), ("98", "Romeo"), ("99", "Sierra")):
        company.customer(customer, name)
    _quarter_paid_ahead(company, "96")
    quarter = company.invoice("97", "2026-10-01", *[("msa", "950.00", f"2026-{m}-01") for m in ("10", "11", "12")])
    company.payment("97", "2026-10-01", "2850.00", (quarter, "2850.00"))
    company.payment("98", "2026-10-20", "500.00", unapplied="500.00")
    company.add("Account", {"Id": "L1", "Name": "Customer deposits", "FullyQualifiedName": "Customer deposits",
                            "AccountType": "Other Current Liability", "Classification": "Liability"})
    company.add("Item", {"Id": "RET", "Name": "Retainer", "FullyQualifiedName": "Retainer", "Type": "Service",
                         "IncomeAccountRef": {"value": "L1"}})
    company.add("SalesReceipt", sales_document("99", "2026-10-05", [item_line("1000.00", ("RET", "Retainer"))]))
    company.load(db)
    pack = month_end_pack(db, date(2026, 10, 1), today=date(2026, 11, 5))
    sheet = next(s for s in pack.sheets if s.name == "Prepayments")
    entries = next(b for b in sheet.blocks if b.title.startswith("Adjusting entries"))
    assert entries.rows == [["Accounts receivable", D("2400.00"), D("0")], ["Customer prepayments (liability)", D("0"), D("2400.00")],
                            ["Revenue (income)", D("1900.00"), D("0")], ["Deferred revenue (liability)", D("0"), D("1900.00")]]
    assert "no entry" in entries.note and "reverse the entry on the 1st" in entries.note
    deposits = next(b for b in sheet.blocks if b.title.startswith("Deposit accounts"))
    assert deposits.rows == [["Customer deposits", D("0.00"), D("1000.00"), D("0.00"), D("1000.00")]]
