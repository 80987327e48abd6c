"""The recorded void and delete exchanges (tests/fixtures/qbo-cassettes) leave no revenue behind."""
from __future__ import annotations

from decimal import Decimal

import pytest

from tests.helpers import cli, copied_warehouse, query, write_json
from tests.recorded import cassette_bodies

REVENUE = "select coalesce(sum(amount), 0) from marts.fct_revenue_lines where document_id = ?"


@pytest.fixture(scope="module")
def recorded_files(tmp_path_factory) -> dict[str, list]:
    """Each cassette's responses as files, in the order they were recorded."""
    folder = tmp_path_factory.mktemp("cassettes")
    assert cassette_bodies("delete/invoice.yml")[1]["Invoice"]["status"] == "Deleted"
    return {cassette: [write_json(folder / f"{cassette.replace('/', '-')}-{n}.json", body)
                       for n, body in enumerate(cassette_bodies(f"{cassette}.yml"))]
            for cassette in ("void/invoice", "delete/invoice")}


@pytest.fixture(scope="module")
def invoice_built(tmp_path_factory, recorded_files):
    """invoice_built(cassette): a warehouse of the test's own that loaded the cassette's first response (the invoice
    before its void or delete) and built, copied from one loaded once for the module; what comes next is then
    built from it, as the next load after a build is."""
    built = {}

    def copy(cassette: str, folder):
        if cassette not in built:
            db = tmp_path_factory.mktemp("invoice-built") / "wh" / "w.duckdb"
            assert cli("load", recorded_files[cassette][0], "--db", db) == 0
            built[cassette] = db
        return copied_warehouse(built[cassette], folder / "wh")

    return copy


def load_in_turn(db, files) -> None:
    """Each file by a load of its own, in turn; only the last one builds (a re-load builds nothing new)."""
    for path in files[:-1]:
        assert cli("load", path, "--db", db, "--no-build") == 0
    assert cli("load", files[-1], "--db", db) == 0


@pytest.mark.parametrize("order", ["recorded", "reversed"])
def test_voided_invoice_contributes_nothing(invoice_built, recorded_files, tmp_path, order):
    files = recorded_files["void/invoice"]
    db = invoice_built("void/invoice", tmp_path)
    assert query(db, REVENUE, ["264"]) == [(Decimal("100.00"),)]
    load_in_turn(db, files if order == "recorded" else files[::-1])
    assert query(db, REVENUE, ["264"]) == [(Decimal("0"),)]
    assert query(db, "select is_voided from intermediate.int_sales_documents where document_id = '264'") == [(True,)]
    assert query(db, "select count(*) from marts.fct_revenue_lines where document_id = '264'") == [(0,)]


def test_deleted_invoice_is_gone_after_it_was_built(invoice_built, recorded_files, tmp_path):
    deleted = recorded_files["delete/invoice"][1]
    db = invoice_built("delete/invoice", tmp_path)
    assert query(db, REVENUE, ["266"]) != [(Decimal("0"),)]
    assert cli("load", deleted, "--db", db) == 0
    assert query(db, REVENUE, ["266"]) == [(Decimal("0"),)]
    assert query(db, "select count(*) from intermediate.int_sales_documents where document_id = '266'") == [(0,)]


def test_deleted_invoice_is_gone_when_the_delete_arrives_first(db, recorded_files):
    before, deleted = recorded_files["delete/invoice"]
    load_in_turn(db, [deleted, before])
    assert query(db, REVENUE, ["266"]) == [(Decimal("0"),)]
    assert query(db, "select count(*) from intermediate.int_sales_documents where document_id = '266'") == [(0,)]


def test_change_data_capture_response_loads(db, tmp_path):
    (cdc,) = cassette_bodies("cdc/basic.yml")
    path = write_json(tmp_path / "cdc.json", cdc)
    assert cli("load", path, "--db", db) == 0  # estimates only: skipped, nothing fails
