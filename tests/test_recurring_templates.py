"""QuickBooks' recurring templates (RecurringTransaction), the committed billing the forecast (issue 28) and the
payment behaviour (issue 27) read: loaded and synced in Intuit's real shape, a template wrapped under its
transaction's type, with its deletes and bad records; staged per template and per line; the demo has them."""
from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from ingest.qbo.run import run_sync
from tests.helpers import UNTIL, cli, query, work_query, write_json
from tests.qbo_helpers import FAST, REALM, connected, raw, start_server
from tests.recorded import FIXTURES
from tests.server import free_port
from tests.stand_in.quickbooks import QueryError

pytestmark = pytest.mark.long  # two syncs and a build: handed to a worker first

SAMPLES = FIXTURES / "qbo-recurring"
QUERY_ANSWER = SAMPLES / "query_response.json"  # Intuit's: an Invoice template and two Bill templates
DELETE_ANSWER = SAMPLES / "delete_response.json"  # Intuit's: template 1483 deleted


def _sample() -> dict:
    return json.loads(QUERY_ANSWER.read_text(encoding="utf-8"))


def _templates(document: dict) -> list[dict]:
    return document["QueryResponse"]["RecurringTransaction"]


def test_intuits_sample_templates_load_and_stage_exactly(db, capsys):
    """Hand-read from Intuit's sample: template 1537 invoices customer 401 11,111.00 on the 1st of every month
    (next 2020-08-01, never billed yet); 20 and 23 are bills of 74.36 and 900.00 on the same schedule."""
    assert cli("load", QUERY_ANSWER, "--db", db) == 0
    assert "RecurringTransaction 3 (3 new" in capsys.readouterr().err
    stored = raw(db, "select id, deleted, payload from raw.recurring_transactions order by id")
    assert [(i, d) for i, d, _ in stored] == [("1537", False), ("20", False), ("23", False)]
    # kept as QuickBooks sends it, the wrapper too, numbers as their exact text
    assert json.loads(stored[0][2])["Invoice"]["TotalAmt"] == "11111.0"
    assert work_query(db, "select template_id, template_type, template_name, recur_type, is_active, customer_id, "
                      "vendor_id, interval_type, every_n, day_of_month, next_date, previous_date, total_amount, "
                      "currency from staging.stg_qbo__recurring_templates order by template_id") == [
        ("1537", "Invoice", "Testing", "Automated", True, "401", None, "Monthly", 1, 1, date(2020, 8, 1), None,
         D("11111.00"), "USD"),
        ("20", "Bill", "Telephone Bill", "Automated", True, None, "32", "Monthly", 1, 1, date(2020, 8, 1),
         date(2020, 7, 1), D("74.36"), "USD"),
        ("23", "Bill", "Monthly Building Lease", "Automated", True, None, "40", "Monthly", 1, 1, date(2020, 8, 1),
         date(2020, 7, 1), D("900.00"), "USD"),
    ]
    assert work_query(db, "select template_id, line_index, detail_type, item_id, account_id, amount "
                      "from staging.stg_qbo__recurring_template_lines order by template_id, line_index") == [
        ("1537", 1, "SalesItemLineDetail", "211", None, D("11111.00")),
        ("1537", 2, "SubTotalLineDetail", None, None, D("11111.00")),
        ("20", 1, "AccountBasedExpenseLineDetail", None, "77", D("74.36")),
        ("23", 1, "AccountBasedExpenseLineDetail", None, "17", D("900.00")),
    ]
    # the mart names the customer as the template does when the customers are not loaded
    assert query(db, "select template_id, customer, client_id, sign from marts.fct_recurring_templates "
                 "where template_type = 'Invoice'") == [("1537", "0c9ff29a3c3640cdaf7a", None, 1)]


@pytest.mark.parametrize("stub", ["delete operation", "bare"])
def test_a_deleted_template_is_gone_from_staging(db, tmp_path, stub):
    """Intuit's delete operation answers the stub wrapped ({"status": "Deleted", "Invoice": {"Id": "1483"}}, no
    MetaData: it takes the answer's time); change data capture's stubs of other entities are bare."""
    sample = _sample()
    template = copy.deepcopy(_templates(sample)[0])
    template["Invoice"]["Id"] = "1483"
    _templates(sample).append(template)
    assert cli("load", write_json(tmp_path / "templates.json", sample), "--db", db, "--no-build") == 0
    deleted = DELETE_ANSWER if stub != "bare" else write_json(tmp_path / "stub.json", {"CDCResponse": [{
        "QueryResponse": [{"RecurringTransaction": [{"domain": "QBO", "status": "Deleted", "Id": "1483",
                                                     "MetaData": {"LastUpdatedTime": "2020-08-13T17:40:08-07:00"}}]}]}],
        "time": "2020-08-13T17:40:09.000-07:00"})
    assert cli("load", deleted, "--db", db) == 0
    assert raw(db, "select deleted from raw.recurring_transactions where id = '1483'") == [(True,)]
    assert [i for (i,) in work_query(db, "select template_id from staging.stg_qbo__recurring_templates "
                                     "order by 1")] == ["1537", "20", "23"]
    assert work_query(db, "select count(*) from staging.stg_qbo__recurring_template_lines "
                      "where template_id = '1483'") == [(0,)]


@pytest.mark.parametrize(("change", "named"), [
    (lambda t: t.update({"Widget": t.pop("Invoice")}), "wraps its template's transaction under"),
    (lambda t: t.update({"Bill": copy.deepcopy(t["Invoice"])}), "exactly one; objects found: Bill, Invoice"),
    (lambda t: t["Invoice"]["RecurringInfo"]["ScheduleInfo"].update({"NextDate": "08/01/2020"}),
     "RecurringInfo.ScheduleInfo.NextDate"),
    (lambda t: t["Invoice"]["RecurringInfo"]["ScheduleInfo"].update({"NumInterval": D("1.5")}),
     "RecurringInfo.ScheduleInfo.NumInterval is 1.5, which is not a whole number"),
    (lambda t: t["Invoice"]["Line"][0].update({"Amount": "a lot"}), "Line 1: Amount"),
])
def test_a_template_the_models_cannot_read_is_refused_by_name(db, tmp_path, capsys, change, named):
    sample = _sample()
    change(_templates(sample)[0])
    path = write_json(tmp_path / "bad.json", sample)
    assert cli("load", path, "--db", db, "--no-build") == 1
    err = capsys.readouterr().err
    assert str(path) in err and "RecurringTransaction record 1" in err and named in err
    assert raw(db, "select count(*) from raw.recurring_transactions") == [(0,)]


@pytest.fixture
def server():
    qbo = start_server(clients=6, years=1)
    yield qbo
    qbo.stop()


def test_templates_sync_full_then_by_change_data_capture_with_edits_deletes_and_a_held_one(
        db, server, monkeypatch, capsys):
    company = server.company(REALM)
    served = company.records["RecurringTransaction"]
    assert len(served) >= 3
    connected(db, server, free_port(), monkeypatch)
    result = run_sync(db, None, full=True, policy=FAST)
    assert not result.failed
    assert {i for (i,) in raw(db, "select id from raw.recurring_transactions where not deleted")} == set(served)

    paused, gone, broken, *_ = sorted(served, key=int)
    kind = next(iter(served[paused]))
    template = copy.deepcopy(served[paused][kind])
    template["RecurringInfo"]["Active"] = False  # paused in QuickBooks
    company.upsert("RecurringTransaction", {kind: template})
    company.delete("RecurringTransaction", gone)
    bad = copy.deepcopy(served[broken])
    bad[next(iter(bad))]["RecurringInfo"]["ScheduleInfo"]["DayOfMonth"] = "first"
    company.upsert("RecurringTransaction", bad)
    result = run_sync(db, None, full=False, policy=FAST)
    assert result.mode == "incremental" and not result.failed
    assert result.deleted == {"RecurringTransaction": 1} and result.held == 1
    assert raw(db, "select deleted from raw.recurring_transactions where id = ?", [gone]) == [(True,)]
    assert raw(db, "select entity, id from raw.quarantine") == [("RecurringTransaction", broken)]
    assert "DayOfMonth" in raw(db, "select reason from raw.quarantine")[0][0]

    capsys.readouterr()
    assert cli("build", "--db", db) == 0
    rows = dict(query(db, "select template_id, is_active from marts.fct_recurring_templates"))
    assert rows[paused] is False and gone not in rows
    assert broken in rows  # its last readable version stays until QuickBooks sends a readable one
    assert query(db, "select entity, record_id from marts.mart_held_records") == [("RecurringTransaction", broken)]

    # a full sync finds the delete again by Ids, and takes no held template for deleted
    result = run_sync(db, None, full=True, policy=FAST)
    assert result.deleted.get("RecurringTransaction", 0) == 0 and result.held == 1


@pytest.mark.parametrize(("text", "refused"), [
    ("SELECT * FROM RecurringTransaction WHERE RecurringInfo.Active = true", "RecurringInfo.Active"),
    ("SELECT * FROM RecurringTransaction WHERE TxnDate > '2026-01-01'", "TxnDate"),
    ("SELECT * FROM RecurringTransaction ORDERBY MetaData.LastUpdatedTime", "not sortable"),
])
def test_the_stand_in_refuses_what_intuits_reference_does_not_let_a_template_query_do(server, text, refused):
    with pytest.raises(QueryError, match=refused.replace(".", r"\.")):
        server.query(REALM, text)


def test_the_stand_in_serves_templates_as_intuit_does(server):
    """The filters and order Intuit's reference allows (Id, Type; Id), and a wrapper as its sample has."""
    served = list(server.company(REALM).records["RecurringTransaction"].values())
    kind = next(iter(served[0]))
    answer = server.query(REALM, f"SELECT * FROM RecurringTransaction WHERE Type = '{kind}' ORDERBY Id")
    found = answer["QueryResponse"]["RecurringTransaction"]
    assert len(found) == sum(1 for t in served if kind in t) and all(list(t) == [kind] for t in found)
    assert {"RecurringInfo", "Id", "MetaData", "SyncToken", "Line"} <= set(found[0][kind])
    first = found[0][kind]["Id"]
    assert server.query(REALM, f"SELECT COUNT(*) FROM RecurringTransaction WHERE Id IN ('{first}')") \
        ["QueryResponse"]["totalCount"] == 1


def test_the_demo_company_bills_its_agreements_by_templates(demo_db: Path):
    """Every client under agreement in the last month has a template billing its agreement: monthly for those
    paying by card (sales receipts) or from credit (invoices), quarterly for those prepaying each quarter by
    check; one client that left keeps its template paused, and one template ends."""
    rows = query(demo_db, "select template_type, every_n, is_active, end_date is not null, client_id, "
                 "next_date, total_amount from marts.fct_recurring_templates")
    assert {(kind, every) for kind, every, *_ in rows} == {("SalesReceipt", 1), ("Invoice", 1), ("Invoice", 3)}
    assert sum(1 for r in rows if not r[2]) == 1 and sum(1 for r in rows if r[3]) == 1
    assert all(r[4] is not None and r[6] > 0 for r in rows)
    last_month = date.fromisoformat(UNTIL).replace(day=1)
    under_agreement = {c for (c,) in query(demo_db, "select client_id from marts.fct_mrr_lines where month = ? "
                                                    "group by 1 having sum(amount) > 0", [last_month])}
    assert {r[4] for r in rows if r[2]} == under_agreement
    assert all(r[5] > last_month for r in rows if r[2])
