"""QuickBooks' books as it keeps them (issue 21): receivables on a date, A/R journal entries, discounts
beside shipping, income outside sales documents, accounts without a classification. Each rule is
hand-computed in its test's docstring."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from tests.builders import item_line, sales_document
from tests.companies import ITEMS, Company
from tests.helpers import query, work_query
from tests.metrics import by, month_end_pack, report


def retainer_and_consulting(company: Company) -> None:
    """A retainer item into Customer deposits, an Other Current Liability with no Classification (QuickBooks leaves
    out empty fields), and a consulting item into an Income account without one."""
    company.add("Account", {"Id": "L9", "Name": "Customer deposits", "FullyQualifiedName": "Customer deposits",
                            "AccountType": "Other Current Liability"})
    company.add("Account", {"Id": "I9", "Name": "Consulting", "FullyQualifiedName": "Consulting",
                            "AccountType": "Income"})
    company.add("Item", {"Id": "RET", "Name": "Retainer", "FullyQualifiedName": "Retainer", "Type": "Service",
                         "IncomeAccountRef": {"value": "L9"}})
    company.add("Item", {"Id": "CON", "Name": "Consulting", "FullyQualifiedName": "Consulting", "Type": "Service",
                         "IncomeAccountRef": {"value": "I9"}})


def test_an_account_without_classification_is_placed_by_its_type(db):
    """Uniform's retainer item posts to Customer deposits, an account whose record has AccountType
    "Other Current Liability" but no Classification (QuickBooks leaves out empty fields). Intuit's
    mapping makes it a Liability: the 2,000.00 sales receipt of 3 May is money held for Uniform
    (deposit account 2,000.00 on 31 May), not "not revenue". An Income account without Classification
    stays revenue: 500.00 of consulting in May."""
    company = Company()
    company.customer("60", "Uniform")
    retainer_and_consulting(company)
    company.add("SalesReceipt", sales_document("60", "2026-05-03", [item_line("2000.00", ("RET", "Retainer"))]))
    company.add("SalesReceipt", sales_document("60", "2026-05-04", [item_line("500.00", ("CON", "Consulting"))]))
    company.load(db)
    assert work_query(db, "select account_id, classification from staging.stg_qbo__accounts order by 1") == [
        ("I9", "Revenue"), ("L9", "Liability")]
    (held,) = report(db, "prepayments", "2026-05-31")
    assert (held["customer"], held["deposit_accounts"], held["liability"]) == ("Uniform", D("2000.00"), D("2000.00"))
    assert query(db, "select sum(amount) from marts.fct_revenue_lines") == [(D("500.00"),)]


def test_income_by_account_is_of_income_accounts_alone_on_either_basis(db):
    """Uniform's invoice of 3 May: a 2,000.00 retainer into Customer deposits (Other Current Liability) and 500.00
    of consulting (Income), paid in full on 20 June. QuickBooks' Income section books the consulting alone: 500.00
    in May on an accrual basis (the invoice's lines), in June on a cash basis (when paid); the retainer is neither."""
    company = Company()
    company.customer("60", "Uniform")
    retainer_and_consulting(company)
    invoice = company.add("Invoice", sales_document("60", "2026-05-03", [
        item_line("2000.00", ("RET", "Retainer")), item_line("500.00", ("CON", "Consulting"))]))
    company.payment("60", "2026-06-20", "2500.00", (invoice, "2500.00"))
    company.load(db)
    assert query(db, "select month, account_id, source, amount from intermediate.int_income_by_account_month") == [
        (date(2026, 5, 1), "I9", "invoice_lines", D("500.00"))]
    assert query(db, "select month, account_id, source, amount from marts.fct_cash_income_by_account_month") == [
        (date(2026, 6, 1), "I9", "sales_lines", D("500.00"))]


def test_a_discount_leaves_shipping_undiscounted(db):
    """Victor's invoice: a firewall 1,000.00, remote labor 300.00, a 10% discount (130.00) and shipping
    45.00 (QuickBooks' SHIPPING_ITEM_ID line); total 1,215.00. QuickBooks discounts the products, never
    the freight: hardware 1,000 - 100 = 900.00, labor 300 - 30 = 270.00, shipping 45.00 (spread over all
    three, hardware would be 903.35 and shipping 40.65). The lines still add up: 900 + 270 + 45 = 1,215."""
    company = Company()
    company.customer("61", "Victor")
    company.add("Invoice", sales_document("61", "2026-05-04", [
        item_line("1000.00", ITEMS["hardware"]), item_line("300.00", ITEMS["hourly"]),
        {"Amount": D("130.00"), "DetailType": "DiscountLineDetail",
         "DiscountLineDetail": {"PercentBased": True, "DiscountPercent": D("10")}},
        {"Amount": D("45.00"), "DetailType": "SalesItemLineDetail",
         "SalesItemLineDetail": {"ItemRef": {"value": "SHIPPING_ITEM_ID"}}}]))
    company.load(db)
    lines = query(db, "select item_id, gross_amount, discount_amount, amount from marts.fct_revenue_lines "
                      "order by line_index")
    assert lines == [(ITEMS["hardware"][0], D("1000.00"), D("100.00"), D("900.00")),
                     (ITEMS["hourly"][0], D("300.00"), D("30.00"), D("270.00")),
                     ("SHIPPING_ITEM_ID", D("45.00"), D("0.00"), D("45.00"))]
    may = {r["category"]: r["amount"] for r in report(db, "revenue-by-category", "2026-05-31")
           if r["month"] == date(2026, 5, 1)}
    assert (may["hardware"], may["labor_hourly"], sum(may.values())) == (D("900.00"), D("270.00"), D("1215.00"))


def test_a_payment_applied_to_invoices_not_yet_dated_is_credit(db):
    """Whiskey pays a 2,400.00 check on 22 September for October, November and December (800.00 each);
    the MSP applies it to the three invoices dated 1 October, 1 November and 1 December. QuickBooks' A/R
    on 30 September: no invoice yet, the payment -2,400.00: net -2,400.00, all of it credit (paid
    ahead). On 31 October: October's invoice is dated and paid (open 0), the payment's 1,600.00 for
    November and December is still credit: -1,600.00. On 1 December: 0.
    Xray overpays its 500.00 September invoice by 500.00 on 10 September; the overpayment is later
    applied to its agreement invoice of 1 October (QuickBooks adds the line to the payment, UnappliedAmt
    0): on 30 September Xray's A/R is -500.00, on 31 October 0.
    The month-end Summary for September shows QuickBooks' A/R -2,900.00, the sum of ar-aging's net, and
    its Prepayments sheet reclassifies 2,900.00 (Dr A/R)."""
    company = Company()
    company.customer("62", "Whiskey")
    company.customer("63", "Xray")
    invoices = [company.invoice("62", f"2026-{m}-01", ("msa", "800.00", f"2026-{m}-01"), due=f"2026-{m}-01")
                for m in ("10", "11", "12")]
    company.payment("62", "2026-09-22", "2400.00", *[(invoice, "800.00") for invoice in invoices])
    september = company.invoice("63", "2026-09-01", ("hourly", "500.00"), due="2026-09-21")
    october = company.invoice("63", "2026-10-01", ("msa", "500.00", "2026-10-01"), due="2026-10-01")
    company.payment("63", "2026-09-10", "1000.00", (september, "500.00"), (october, "500.00"))
    company.load(db)
    for as_of, whiskey, xray in (("2026-09-30", "-2400.00", "-500.00"), ("2026-10-31", "-1600.00", None),
                                 ("2026-12-01", None, None)):
        rows = by(report(db, "ar-aging", as_of), "customer")
        assert (rows.get("Whiskey", {}).get("net"), rows.get("Xray", {}).get("net")) == (
            whiskey and D(whiskey), xray and D(xray)), as_of
    rows = by(report(db, "ar-aging", "2026-09-30"), "customer")
    assert (rows["Whiskey"]["total"], rows["Whiskey"]["credits"]) == (D("0.00"), D("-2400.00"))
    lines = report(db, "lines", "2026-09-30", kind="ar-aging:credits", client="62")
    assert [(r["document_type"], r["amount"]) for r in lines] == [("Payment", D("-2400.00"))]
    assert "paid ahead" in lines[0]["detail"]
    pack = month_end_pack(db, date(2026, 9, 1), today=date(2026, 12, 5))
    summary = {row[0]: row[1] for block in next(s for s in pack.sheets if s.name == "Summary").blocks
               for row in block.rows if row}
    assert summary["Receivables net of credits (QuickBooks' A/R)"] == D("-2900.00") == sum(r["net"] for r in rows.values())
    entries = next(b for b in next(s for s in pack.sheets if s.name == "Prepayments").blocks
                   if b.title.startswith("Adjusting entries"))
    assert entries.rows[0] == ["Accounts receivable", D("2900.00"), D("0")]


AR_ACCOUNTS = [
    {"Id": "AR", "Name": "Accounts Receivable (A/R)", "FullyQualifiedName": "Accounts Receivable (A/R)",
     "AccountType": "Accounts Receivable", "Classification": "Asset"},
    {"Id": "OBE", "Name": "Opening Balance Equity", "FullyQualifiedName": "Opening Balance Equity",
     "AccountType": "Equity", "Classification": "Equity"},
]


def journal_line(posting: str, amount: str, account: str, customer: str | None = None, **detail) -> dict:
    """A journal entry's line as QuickBooks returns it; `customer` names the line's Entity."""
    entity = {"Entity": {"Type": "Customer", "EntityRef": {"value": customer}}} if customer else {}
    return {"Amount": D(amount), "DetailType": "JournalEntryLineDetail",
            "JournalEntryLineDetail": {"PostingType": posting, "AccountRef": {"value": account}, **entity, **detail}}


def test_receivables_posted_by_journal_entry_are_owed_until_paid(db):
    """Yankee's opening balance is entered on 15 January as a journal entry: Dr A/R 1,200.00 naming
    Yankee, Cr Opening Balance Equity 1,200.00. On 10 March Yankee pays 700.00, applied to the entry
    (a payment line linked to the JournalEntry). The entry has no terms: it is due on its date.
    28 February: 1,200.00 open, 44 days past due (31-60); finance charge 1.5% = 18.00.
    31 March: 500.00 open, 75 days past due (61-90); finance charge 7.50.
    Zulu's opening credit (Cr A/R 300.00 naming Zulu, Dr equity) is credit: on 28 February Zulu's net
    is -300.00; a payment of 31 March (total 0) uses 300.00 of it against Zulu's March invoice of
    300.00: on 31 March Zulu owes nothing and has no credit.
    QuickBooks' A/R on 28 February: 1,200 - 300 = 900.00; on 31 March 500.00."""
    company = Company()
    company.customer("64", "Yankee")
    company.customer("65", "Zulu")
    for account in AR_ACCOUNTS:
        company.add("Account", dict(account))
    entry = company.add("JournalEntry", {"TxnDate": "2026-01-15", "DocNumber": "OB-1", "Line": [
        journal_line("Debit", "1200.00", "AR", "64"), journal_line("Credit", "1200.00", "OBE")]})
    credit = company.add("JournalEntry", {"TxnDate": "2026-02-01", "DocNumber": "OB-2", "Line": [
        journal_line("Credit", "300.00", "AR", "65"), journal_line("Debit", "300.00", "OBE")]})
    company.add("Payment", {"TxnDate": "2026-03-10", "CustomerRef": {"value": "64"}, "TotalAmt": D("700.00"),
                            "UnappliedAmt": D("0"), "Line": [
                                {"Amount": D("700.00"), "LinkedTxn": [{"TxnId": entry["Id"], "TxnType": "JournalEntry"}]}]})
    march = company.invoice("65", "2026-03-01", ("hourly", "300.00"), due="2026-03-21")
    company.add("Payment", {"TxnDate": "2026-03-31", "CustomerRef": {"value": "65"}, "TotalAmt": D("0"),
                            "UnappliedAmt": D("0"), "Line": [
                                {"Amount": D("300.00"), "LinkedTxn": [{"TxnId": march["Id"], "TxnType": "Invoice"}]},
                                {"Amount": D("300.00"), "LinkedTxn": [{"TxnId": credit["Id"], "TxnType": "JournalEntry"}]}]})
    company.load(db)
    february = by(report(db, "ar-aging", "2026-02-28"), "customer")
    assert (february["Yankee"]["days_31_60"], february["Yankee"]["net"]) == (D("1200.00"), D("1200.00"))
    assert (february["Zulu"]["credits"], february["Zulu"]["net"]) == (D("-300.00"), D("-300.00"))
    assert sum(r["net"] for r in february.values()) == D("900.00")
    (charge,) = report(db, "ar-aging", "2026-02-28", finance_charges=True)
    assert (charge["customer"], charge["past_due"], charge["finance_charge"]) == ("Yankee", D("1200.00"), D("18.00"))
    march_rows = by(report(db, "ar-aging", "2026-03-31"), "customer")
    assert (march_rows["Yankee"]["days_61_90"], march_rows["Yankee"]["net"]) == (D("500.00"), D("500.00"))
    assert "Zulu" not in march_rows
    (charge,) = report(db, "ar-aging", "2026-03-31", finance_charges=True)
    assert charge["finance_charge"] == D("7.50")
    lines = report(db, "lines", "2026-03-31", kind="ar-aging:total")
    assert [(r["document_type"], r["doc_number"], r["amount"]) for r in lines] == [("JournalEntry", "OB-1", D("500.00"))]
    credits = report(db, "lines", "2026-02-28", kind="ar-aging:credits")
    assert [(r["document_type"], r["doc_number"], r["amount"]) for r in credits] == [("JournalEntry", "OB-2", D("-300.00"))]


INCOME_ACCOUNTS = [
    {"Id": "MS", "Name": "Managed Services", "AccountType": "Income", "Classification": "Revenue"},
    {"Id": "LH", "Name": "Labor - Hourly", "AccountType": "Income", "Classification": "Revenue"},
    {"Id": "OI", "Name": "Vendor rebates", "AccountType": "Other Income", "Classification": "Revenue"},
    {"Id": "CK", "Name": "Checking", "AccountType": "Bank", "Classification": "Asset"},
]


def test_income_by_journal_entry_and_deposit_is_revenue_by_category(db):
    """Echo's May in QuickBooks' ProfitAndLoss: a firewall sold on a sales receipt of 10 May (hardware
    1,000.00, banked on 28 May by a deposit line linked to it: not income again); a journal entry of 20
    May bills Echo's agreement (Dr A/R 600.00 / Cr Managed Services 600.00, both naming Echo); a journal
    entry of 25 May corrects hourly labor (Dr Labor - Hourly 100.00 / Cr Checking, no customer); the deposit
    of 28 May also banks 250.00 of Echo's hourly work paid in cash (a line to Labor - Hourly naming Echo) and
    a vendor rebate of 40.00 (Other Income: not revenue).
    Revenue in May: hardware 1,000.00, labor_msa 600.00, labor_hourly -100 + 250 = 150.00: 1,750.00, which
    is the ProfitAndLoss's income for May (Income accounts only). Echo's 12 months as of 1 June: MSA 600.00,
    hourly 250.00 (the correction names no client); Echo's MRR in May 600.00; Echo owes the 600.00."""
    company = Company()
    company.customer("66", "Echo")
    for account in INCOME_ACCOUNTS + AR_ACCOUNTS:
        company.add("Account", dict(account, FullyQualifiedName=account["Name"]))
    receipt = company.document("SalesReceipt", "66", "2026-05-10", ("hardware", "1000.00"))
    company.add("JournalEntry", {"TxnDate": "2026-05-20", "DocNumber": "JE-7", "Line": [
        journal_line("Debit", "600.00", "AR", "66"), journal_line("Credit", "600.00", "MS", "66")]})
    company.add("JournalEntry", {"TxnDate": "2026-05-25", "DocNumber": "JE-8", "Line": [
        journal_line("Debit", "100.00", "LH"), journal_line("Credit", "100.00", "CK")]})
    company.add("Deposit", {"TxnDate": "2026-05-28", "DepositToAccountRef": {"value": "CK"}, "TotalAmt": D("1290.00"),
                            "Line": [
        {"Amount": D("1000.00"), "LinkedTxn": [{"TxnId": receipt["Id"], "TxnType": "SalesReceipt", "TxnLineId": "0"}]},
        {"Amount": D("250.00"), "DetailType": "DepositLineDetail", "DepositLineDetail": {
            "AccountRef": {"value": "LH"}, "Entity": {"value": "66", "name": "Echo", "type": "CUSTOMER"}}},
        {"Amount": D("40.00"), "DetailType": "DepositLineDetail", "DepositLineDetail": {"AccountRef": {"value": "OI"}}}]})
    company.load(db)
    may = {r["category"]: r["amount"] for r in report(db, "revenue-by-category", "2026-05-31")
           if r["month"] == date(2026, 5, 1)}
    assert may == {"hardware": D("1000.00"), "labor_msa": D("600.00"), "labor_hourly": D("150.00")}
    income = query(db, "select sum(amount) from intermediate.int_income_by_account_month where month = '2026-05-01'")
    assert income == [(sum(may.values()),)] == [(D("1750.00"),)]
    lines = query(db, "select document_type, client, category, amount from marts.fct_revenue_lines "
                      "where document_type in ('JournalEntry', 'Deposit') order by txn_date, amount")
    assert lines == [("JournalEntry", "Echo", "labor_msa", D("600.00")), ("JournalEntry", None, "labor_hourly", D("-100.00")),
                     ("Deposit", "Echo", "labor_hourly", D("250.00"))]
    echo = by(report(db, "client-labor", "2026-06-01"), "customer")["Echo"]
    assert (echo["labor_msa"], echo["labor_hourly"], echo["hardware"]) == (D("600.00"), D("250.00"), D("1000.00"))
    assert [(r["customer"], r["mrr"]) for r in report(db, "mrr", "2026-05-31")] == [("Echo", D("600.00"))]
    hourly = report(db, "lines", "2026-05-31", month=date(2026, 5, 1), categories=("labor_hourly",))
    assert sorted((r["document_type"], r["amount"]) for r in hourly) == [
        ("Deposit", D("250.00")), ("JournalEntry", D("-100.00"))]
    assert by(report(db, "ar-aging", "2026-05-31"), "customer")["Echo"]["net"] == D("600.00")
    pack = month_end_pack(db, date(2026, 5, 1), today=date(2026, 12, 5))
    (block,) = next(s for s in pack.sheets if s.name == "Revenue by client").blocks
    rows = {row[0]: row[1:-1] for row in block.rows}
    assert set(rows) == {"Echo", "(no client)"}
    assert sum(rows["(no client)"]) == D("-100.00")
    assert sum(sum(r) for r in rows.values()) == D("1750.00")


def test_an_entry_moving_a_balance_between_customers_is_paid_by_each_its_own_part(db):
    """Foxtrot's 500.00 invoice of 1 February is moved to its new owner Golf by a journal entry of 10
    February: Dr A/R 500.00 naming Golf, Cr A/R 500.00 naming Foxtrot (the entry adds up to 0). On 28
    February Foxtrot's net is 500 - 500 = 0 (listed only with its invoice and the credit), Golf owes 500.00,
    aged from 10 February. Golf pays 500.00 on 5 March, applied to the entry: on 31 March Golf owes nothing
    (its own part is paid, whatever the entry's total), and A/R is 0."""
    company = Company()
    company.customer("67", "Foxtrot")
    company.customer("68", "Golf")
    for account in AR_ACCOUNTS:
        company.add("Account", dict(account))
    company.invoice("67", "2026-02-01", ("hourly", "500.00"), due="2026-02-01")
    entry = company.add("JournalEntry", {"TxnDate": "2026-02-10", "DocNumber": "MOVE-1", "Line": [
        journal_line("Debit", "500.00", "AR", "68"), journal_line("Credit", "500.00", "AR", "67")]})
    company.add("Payment", {"TxnDate": "2026-03-05", "CustomerRef": {"value": "68"}, "TotalAmt": D("500.00"),
                            "UnappliedAmt": D("0"), "Line": [
                                {"Amount": D("500.00"), "LinkedTxn": [{"TxnId": entry["Id"], "TxnType": "JournalEntry"}]}]})
    company.load(db)
    february = by(report(db, "ar-aging", "2026-02-28"), "customer")
    assert (february["Foxtrot"]["total"], february["Foxtrot"]["credits"], february["Foxtrot"]["net"]) == (
        D("500.00"), D("-500.00"), D("0.00"))
    assert (february["Golf"]["days_1_30"], february["Golf"]["net"]) == (D("500.00"), D("500.00"))
    march = by(report(db, "ar-aging", "2026-03-31"), "customer")
    assert "Golf" not in march and sum(r["net"] for r in march.values()) == D("0.00")
