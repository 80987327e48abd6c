"""The recorded void and delete exchanges (tests/fixtures/qbo-cassettes) leave no revenue behind."""
from __future__ import annotations

from decimal import Decimal

import pytest

from tests.helpers import cli, query, write_json
from tests.recorded import cassette_bodies

REVENUE = "select coalesce(sum(amount), 0) from marts.fct_revenue_lines where document_id = ?"


@pytest.mark.parametrize("order", ["recorded", "reversed"])
def test_voided_invoice_contributes_nothing(db, tmp_path, order):
    before, after = cassette_bodies("void/invoice.yml")
    files = [write_json(tmp_path / "before.json", before), write_json(tmp_path / "after.json", after)]
    assert cli("load", files[0], "--db", db) == 0
    assert query(db, REVENUE, ["264"]) == [(Decimal("100.00"),)]
    for path in files if order == "recorded" else reversed(files):
        assert cli("load", path, "--db", db) == 0
    assert query(db, REVENUE, ["264"]) == [(Decimal("0"),)]
    assert query(db, "select is_voided from intermediate.int_sales_documents where document_id = '264'") == [(True,)]
    assert query(db, "select count(*) from marts.fct_revenue_lines where document_id = '264'") == [(0,)]


@pytest.mark.parametrize("order", ["recorded", "reversed"])
def test_deleted_invoice_is_gone(db, tmp_path, order):
    before, deleted = cassette_bodies("delete/invoice.yml")
    assert deleted["Invoice"]["status"] == "Deleted"
    files = [write_json(tmp_path / "before.json", before), write_json(tmp_path / "deleted.json", deleted)]
    for path in files if order == "recorded" else reversed(files):
        assert cli("load", path, "--db", db) == 0
    assert query(db, REVENUE, ["266"]) == [(Decimal("0"),)]
    assert query(db, "select count(*) from intermediate.int_sales_documents where document_id = '266'") == [(0,)]


def test_change_data_capture_response_loads(db, tmp_path):
    (cdc,) = cassette_bodies("cdc/basic.yml")
    path = write_json(tmp_path / "cdc.json", cdc)
    assert cli("load", path, "--db", db) == 0  # estimates only: skipped, nothing fails
