"""Agreements paid for a year on one line, and MRR as of a date (issue 21, items 3 and 6): each rule
hand-computed in its test."""
from __future__ import annotations

from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from models.settings import categories
from models.warehouse import paths
from tests.companies import Company
from tests.metrics import by, month_end_pack, report

pytestmark = pytest.mark.long

ANNUAL = ("9", "Managed Services:MSA - Annual")
ROLL = ("opening", "received", "recognised", "refunded", "closing")
MONTH_ENDS = ("2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30", "2026-07-31", "2026-08-31", "2026-09-30",
              "2026-10-31", "2026-11-30", "2026-12-31", "2027-01-31", "2027-02-28")


def _annual(company: Company, entity: str, customer: str, day: str, amount: str, service: str | None = None) -> dict:
    """A document of one line of the annual agreement item (12 months a line in the rules file)."""
    line = {"Amount": D(amount), "DetailType": "SalesItemLineDetail",
            "SalesItemLineDetail": {"ItemRef": {"value": ANNUAL[0], "name": ANNUAL[1]}, "Qty": D(1),
                                    "UnitPrice": D(amount), **({"ServiceDate": service} if service else {})}}
    record = {"TxnDate": day, "CustomerRef": {"value": customer}, "Line": [line],
              "TxnTaxDetail": {"TotalTax": D(0)}, "TotalAmt": D(amount), "DocNumber": f"A{next(company.ids)}"}
    if entity == "CreditMemo":
        record["RemainingCredit"] = D(amount)
    return company.add(entity, record)


def _paid_for_a_year(company: Company, entity: str, customer: str = "60") -> dict:
    """12,000.00 on 1 March 2026 for March 2026 to February 2027, paid that day (a sales receipt is paid
    in full on its date; an invoice by a payment of 1 March)."""
    document = _annual(company, entity, customer, "2026-03-01", "12000.00", "2026-03-01")
    if entity == "Invoice":
        company.payment(customer, "2026-03-01", "12000.00", (document, "12000.00"))
    return document


def _load(company: Company, db: Path) -> None:
    """Load with the annual item in the rules file: "MSA - Annual" = 12, written before the load, whose build is then
    the only one (every test's figures need the rule: without it the year is all March's)."""
    company.add("Item", {"Id": ANNUAL[0], "Name": "MSA - Annual", "FullyQualifiedName": ANNUAL[1], "Type": "Service"})
    db.parent.mkdir(parents=True, exist_ok=True)
    rules = categories.ensure_rules_file(paths.category_rules(db))
    rules.write_text(rules.read_text().replace("[agreement_months]\n", '[agreement_months]\n"MSA - Annual" = 12\n'))
    company.load(db)


def _lines(db: Path, kind: str, as_of: str = "2027-03-31", **options) -> D:
    return sum((row["amount"] for row in report(db, "lines", as_of, kind=kind, **options)), D(0))


@pytest.mark.parametrize("entity", ["Invoice", "SalesReceipt"])
def test_a_year_paid_on_one_line_is_held_and_earned_month_by_month(db, entity):
    """Uniform pays 12,000.00 on 1 March 2026 for March 2026 to February 2027, one line of the annual
    agreement item ("MSA - Annual" = 12): 1,000.00 a month, the same spread as MRR's.
    Held on 31 March: April to February, 11 x 1,000.00 = 11,000.00; on 31 August September to February,
    6,000.00; at the n-th month end 12,000 - 1,000 x n; nothing on 28 February 2027. (Before: 0 — the
    whole year was earned in March.) Refund exposure the same: all of it is the client's cash.
    Schedule on 31 March: 1,000.00 in each of April 2026 to February 2027 (11 months).
    Roll-forward of March: opening 0 + received 11,000 (what was paid for the months after March; March's
    1,000 was paid and earned the same day, never held) - recognised 0 - refunded 0 = 11,000. April:
    11,000 + 0 - 1,000 - 0 = 10,000; each month to February recognises 1,000.00, February's closing 0.
    Month end of March: the invoice is dated 1 March, QuickBooks counted all 12,000.00 as March income,
    so 11,000.00 is deferred: Dr Revenue 11,000.00 / Cr Deferred revenue 11,000.00.
    MRR: 1,000.00 March to February (new in March), churn in March 2027."""
    company = Company()
    company.customer("60", "Uniform")
    _paid_for_a_year(company, entity)
    _load(company, db)
    for n, as_of in enumerate(MONTH_ENDS, start=1):
        held = by(report(db, "prepayments", as_of), "customer").get("Uniform")
        expected = D(12000) - D(1000) * n
        assert (held and (held["liability"], held["refund_if_cancelled"])) == \
            ((expected, expected) if expected else None), as_of
    assert (by(report(db, "prepayments", "2026-08-31"), "customer")["Uniform"]["liability"]) == D("6000.00")
    schedule = report(db, "prepayments", "2026-03-31", schedule=True)
    assert [(r["month"], r["amount"]) for r in schedule] == \
        [(date(2026 + (m > 12), (m - 1) % 12 + 1, 1), D("1000.00")) for m in range(4, 15)]
    march = by(report(db, "prepayments", "2027-03-31", roll_forward=date(2026, 3, 1)), "customer")["Uniform"]
    assert [march[k] for k in ROLL] == [D(0), D("11000.00"), D(0), D(0), D("11000.00")]
    for month in range(4, 15):
        first = date(2026 + (month > 12), (month - 1) % 12 + 1, 1)
        rolled = by(report(db, "prepayments", "2027-03-31", roll_forward=first), "customer")["Uniform"]
        opening = D(12000) - D(1000) * (month - 3)
        assert [rolled[k] for k in ROLL] == [opening, D(0), D("1000.00"), D(0), opening - D(1000)], first
    pack = month_end_pack(db, date(2026, 3, 1), today=date(2026, 4, 5))
    sheet = next(s for s in pack.sheets if s.name == "Prepayments")
    entries = next(b for b in sheet.blocks if b.title.startswith("Adjusting entries"))
    assert entries.rows == [["Revenue (income)", D("11000.00"), D("0")], ["Deferred revenue (liability)", D("0"), D("11000.00")]]
    mrr = report(db, "mrr", "2027-03-31")
    assert [(r["month"], r["mrr"], r["movement"]) for r in mrr] == \
        [(date(2026 + (m > 12), (m - 1) % 12 + 1, 1), D("1000.00"), "new" if m == 3 else "none") for m in range(3, 15)] \
        + [(date(2027, 3, 1), D("0.00"), "churn")]


def test_the_drilldowns_add_up_to_a_spread_year(db):
    """The same year (12,000.00 paid 1 March, 1,000.00 a month). The documents behind each figure add up
    to it: prepayments liability on 31 August 6,000.00 (the invoice, paid for September to February: six
    rows of 1,000.00); the schedule's bar of October 1,000.00; April's roll-forward: opening 11,000.00,
    recognised 1,000.00, closing 10,000.00; MRR of June 1,000.00 (month 4 of 12); MRR's new in March 1,000.00."""
    company = Company()
    company.customer("60", "Uniform")
    _paid_for_a_year(company, "Invoice")
    _load(company, db)
    liability = report(db, "lines", "2026-08-31", kind="prepayments:liability")
    assert [(r["detail"], r["amount"]) for r in liability] == \
        [(f"paid for {m} {y}, not started", D("1000.00"))
         for m, y in (("Sep", 2026), ("Oct", 2026), ("Nov", 2026), ("Dec", 2026), ("Jan", 2027), ("Feb", 2027))]
    assert _lines(db, "prepayments:liability", "2026-08-31", month=date(2026, 10, 1)) == D("1000.00")
    april = date(2026, 4, 1)
    assert [_lines(db, f"roll-forward:{c}", month=april) for c in ("opening", "recognised", "closing")] == \
        [D("11000.00"), D("1000.00"), D("10000.00")]
    (june,) = report(db, "lines", "2026-06-30", kind="mrr", month=date(2026, 6, 1))
    assert (june["amount"], june["detail"]) == (D("1000.00"), "Jun 2026, month 4 of 12")
    assert _lines(db, "mrr:new", "2026-03-31", month=date(2026, 3, 1)) == D("1000.00")


@pytest.mark.parametrize("service", [None, "2026-09-01", "2026-08-20"])
def test_a_year_cancelled_by_a_refund_gives_back_its_last_months(db, service):
    """Uniform's year (12,000.00 paid 1 March for March to February) is cancelled: a refund receipt of
    6,000.00 of the annual item on 20 August, for September to February. QuickBooks does not link the
    refund to the invoice; it takes back the last months of the year billed, latest first at 1,000.00 a
    month: February, January, ..., September — whatever its own service date (none, 1 September, or 20
    August; before, it was spread over 12 months of its own: -500.00 a month from August or September).
    Held: 31 July 7,000.00 (August to February); 31 August 6,000.00 held - 6,000.00 refunded = 0.00,
    never below (before: -6,000.00 when the refund said September); 0 every month end after.
    August's roll-forward: opening 7,000.00 + 0 - recognised 1,000.00 (August) - refunded 6,000.00 = 0.
    MRR 1,000.00 March to August, then churn in September (-1,000.00); nothing after."""
    company = Company()
    company.customer("60", "Uniform")
    _paid_for_a_year(company, "Invoice")
    _annual(company, "RefundReceipt", "60", "2026-08-20", "6000.00", service)
    _load(company, db)
    assert by(report(db, "prepayments", "2026-07-31"), "customer")["Uniform"]["liability"] == D("7000.00")
    for as_of in MONTH_ENDS[5:]:
        assert "Uniform" not in by(report(db, "prepayments", as_of), "customer"), as_of
    august = by(report(db, "prepayments", "2027-03-31", roll_forward=date(2026, 8, 1)), "customer")["Uniform"]
    assert [august[k] for k in ROLL] == [D("7000.00"), D(0), D("1000.00"), D("6000.00"), D(0)]
    assert _lines(db, "roll-forward:refunded", month=date(2026, 8, 1)) == D("6000.00")
    mrr = report(db, "mrr", "2027-03-31")
    assert [(r["month"], r["mrr"], r["movement"]) for r in mrr] == \
        [(date(2026, m, 1), D("1000.00"), "new" if m == 3 else "none") for m in range(3, 9)] \
        + [(date(2026, 9, 1), D("0.00"), "churn")]
    assert _lines(db, "mrr:churn", month=date(2026, 9, 1)) == D("-1000.00")
    assert _lines(db, "mrr", month=date(2026, 12, 1)) == D(0)


def test_a_year_cancelled_by_a_credit_memo_keeps_the_clients_cash(db):
    """Uniform's year is cancelled on 20 August by a credit memo of 6,000.00 of the annual item (no
    service date), kept as credit (RemainingCredit 6,000.00). The memo takes back September to February
    like a refund: held 6,000.00 - cancelled 6,000.00 + the memo's credit 6,000.00 = 6,000.00 on 31 August,
    and all of it is the client's cash: refund if cancelled 6,000.00 (before: 0.00 — the memo's credit
    counted as credit for work, since its line had no later service month). The documents behind each
    figure add up to it: the invoice's six paid months (+6,000.00) and the memo's six cancelled months
    (-6,000.00) make prepaid service 0.00; the memo's credit 6,000.00. MRR churns in September."""
    company = Company()
    company.customer("60", "Uniform")
    _paid_for_a_year(company, "Invoice")
    _annual(company, "CreditMemo", "60", "2026-08-20", "6000.00")
    _load(company, db)
    held = by(report(db, "prepayments", "2026-08-31"), "customer")["Uniform"]
    assert (held["liability"], held["refund_if_cancelled"], held["prepaid_service"], held["credits"]) == \
        (D("6000.00"), D("6000.00"), D("0.00"), D("6000.00"))
    for column in ("liability", "refund_if_cancelled", "prepaid_service", "credits"):  # the documents behind them
        assert _lines(db, f"prepayments:{column}", "2026-08-31") == held[column], column
    cancelled = report(db, "lines", "2026-08-31", kind="prepayments:prepaid_service")
    assert [(r["detail"], r["amount"]) for r in cancelled if r["document_type"] == "CreditMemo"] == \
        [(f"cancelled by credit memo: {m}", D("-1000.00"))
         for m in ("Sep 2026", "Oct 2026", "Nov 2026", "Dec 2026", "Jan 2027", "Feb 2027")]
    mrr = report(db, "mrr", "2026-10-31")
    assert [(r["month"], r["movement"]) for r in mrr][-2:] == [(date(2026, 8, 1), "none"), (date(2026, 9, 1), "churn")]


def test_a_refund_takes_back_the_latest_months_not_yet_taken(db):
    """Victor pays two years ahead on two lines of the annual item, both on 1 March 2026: 12,000.00
    (1,000.00 a month) for March 2026 to February 2027 and 13,200.00 (1,100.00 a month) for March 2027 to
    February 2028. On 20 May 2026 a first refund of 2,200.00 takes back the last two months, February and
    January 2028 (1,100.00 each). On 20 August 2026 a second of 12,000.00 goes on where the first stopped:
    December 2027 back to March 2027 (ten months, 11,000.00), then February 2027 (1,000.00).
    Held on 31 May 2026: paid 25,200.00 - earned March to May 3,000.00 - refunded 2,200.00 = 20,000.00;
    on 31 August 2026: 25,200 - 6,000 (March to August) - 2,200 - 12,000 = 5,000.00 (September to January).
    MRR 1,000.00 March 2026 to January 2027, churn in February 2027, nothing after.
    Xray renews: 12,000.00 paid 1 March 2026 for March to February, 6,000.00 refunded 20 August 2026
    (September to February); a new year billed and paid 1 March 2027 (March 2027 to February 2028), and
    6,000.00 refunded 20 August 2027: the last months of what was billed by then not taken back since the
    new bill — September 2027 to February 2028, not March to August 2027 below the first refund's months.
    Held on 31 July 2027 7,000.00, on 31 August 2027 0.00. MRR 1,000.00 March to August 2026, churn in
    September 2026, reactivation in March 2027, 1,000.00 to August 2027, churn in September 2027."""
    company = Company()
    company.customer("61", "Victor")
    first = _annual(company, "Invoice", "61", "2026-03-01", "12000.00", "2026-03-01")
    second = _annual(company, "Invoice", "61", "2026-03-01", "13200.00", "2027-03-01")
    company.payment("61", "2026-03-01", "25200.00", (first, "12000.00"), (second, "13200.00"))
    _annual(company, "RefundReceipt", "61", "2026-05-20", "2200.00")
    _annual(company, "RefundReceipt", "61", "2026-08-20", "12000.00")
    company.customer("63", "Xray")
    _paid_for_a_year(company, "Invoice", "63")
    _annual(company, "RefundReceipt", "63", "2026-08-20", "6000.00")
    renewal = _annual(company, "Invoice", "63", "2027-03-01", "12000.00", "2027-03-01")
    company.payment("63", "2027-03-01", "12000.00", (renewal, "12000.00"))
    _annual(company, "RefundReceipt", "63", "2027-08-20", "6000.00")
    _load(company, db)
    held = {as_of: {r["customer"]: r["liability"] for r in report(db, "prepayments", as_of)}
            for as_of in ("2026-05-31", "2026-08-31", "2027-07-31", "2027-08-31")}
    assert held == {"2026-05-31": {"Victor": D("20000.00"), "Xray": D("9000.00")},
                    "2026-08-31": {"Victor": D("5000.00")}, "2027-07-31": {"Xray": D("7000.00")}, "2027-08-31": {}}
    mrr = {(r["customer"], r["month"]): (r["mrr"], r["movement"]) for r in report(db, "mrr", "2028-03-31")}
    assert mrr[("Victor", date(2027, 1, 1))] == (D("1000.00"), "none")
    assert mrr[("Victor", date(2027, 2, 1))] == (D("0.00"), "churn")
    assert max(month for client, month in mrr if client == "Victor") == date(2027, 2, 1)
    xray = [(month, movement) for (client, month), (amount, movement) in sorted(mrr.items())
            if client == "Xray" and movement != "none"]
    assert xray == [(date(2026, 3, 1), "new"), (date(2026, 9, 1), "churn"), (date(2027, 3, 1), "reactivation"),
                    (date(2027, 9, 1), "churn")]
    assert mrr[("Xray", date(2027, 8, 1))] == (D("1000.00"), "none")


# -- MRR as of a date ------------------------------------------------------------------------------------

def test_mrr_as_of_a_date_counts_only_lines_dated_by_it(db):
    """Whiskey is billed in arrears: 950.00 dated 2 March for February's service and 950.00 dated 2 April
    for March's. As of 31 March the April invoice does not exist yet (revenue works the same way): MRR
    February 950.00 (new), March 0.00 (churn), and the drill-down of March lists nothing. As of 30 April:
    February 950.00 (new), March 950.00 (none), April 0.00 (churn); March's drill-down is the April
    invoice, 950.00. The summary as of 31 March: March's MRR 0.00, churn -950.00."""
    company = Company()
    company.customer("62", "Whiskey")
    company.invoice("62", "2026-03-02", ("msa", "950.00", "2026-02-01"))
    company.invoice("62", "2026-04-02", ("msa", "950.00", "2026-03-01"))
    company.load(db)
    march = [(r["month"], r["mrr"], r["movement"]) for r in report(db, "mrr", "2026-03-31")]
    assert march == [(date(2026, 2, 1), D("950.00"), "new"), (date(2026, 3, 1), D("0.00"), "churn")]
    assert report(db, "lines", "2026-03-31", kind="mrr", month=date(2026, 3, 1)) == []
    april = [(r["month"], r["mrr"], r["movement"]) for r in report(db, "mrr", "2026-04-30")]
    assert april == [(date(2026, 2, 1), D("950.00"), "new"), (date(2026, 3, 1), D("950.00"), "none"),
                     (date(2026, 4, 1), D("0.00"), "churn")]
    (line,) = report(db, "lines", "2026-04-30", kind="mrr", month=date(2026, 3, 1))
    assert (line["txn_date"], line["amount"]) == (date(2026, 4, 2), D("950.00"))
    summary = by(report(db, "mrr", "2026-03-31", summary=True), "month")[date(2026, 3, 1)]
    assert (summary["mrr"], summary["churn"]) == (D("0.00"), D("-950.00"))
    assert _lines(db, "mrr:churn", "2026-03-31", month=date(2026, 3, 1)) == D("-950.00")
