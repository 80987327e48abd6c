"""The local QuickBooks-compatible server answers in the shapes of the recorded real exchanges, and
refuses what QuickBooks refuses."""
from __future__ import annotations

import json
import re
import time
from collections import deque
from datetime import date, timedelta, timezone
from decimal import Decimal

import pytest
import requests
import yaml

from ingest.records import parse_json
from tests.qbo_helpers import INTUIT_TID, REALM, start_server
from tests.recorded import CASSETTES, FIXTURES, SANDBOX_JSONL, cassette_bodies
from tests.stand_in.quickbooks import Faults

NESTED = FIXTURES / "qbo-reports" / "profit_and_loss_nested.json"
BOOKS = "9130354455000099"  # a realm holding the accounts and postings of the nested report


def shape(value, depth: int = 3):
    """The keys and kinds of a JSON value, a few levels down (lists by their first element)."""
    if depth == 0:
        return type(value).__name__
    if isinstance(value, dict):
        return {k: shape(v, depth - 1) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(value[0], depth - 1)] if value else []
    return "number" if isinstance(value, (int, float)) or type(value).__name__ == "Decimal" else type(value).__name__


def recorded_headers(relative: str) -> list[dict]:
    recording = yaml.safe_load((CASSETTES / relative).read_text(encoding="utf-8"))
    return [i["response"]["headers"] for i in recording["http_interactions"]]


@pytest.fixture(scope="module")
def server():
    qbo = start_server(clients=5, years=1)
    qbo.load(BOOKS, books())
    yield qbo
    qbo.stop()


SENT: deque[float] = deque(maxlen=9)


def call(server, method: str, path: str, token: str | None = None, realm: str = REALM, **kwargs) -> requests.Response:
    """One request, paced as QuickBooks demands of any client: at most 10 a second per company."""
    if len(SENT) == SENT.maxlen:
        time.sleep(max(0.0, SENT[0] + 1.05 - time.monotonic()))
    SENT.append(time.monotonic())
    token = token or server.issue_tokens(realm)["access_token"]
    return requests.request(method, f"{server.api_url}/company/{realm}/{path}",
                            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
                            timeout=10, **kwargs)


def since(server, **delta) -> str:
    return (server.clock() - timedelta(**delta)).astimezone().isoformat(timespec="seconds")


# -- the recorded envelopes ------------------------------------------------------------------------------
def test_query_pages_look_like_the_recorded_ones(server):
    recorded = cassette_bodies("all/customers.yml")[1]  # SELECT * FROM Customer MAXRESULTS 1000 STARTPOSITION 1
    ours = parse_json(call(server, "POST", "query", data="SELECT * FROM Customer STARTPOSITION 1 MAXRESULTS 1000").text)
    assert set(ours) == set(recorded) == {"QueryResponse", "time"}
    assert set(ours["QueryResponse"]) == set(recorded["QueryResponse"]) == {"Customer", "startPosition", "maxResults"}
    count = parse_json(call(server, "POST", "query", data="SELECT COUNT(*) FROM Customer").text)
    assert shape(count) == shape(json.loads(json.dumps(cassette_bodies("all/customers.yml")[0])))
    empty = parse_json(call(server, "POST", "query", data="SELECT * FROM Customer STARTPOSITION 900 MAXRESULTS 5").text)
    assert empty["QueryResponse"] == cassette_bodies("all/alt_select.yml")[-1]["QueryResponse"] == {}
    # a response's "time" has milliseconds, as recorded ("2020-09-29T06:04:48.863-07:00")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d", ours["time"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d", recorded["time"])


def test_change_data_capture_looks_like_the_recorded_one(server):
    recorded = cassette_bodies("cdc/basic.yml")[0]
    company = server.company(REALM)
    record = company.upsert("Invoice", next(iter(company.records["Invoice"].values())))
    ours = parse_json(call(server, "GET", "cdc", params={"entities": "invoice",  # lower case, as recorded
                                                         "changedSince": record["MetaData"]["LastUpdatedTime"]}).text)
    assert set(ours) == set(recorded)
    block = ours["CDCResponse"][0]["QueryResponse"][0]
    assert set(block) == set(recorded["CDCResponse"][0]["QueryResponse"][0]) - {"Estimate"} | {"Invoice"}


def test_every_data_response_carries_an_intuit_tid_like_the_recorded_ones(server):
    assert all(INTUIT_TID.match(h["Intuit-Tid"][0]) for name in ("error/400.yml", "error/401.yml", "cdc/basic.yml")
               for h in recorded_headers(name))
    answers = [call(server, "POST", "query", data="SELECT * FROM Item"),
               call(server, "POST", "query", data="SELECT * FROM Custmoer"),
               call(server, "GET", "cdc", token="at-expired", params={"entities": "Invoice", "changedSince": "x"}),
               call(server, "GET", "reports/ProfitAndLoss", params={"start_date": "2026-03-01", "end_date": "2026-04-30"})]
    assert [a.status_code for a in answers] == [200, 400, 401, 200]
    tids = [a.headers["Intuit-Tid"] for a in answers]
    assert all(INTUIT_TID.match(t) for t in tids) and len(set(tids)) == len(tids)


# -- faults ----------------------------------------------------------------------------------------------
def test_an_expired_token_gets_the_recorded_401_body_and_header(server):
    recorded, headers = cassette_bodies("error/401.yml")[0], recorded_headers("error/401.yml")[0]
    response = call(server, "GET", "cdc", token="at-expired", params={"entities": "Invoice", "changedSince": "2026-11-01"})
    assert response.status_code == 401
    ours = response.json()
    assert set(ours) == set(recorded) and shape(ours, 2) == shape(recorded, 2)  # lowercase keys, epoch-ms time
    assert set(ours["fault"]["error"][0]) == set(recorded["fault"]["error"][0])
    assert ours["fault"]["error"][0]["code"] == recorded["fault"]["error"][0]["code"] == "3200"
    assert response.headers["Www-Authenticate"] == headers["Www-Authenticate"][0]


def test_a_forbidden_company_gets_the_real_403_body():
    server = start_server(clients=2, years=1, faults=Faults(forbidden=True))
    try:
        response = call(server, "POST", "query", data="SELECT * FROM Customer")
        recorded = cassette_bodies("error/401.yml")[0]  # the same gateway envelope (frappe/erpnext #29161)
        assert response.status_code == 403
        ours = response.json()
        assert set(ours) == set(recorded) and isinstance(ours["time"], int)
        assert ours["fault"] == {"error": [{"message": "message=ApplicationAuthorizationFailed; errorCode=003100; "
                                                       "statusCode=403", "detail": None, "code": "3100",
                                            "element": None}], "type": "SERVICE"}
        server.faults.forbidden = False
        assert call(server, "POST", "query", data="SELECT * FROM Customer").status_code == 200
        other = server.issue_tokens("9999")["access_token"]  # a token granted for another company
        assert call(server, "POST", "query", token=other, data="SELECT * FROM Customer").status_code == 403
    finally:
        server.stop()


def test_a_bad_query_gets_the_recorded_validation_fault(server):
    recorded = cassette_bodies("error/400.yml")[1]
    response = call(server, "POST", "query", data="SELECT * FROM Custmoer")
    assert response.status_code == 400
    assert {**response.json(), "time": None} == {**recorded, "time": None}
    unparsed = call(server, "POST", "query", data="SELECT * FROM")
    assert unparsed.status_code == 400
    ours = unparsed.json()
    assert set(ours) == set(recorded) and set(ours["Fault"]) == set(recorded["Fault"])
    assert set(ours["Fault"]["Error"][0]) == set(recorded["Fault"]["Error"][0])


def test_one_entity_can_be_made_to_fail_while_the_others_answer(server):
    server.faults.query_faults["Invoice"] = "QueryValidationError: property 'Foo' is not queryable"
    try:
        failed = call(server, "POST", "query", data="SELECT * FROM Invoice STARTPOSITION 1 MAXRESULTS 10")
        assert failed.status_code == 400
        fault = failed.json()["Fault"]
        assert fault["type"] == "ValidationFault" and fault["Error"][0]["Detail"].endswith("is not queryable")
        assert set(fault["Error"][0]) == set(cassette_bodies("error/400.yml")[1]["Fault"]["Error"][0])
        assert call(server, "POST", "query", data="SELECT * FROM Customer").status_code == 200
    finally:
        server.faults.query_faults.clear()


def test_a_record_deleted_between_two_pages_shifts_the_next_page():
    def delete_first_of_page_one(company, entity, page, records):
        if (entity, page) == ("Customer", 1):
            company.delete(entity, records[0]["Id"])

    server = start_server(clients=5, years=1)
    try:
        everyone = call(server, "POST", "query", data="SELECT * FROM Customer STARTPOSITION 1 MAXRESULTS 1000")
        ids = [c["Id"] for c in parse_json(everyone.text)["QueryResponse"]["Customer"]]
        server.faults.after_page = delete_first_of_page_one
        pages = [parse_json(call(server, "POST", "query", data=f"SELECT * FROM Customer STARTPOSITION {start} "
                                                              "MAXRESULTS 2").text)["QueryResponse"]
                 for start in (1, 3)]
        served = [c["Id"] for page in pages for c in page.get("Customer", [])]
        assert served == ids[0:2] + ids[3:5]  # offset paging skipped ids[2]: it moved up into page 1
        changes = parse_json(call(server, "GET", "cdc", params={"entities": "Customer",
                                                                "changedSince": since(server, minutes=1)}).text)
        [block] = changes["CDCResponse"][0]["QueryResponse"]
        assert [(c["Id"], c["status"]) for c in block["Customer"]] == [(ids[0], "Deleted")]
    finally:
        server.stop()



@pytest.mark.parametrize("condition", ["Id > '9'", "Id >= '10'", "Id < '100'", "Id <= '1'"])
def test_an_id_range_is_refused_not_guessed(server, condition):
    """Whether QuickBooks compares Ids as numbers or as text is undocumented: the stand-in refuses the range
    rather than pick one, so nothing built against it can depend on a guess."""
    response = call(server, "POST", "query", data=f"SELECT * FROM Invoice WHERE {condition} ORDERBY Id MAXRESULTS 5")
    assert response.status_code == 400 and response.json()["Fault"]["type"] == "ValidationFault"
    assert call(server, "POST", "query", data="SELECT * FROM Invoice WHERE Id = '9'").status_code == 200


# -- cursors -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("cursor", ["2026-11-01", "2026-11-01T09:00:00", "2026-11-01 09:00:00-08:00",
                                    "2026-11-01T09:00-08:00", "2026-11-01T09:00:00+8", "yesterday"])
def test_a_malformed_cursor_is_a_validation_fault(server, cursor):
    for response in (call(server, "POST", "query", data=f"SELECT * FROM Invoice WHERE MetaData.LastUpdatedTime "
                                                         f"> '{cursor}'"),
                     call(server, "GET", "cdc", params={"entities": "Invoice", "changedSince": cursor})):
        assert response.status_code == 400
        assert response.json()["Fault"]["type"] == "ValidationFault"


def test_cursors_are_read_in_the_documented_iso_forms(server):
    moment = server.clock() - timedelta(days=2)
    forms = [moment.astimezone().isoformat(timespec="seconds"),          # 2026-11-20T09:00:00-08:00 (recorded)
             moment.astimezone().isoformat(timespec="milliseconds"),     # a response's "time" sent back
             moment.astimezone().strftime("%Y-%m-%dT%H:%M:%S%z"),        # -0800, as Intuit's query example writes it
             moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")]
    counts = set()
    for form in forms:
        query = call(server, "POST", "query", data=f"SELECT COUNT(*) FROM Invoice WHERE MetaData.LastUpdatedTime >= '{form}'")
        cdc = call(server, "GET", "cdc", params={"entities": "Invoice", "changedSince": form})
        assert query.status_code == cdc.status_code == 200, (form, query.text, cdc.text)
        counts.add(query.json()["QueryResponse"]["totalCount"])
    assert len(counts) == 1


def test_change_data_capture_refuses_time_activity_which_a_query_still_reads(server):
    server.company(REALM).upsert("TimeActivity", {"Id": "1", "TxnDate": "2026-11-20", "Hours": 2, "Minutes": 0})
    read = call(server, "POST", "query", data="SELECT * FROM TimeActivity WHERE MetaData.LastUpdatedTime >= "
                                              f"'{since(server, days=1)}' STARTPOSITION 1 MAXRESULTS 1000")
    assert read.status_code == 200 and [t["Id"] for t in read.json()["QueryResponse"]["TimeActivity"]] == ["1"]
    refused = call(server, "GET", "cdc", params={"entities": "Invoice,TimeActivity", "changedSince": since(server, days=1)})
    assert refused.status_code == 400 and "TimeActivity" in refused.json()["Fault"]["Error"][0]["Detail"]


# -- ProfitAndLoss ---------------------------------------------------------------------------------------
def account(account_id: str, name: str, kind: str, parent: str | None = None) -> dict:
    record = {"Id": account_id, "Name": name, "AccountType": kind, "Active": True, "SubAccount": parent is not None,
              "Classification": {"Income": "Revenue", "Other Income": "Revenue", "Expense": "Expense"}.get(kind, "Asset")}
    return record | ({"ParentRef": {"value": parent}} if parent else {})


def sale(doc_id: str, day: str, *lines: dict) -> dict:
    return {"Id": doc_id, "TxnDate": day, "Line": list(lines)}


def item_line(amount: str, item: str, account_ref: str | None = None) -> dict:
    detail = {"ItemRef": {"value": item}} | ({"ItemAccountRef": {"value": account_ref}} if account_ref else {})
    return {"Amount": Decimal(amount), "DetailType": "SalesItemLineDetail", "SalesItemLineDetail": detail}


def journal_line(amount: str, posting: str, account_id: str) -> dict:
    return {"Amount": Decimal(amount), "DetailType": "JournalEntryLineDetail",
            "JournalEntryLineDetail": {"PostingType": posting, "AccountRef": {"value": account_id}}}


def deposit_line(amount: str, account_id: str, linked: bool = False) -> dict:
    line = {"Amount": Decimal(amount), "DetailType": "DepositLineDetail",
            "DepositLineDetail": {"AccountRef": {"value": account_id}}}
    return line | ({"LinkedTxn": [{"TxnId": "77", "TxnType": "Payment"}]} if linked else {})


def books() -> dict[str, list[dict]]:
    """Craig's Design and Landscaping's accounts, with postings of every kind that make the figures of the
    nested report fixture (its March and April 2026 columns)."""
    accounts = [account("82", "Design income", "Income"), account("86", "Discounts given", "Income"),
                account("45", "Landscaping Services", "Income"), account("46", "Job Materials", "Income", "45"),
                account("48", "Fountains and Garden Lighting", "Income", "46"),
                account("49", "Plants and Soil", "Income", "46"), account("51", "Labor", "Income", "45"),
                account("52", "Installation", "Income", "51"), account("55", "Automobile", "Expense"),
                account("56", "Fuel", "Expense", "55"), account("97", "Interest Earned", "Other Income"),
                account("35", "Checking", "Bank"), account("4", "Undeposited Funds", "Other Current Asset")]
    items = [{"Id": "1", "Name": "Design", "IncomeAccountRef": {"value": "82"}},
             {"Id": "2", "Name": "Landscaping", "IncomeAccountRef": {"value": "45"}},
             {"Id": "3", "Name": "Fountain", "IncomeAccountRef": {"value": "48"}},
             {"Id": "4", "Name": "Deposit to the bank", "IncomeAccountRef": {"value": "35"}}]
    discount = {"Amount": Decimal("59.00"), "DetailType": "DiscountLineDetail",
                "DiscountLineDetail": {"DiscountAccountRef": {"value": "86"}}}
    return {
        "Account": accounts, "Item": items,
        "Invoice": [sale("130", "2026-03-04", item_line("1275.00", "1"), discount,
                         item_line("99.00", "4")),  # a line into a bank account is not income
                    sale("131", "2026-04-09", item_line("567.50", "2"), item_line("1000.00", "3"))],
        "SalesReceipt": [sale("140", "2026-03-11", item_line("50.00", "1", "52")),
                         sale("141", "2026-04-15", item_line("400.00", "1", "49"))],
        "CreditMemo": [sale("150", "2026-04-20", item_line("48.50", "3"))],
        "RefundReceipt": [sale("160", "2026-05-02", item_line("10.00", "1"))],  # after the period
        "JournalEntry": [
            {"Id": "170", "TxnDate": "2026-03-31", "Line": [journal_line("220.00", "Credit", "45"),
                                                            journal_line("220.00", "Debit", "4")]},
            {"Id": "171", "TxnDate": "2026-03-15", "Line": [journal_line("93.97", "Debit", "55"),
                                                            journal_line("115.71", "Debit", "56"),
                                                            journal_line("209.68", "Credit", "35")]},
            {"Id": "172", "TxnDate": "2026-04-30", "Line": [journal_line("300.00", "Credit", "52"),
                                                            journal_line("50.00", "Debit", "52"),
                                                            journal_line("250.00", "Debit", "4")]}],
        "Deposit": [{"Id": "180", "TxnDate": "2026-03-20", "DepositToAccountRef": {"value": "35"},
                     "Line": [deposit_line("425.00", "48"), deposit_line("10.00", "97"),
                              deposit_line("500.00", "4", linked=True)]}],  # a deposited payment: not income
    }


def profit_and_loss(server, realm: str = BOOKS, **params) -> requests.Response:
    return call(server, "GET", "reports/ProfitAndLoss", realm=realm,
                params={"start_date": "2026-03-01", "end_date": "2026-04-30", "summarize_column_by": "Month",
                        "accounting_method": "Accrual", **params})


def test_the_profit_and_loss_is_laid_out_as_the_real_nested_one(server):
    """Sales lines, a discount, a credit memo, journal-entry lines and deposit lines, into parent accounts
    and sub-accounts: the stand-in's report is the real-layout fixture, cell for cell."""
    response = profit_and_loss(server)
    assert response.status_code == 200
    ours, real = response.json(), json.loads(NESTED.read_text(encoding="utf-8"))
    assert {**ours, "Header": {**ours["Header"], "Time": None}} == {**real, "Header": {**real["Header"], "Time": None}}



SANDBOX = "9130354455000098"  # a realm holding the real sandbox sales receipts
# A real ProfitAndLoss of Intuit's sample company (Craig's Design and Landscaping Services, December 2024,
# Header.Time 2025-01-10T18:15:22-08:00; a public capture): its discount account is a leaf of the Income
# section, named and identified as here, with the discounts given as a negative amount.
REAL_DISCOUNT_ROW = {"ColData": [{"value": "Discounts given", "id": "86"}, {"value": "-59.00"}], "type": "Data"}


def sandbox_sales() -> dict[str, list[dict]]:
    """The real sandbox sales receipts (one, Id 38 of 16 February 2023, has a 10% DiscountLine of 8.75 into
    "Discounts given", Id 86) with the accounts and items they post to, named as the real report names them."""
    records = [json.loads(line, parse_float=Decimal) for line in SANDBOX_JSONL.read_text().splitlines()]
    receipts = [r["data"] for r in records if r["stream"] == "sales_receipts"]
    accounts = [account("82", "Design income", "Income"), account("45", "Landscaping Services", "Income"),
                account("54", "Pest Control Services", "Income"), account("86", "Discounts given", "Income"),
                account("4", "Undeposited Funds", "Other Current Asset"), account("35", "Checking", "Bank")]
    items = [{"Id": "4", "Name": "Design", "IncomeAccountRef": {"value": "82"}},
             {"Id": "6", "Name": "Gardening", "IncomeAccountRef": {"value": "45"}},
             {"Id": "10", "Name": "Pest Control", "IncomeAccountRef": {"value": "54"}}]
    return {"Account": accounts, "Item": items, "SalesReceipt": receipts}


def test_a_discount_posts_where_a_real_report_shows_it(server):
    """QuickBooks posts a DiscountLineDetail's Amount, negated, to its DiscountAccountRef: the stand-in's report
    of the real sandbox receipts shows "Discounts given" as the real capture does (a Data row of the Income
    section, id 86, negative), -8.75 in February 2023; Income is 87.50 - 8.75 + 140.00 + 337.50 = 556.25
    that month (receipts 38, 47, 11) and 225.00 in January (receipt 17)."""
    server.load(SANDBOX, sandbox_sales())
    report = profit_and_loss(server, realm=SANDBOX, start_date="2023-01-01", end_date="2023-02-28").json()
    check_layout(report)
    income = next(row for row in report["Rows"]["Row"] if row["group"] == "Income")
    [discount] = [row for row in income["Rows"]["Row"] if row.get("ColData", [{}])[0].get("id") == "86"]
    assert discount["type"] == REAL_DISCOUNT_ROW["type"] and discount["ColData"][0] == REAL_DISCOUNT_ROW["ColData"][0]
    assert [cell["value"] for cell in discount["ColData"][1:]] == ["", "-8.75", "-8.75"]
    assert Decimal(REAL_DISCOUNT_ROW["ColData"][1]["value"]) < 0
    assert [cell["value"] for cell in income["Summary"]["ColData"][1:]] == ["225.00", "556.25", "781.25"]


def check_layout(report: dict) -> None:
    """What a real ProfitAndLoss obeys: columns keyed, top sections grouped, every row as wide as the
    columns, a section's summary = its header's own postings + its rows, leaves and parents carry ids."""
    columns = report["Columns"]["Column"]
    keys = [{m["Name"]: m["Value"] for m in c.get("MetaData", [])} for c in columns]
    assert keys[0]["ColKey"] == "account" and keys[-1]["ColKey"] == "total"
    for meta in keys[1:-1]:
        assert meta["StartDate"][:7] == meta["EndDate"][:7] and meta["ColKey"] == columns[keys.index(meta)]["ColTitle"]
    order = ["Income", "COGS", "GrossProfit", "Expenses", "NetOperatingIncome", "OtherIncome", "OtherExpenses",
             "NetOtherIncome", "NetIncome"]
    groups = [row["group"] for row in report["Rows"]["Row"]]
    assert groups == sorted(groups, key=order.index) and {"Income", "GrossProfit", "NetIncome"} <= set(groups)

    def money(cell: dict) -> Decimal:
        return Decimal(cell["value"] or "0")

    def walk(row: dict, top: bool) -> list[Decimal]:
        assert ("group" in row) == top
        if row["type"] == "Data":
            cells = row["ColData"]
            assert len(cells) == len(columns) and cells[0]["id"]
            return [money(c) for c in cells[1:]]
        if "Header" not in row:  # summary-only: GrossProfit, NetOperatingIncome, NetOtherIncome, NetIncome
            assert top and row["group"] in ("GrossProfit", "NetOperatingIncome", "NetOtherIncome", "NetIncome")
            return []
        header, summary = row["Header"]["ColData"], row["Summary"]["ColData"]
        assert len(header) == len(summary) == len(columns) and "id" not in summary[0]
        assert ("id" in header[0]) != top and summary[0]["value"] == f"Total {header[0]['value']}"
        totals = [money(c) for c in header[1:]]
        for child in row.get("Rows", {}).get("Row", []):
            totals = [a + b for a, b in zip(totals, walk(child, False))]
        assert totals == [money(c) for c in summary[1:]], header[0]["value"]
        return totals

    for row in report["Rows"]["Row"]:
        walk(row, True)


def test_the_fixture_and_the_demo_companys_report_share_the_real_layout(server):
    check_layout(json.loads(NESTED.read_text(encoding="utf-8")))
    demo = profit_and_loss(server, realm=REALM, start_date="2026-01-01", end_date="2026-06-30")
    assert demo.status_code == 200
    check_layout(demo.json())
    totals = [r for r in demo.json()["Rows"]["Row"] if r["group"] == "Income"][0]["Summary"]["ColData"]
    assert len(totals) == 8 and Decimal(totals[-1]["value"]) > 0
    assert (date(2026, 1, 1), date(2026, 6, 30)) in server.stats.report_ranges  # for tests of window sizes


def test_the_demo_companys_cash_basis_report_shares_the_real_layout_and_differs_from_accrual(server):
    """accounting_method=Cash: the same layout, its basis in the header, and income when paid (issue 27)."""
    cash, accrual = (profit_and_loss(server, realm=REALM, start_date="2026-01-01", end_date="2026-06-30",
                                     accounting_method=method).json() for method in ("Cash", "Accrual"))
    check_layout(cash)
    assert (cash["Header"]["ReportBasis"], accrual["Header"]["ReportBasis"]) == ("Cash", "Accrual")
    income = [[r for r in report["Rows"]["Row"] if r["group"] == "Income"][0]["Summary"]["ColData"]
              for report in (cash, accrual)]
    assert income[0] != income[1]


def test_an_empty_period_has_the_recorded_empty_report_layout(server):
    recorded = cassette_bodies("reports/profit_and_loss.yml")[0]
    ours = profit_and_loss(server, start_date="2020-01-01", end_date="2020-01-31", summarize_column_by="Total").json()
    assert [r["group"] for r in ours["Rows"]["Row"]] == [r["group"] for r in recorded["Rows"]["Row"]]
    assert [set(r) for r in ours["Rows"]["Row"]] == [set(r) for r in recorded["Rows"]["Row"]]
    assert ours["Columns"] == {"Column": [{**c, "ColTitle": c["ColTitle"].title()} for c in recorded["Columns"]["Column"]]}
    assert ours["Header"]["Option"] == recorded["Header"]["Option"]


def test_a_profit_and_loss_the_stand_in_cannot_compute_is_refused_not_guessed(server):
    assert profit_and_loss(server, accounting_method="Modified Cash").status_code == 400
    assert profit_and_loss(server, summarize_column_by="Customers").status_code == 400
    assert profit_and_loss(server, start_date="2026-05-01", end_date="2026-04-30").status_code == 400
    assert profit_and_loss(server, start_date="March").status_code == 400
