"""The stand-in's index by LastUpdatedTime answers change data capture and changed-since queries exactly as a scan of
every record does (the same records, order, 1,000-object cut and refusals), whatever way the records changed."""
from __future__ import annotations

import copy
from collections import defaultdict
from datetime import date, timedelta

import pytest

from ingest.demo.company import generate
from tests.qbo_helpers import REALM, stand_in
from tests.stand_in.quickbooks import ENTITIES, NOT_IN_CDC, QueryError, Records, _stamp

CDC_ENTITIES = ",".join(sorted(ENTITIES - NOT_IN_CDC))


@pytest.fixture(scope="module")
def server():
    qbo = stand_in(None, False)
    qbo.load(REALM, generate(clients=8, years=1, until=date(2026, 11, 22)).documents[0]["QueryResponse"])
    return qbo


def scanned(server, ask):
    """What `ask()` answers when every entity's records are a plain dict: the stand-in scans them all."""
    company = server.company(REALM)
    indexed = company.records
    company.records = defaultdict(dict, {entity: dict(records) for entity, records in indexed.items()})
    try:
        return answer(ask)
    finally:
        company.records = indexed


def answer(ask):
    """An answer without its envelope's time (the clock moves between two asks), or the refusal it raised."""
    try:
        payload = ask()
    except (QueryError, ValueError, KeyError) as err:
        return type(err).__name__, str(err)
    return {key: value for key, value in payload.items() if key != "time"}


def asks(server, since):
    moment = _stamp(since)
    return [lambda: server.cdc(REALM, CDC_ENTITIES, moment),
            lambda: server.cdc(REALM, "Invoice,Payment,Customer", moment),
            lambda: server.query(REALM, f"SELECT * FROM TimeActivity WHERE MetaData.LastUpdatedTime >= '{moment}' "
                                        "ORDERBY Id STARTPOSITION 1 MAXRESULTS 1000"),
            lambda: server.query(REALM, f"SELECT * FROM Invoice WHERE MetaData.LastUpdatedTime > '{moment}' "
                                        "AND TxnDate >= '2026-06-01' ORDERBY TxnDate STARTPOSITION 3 MAXRESULTS 40"),
            lambda: server.query(REALM, f"SELECT COUNT(*) FROM Customer WHERE MetaData.LastUpdatedTime >= '{moment}'"),
            lambda: server.query(REALM, "SELECT * FROM Customer WHERE MetaData.LastUpdatedTime >= "
                                        f"'{moment}' AND Active IN (true,false)"),
            lambda: server.query(REALM, "SELECT * FROM Invoice WHERE MetaData.LastUpdatedTime >= "
                                        "'2026-13-40T00:00:00-08:00'")]


def same_as_a_scan(server, since) -> None:
    for ask in asks(server, since):
        assert answer(ask) == scanned(server, ask)


def test_the_index_answers_as_a_scan_whatever_way_the_records_changed(server):
    company = server.company(REALM)
    started = server.clock() - timedelta(seconds=1)
    same_as_a_scan(server, started)
    invoices, customers = company.records["Invoice"], company.records["Customer"]
    ids = sorted(invoices, key=int)
    for record_id in ids:
        company.upsert("Invoice", {**invoices[record_id], "PrivateNote": "edited"})
    for number in range(1100):  # more than change data capture's 1,000 objects, most of them in one second
        company.upsert("Invoice", {**invoices[ids[number % len(ids)]], "Id": str(50000 + number)})
    for record_id in sorted(company.records["TimeActivity"], key=int)[:30]:
        company.upsert("TimeActivity", company.records["TimeActivity"][record_id])
    company.void("Invoice", ids[1])
    company.delete("Invoice", ids[2])                       # a delete change data capture reports
    del invoices[ids[3]]                                    # gone without a trace
    gone = invoices.pop(ids[4])
    invoices[ids[4]] = {**gone, "MetaData": {**gone["MetaData"], "LastUpdatedTime": _stamp(server.clock())}}  # put back: last
    edited = copy.deepcopy(invoices[ids[5]])                # put in place: keeps its position
    edited["MetaData"]["LastUpdatedTime"] = _stamp(server.clock() + timedelta(seconds=5))
    invoices[ids[5]] = edited
    customer = next(iter(customers))
    customers.update({customer: {**customers[customer], "Active": False,
                                 "MetaData": {"LastUpdatedTime": _stamp(server.clock())}}})
    customers.setdefault("90001", {"Id": "90001", "DisplayName": "New", "Active": True,
                                   "MetaData": {"LastUpdatedTime": _stamp(server.clock())}})
    for since in (started, started + timedelta(seconds=2), server.clock() - timedelta(days=29),
                  server.clock() + timedelta(seconds=4)):
        same_as_a_scan(server, since)
    found = answer(asks(server, started)[0])["CDCResponse"][0]["QueryResponse"]
    assert sum(len(r[entity]) for r in found for entity in r if entity in ENTITIES) == 1000  # the cut, reached
    assert all(records.since(entity, started) is not None for entity, records in company.records.items())  # indexed

    # a record whose LastUpdatedTime is no date-time: the index steps aside and the scan refuses as it did
    odd = {**invoices[ids[6]], "MetaData": {"LastUpdatedTime": "yesterday"}}
    invoices[ids[6]] = odd
    assert invoices.since("Invoice", started) is None
    same_as_a_scan(server, started)
    invoices[ids[6]] = {**odd, "MetaData": {"LastUpdatedTime": _stamp(server.clock())}}
    assert invoices.since("Invoice", started) is not None
    same_as_a_scan(server, started)
    invoices.clear()
    same_as_a_scan(server, started)


def test_records_keep_a_dicts_order_and_answers():
    records = Records({"1": {"Id": "1"}, "2": {"Id": "2"}})
    records["3"] = {"Id": "3"}
    records["1"] = {"Id": "1", "edited": True}
    del records["2"]
    records["2"] = {"Id": "2"}
    assert list(records) == ["1", "3", "2"] and records["1"]["edited"]
    assert records.popitem() == ("2", {"Id": "2"}) and records.pop("9", None) is None
    with pytest.raises(KeyError):
        records.pop("9")
    records |= {"4": {"Id": "4"}}
    assert list(records) == ["1", "3", "4"]
