"""The local QuickBooks-compatible server answers in the shapes of the recorded real exchanges."""
from __future__ import annotations

import json

import pytest
import requests

from ingest.records import parse_json
from tests.recorded import cassette_bodies
from tests.qbo_helpers import REALM, start_server


def shape(value, depth: int = 3):
    """The keys and kinds of a JSON value, a few levels down (lists by their first element)."""
    if depth == 0:
        return type(value).__name__
    if isinstance(value, dict):
        return {k: shape(v, depth - 1) for k, v in value.items()}
    if isinstance(value, list):
        return [shape(value[0], depth - 1)] if value else []
    return "number" if isinstance(value, (int, float)) or type(value).__name__ == "Decimal" else type(value).__name__


@pytest.fixture(scope="module")
def server():
    qbo = start_server(clients=5, years=1)
    yield qbo
    qbo.stop()


def call(server, method: str, path: str, token: str | None = None, **kwargs) -> requests.Response:
    token = token or server.issue_tokens(REALM)["access_token"]
    return requests.request(method, f"{server.api_url}/company/{REALM}/{path}",
                            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
                            timeout=10, **kwargs)


def test_query_pages_look_like_the_recorded_ones(server):
    recorded = cassette_bodies("all/customers.yml")[1]  # SELECT * FROM Customer MAXRESULTS 1000 STARTPOSITION 1
    ours = parse_json(call(server, "POST", "query", data="SELECT * FROM Customer STARTPOSITION 1 MAXRESULTS 1000").text)
    assert set(ours) == set(recorded) == {"QueryResponse", "time"}
    assert set(ours["QueryResponse"]) == set(recorded["QueryResponse"]) == {"Customer", "startPosition", "maxResults"}
    count = parse_json(call(server, "POST", "query", data="SELECT COUNT(*) FROM Customer").text)
    assert shape(count) == shape(json.loads(json.dumps(cassette_bodies("all/customers.yml")[0])))
    empty = parse_json(call(server, "POST", "query", data="SELECT * FROM Customer STARTPOSITION 900 MAXRESULTS 5").text)
    assert empty["QueryResponse"] == cassette_bodies("all/alt_select.yml")[-1]["QueryResponse"] == {}


def test_change_data_capture_looks_like_the_recorded_one(server):
    recorded = cassette_bodies("cdc/basic.yml")[0]
    company = server.company(REALM)
    record = company.upsert("Invoice", next(iter(company.records["Invoice"].values())))
    since = record["MetaData"]["LastUpdatedTime"]
    ours = parse_json(call(server, "GET", "cdc", params={"entities": "Invoice", "changedSince": since}).text)
    assert set(ours) == set(recorded)
    block = ours["CDCResponse"][0]["QueryResponse"][0]
    assert set(block) == set(recorded["CDCResponse"][0]["QueryResponse"][0]) - {"Estimate"} | {"Invoice"}


def test_an_expired_token_gets_the_recorded_401_body(server):
    recorded = cassette_bodies("error/401.yml")[0]
    response = call(server, "GET", "cdc", token="at-expired", params={"entities": "Invoice", "changedSince": "2026-11-01"})
    assert response.status_code == 401
    ours = response.json()
    assert set(ours["fault"]) == set(recorded["fault"])  # lowercase keys, as Intuit sends them
    assert set(ours["fault"]["error"][0]) == set(recorded["fault"]["error"][0])
    assert ours["fault"]["error"][0]["code"] == recorded["fault"]["error"][0]["code"] == "3200"


def test_a_bad_query_gets_a_validation_fault(server):
    recorded = cassette_bodies("error/400.yml")[1]
    response = call(server, "POST", "query", data="SELECT * FROM")
    assert response.status_code == 400
    ours = response.json()
    assert set(ours["Fault"]) == set(recorded["Fault"]) and ours["Fault"]["type"] == recorded["Fault"]["type"]
    assert set(ours["Fault"]["Error"][0]) >= {"Message", "Detail", "code"}
