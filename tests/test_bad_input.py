"""Bad input gets an error naming the file and record or line; nothing stored is lost."""
from __future__ import annotations

from decimal import Decimal

import pytest

from tests.builders import invoice, item_line
from tests.helpers import checksums, cli, copied_warehouse, query, write_json



@pytest.fixture(scope="module")
def seeded_once(tmp_path_factory):
    db = tmp_path_factory.mktemp("seeded") / "wh" / "warehouse.duckdb"
    good = write_json(db.parent.parent / "good.json", {"Invoice": [invoice("1", [item_line("100.00")])]})
    assert cli("load", good, "--db", db) == 0
    return db


@pytest.fixture
def seeded(seeded_once, tmp_path):
    """A warehouse of the test's own holding one good invoice, loaded and built once for the module."""
    return copied_warehouse(seeded_once, tmp_path / "wh")


BAD_FILES = {
    "unreadable.json": ('{"Invoice": [ {"Id": "2", ', "unreadable.json: line 1 column"),
    "lines.jsonl": ('{"stream": "invoices", "data": {"Id": "3"}}\n{not json}\n', "lines.jsonl: line 2 column 2: unreadable JSON"),
    "unknown.json": ('{"Invoicez": [{"Id": "4"}]}', "unknown.json: Invoicez record 1: 'Invoicez' is not a QuickBooks entity name"),
    "fault.json": ('{"Fault": {"Error": [{"Message": "Invalid query", "code": "4001"}], "type": "ValidationFault"}}',
                   "fault.json: this is a QuickBooks error response, not data: code 4001: Invalid query"),
}


@pytest.mark.parametrize("name", BAD_FILES)
def test_unreadable_or_foreign_input_is_named_and_stores_nothing(seeded, tmp_path, capsys, name):
    content, message = BAD_FILES[name]
    path = tmp_path / name
    path.write_text(content)
    before = checksums(seeded)
    assert cli("load", path, "--db", seeded) == 1
    err = capsys.readouterr().err
    assert message in err
    assert "nothing from this file was stored" in err
    assert checksums(seeded) == before


def test_record_without_id_is_named(seeded, tmp_path, capsys):
    record = invoice("5", [item_line("10.00")])
    del record["Id"]
    path = write_json(tmp_path / "noid.json", {"QueryResponse": {"Invoice": [invoice("6", [item_line("1.00")]), record]}})
    assert cli("load", path, "--db", seeded) == 1
    assert "noid.json: Invoice record 2: Invoice has no Id" in capsys.readouterr().err


@pytest.mark.parametrize("where, value, message", [
    ("TotalAmt", "12.x", "(Invoice Id 8): TotalAmt is \"12.x\", which is not an amount"),
    ("line", "abc", "(Invoice Id 8) Line 1: Amount is \"abc\", which is not an amount"),
    ("TotalAmt", True, "TotalAmt is true, which is not an amount"),
])
def test_amount_that_is_not_a_number_is_named(seeded, tmp_path, capsys, where, value, message):
    record = invoice("8", [item_line("10.00")])
    if where == "TotalAmt":
        record["TotalAmt"] = value
    else:
        record["Line"][0]["Amount"] = value
    path = write_json(tmp_path / "amount.json", {"Invoice": [record]})
    before = checksums(seeded)
    assert cli("load", path, "--db", seeded) == 1
    assert message in capsys.readouterr().err
    assert checksums(seeded) == before


def test_good_files_still_load_and_exit_code_reports_the_bad_one(seeded, tmp_path, capsys):
    bad = tmp_path / "bad.json"
    bad.write_text("{oops")
    good = write_json(tmp_path / "more.json", {"Invoice": [invoice("20", [item_line("40.00")])]})
    assert cli("load", bad, good, tmp_path / "missing.json", "--db", seeded) == 1
    err = capsys.readouterr().err
    assert "bad.json: line 1 column 2: unreadable JSON" in err
    assert "missing.json: no such file" in err
    assert query(seeded, "select sum(amount) from marts.fct_revenue_lines") == [(Decimal("140.00"),)]


def test_skip_bad_records_keeps_the_good_ones_and_still_fails(seeded, tmp_path, capsys):
    record = invoice("31", [item_line("10.00")])
    record["TotalAmt"] = "n/a"
    path = write_json(tmp_path / "mixed.json", {"Invoice": [invoice("30", [item_line("5.00")]), record]})
    assert cli("load", path, "--skip-bad-records", "--db", seeded) == 1
    assert "TotalAmt is \"n/a\"" in capsys.readouterr().err
    assert query(seeded, "select list_sort(list(distinct document_id)) from marts.fct_revenue_lines") == [(["1", "30"],)]


def test_a_build_that_fails_leaves_the_published_snapshot(seeded, capsys):
    rules = seeded.with_name("categories.toml")
    rules.write_text('[items]\n"Services" = "labour"\n')
    assert cli("build", "--db", seeded) == 1
    assert "'labour' is not a category; use one of labor_msa, labor_hourly, hardware" in capsys.readouterr().err
    assert query(seeded, "select sum(amount) from marts.fct_revenue_lines") == [(Decimal("100.00"),)]


# Values that pass a JSON parser but not the types the models cast to: each used to be stored and
# then stop every later build with a database error naming neither file nor record.
ATTACKS = {
    "impossible day": ("TxnDate", "2026-02-30", "TxnDate is \"2026-02-30\", which is not a date written YYYY-MM-DD"),
    "day first": ("DueDate", "31/12/2026", "DueDate is \"31/12/2026\", which is not a date written YYYY-MM-DD"),
    "beyond DECIMAL(18,2)": ("TotalAmt", Decimal("1E+20"), "TotalAmt is 1E+20, which is not an amount"),
    "garbage time": ("MetaData.CreateTime", "yesterday-ish", "MetaData.CreateTime is \"yesterday-ish\", which is not "
                     "an ISO 8601 date and time"),
    "SyncToken over int32": ("SyncToken", "99999999999", "SyncToken '99999999999' is out of range"),
    "service date": ("Line.0.SalesItemLineDetail.ServiceDate", "soon",
                     "Line 1: SalesItemLineDetail.ServiceDate is \"soon\", which is not a date"),
    "boolean": ("PrintStatusX", None, None),  # a field the models do not read is never refused
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_a_value_the_models_cannot_read_is_refused_at_load(seeded, tmp_path, capsys, attack):
    path, value, message = ATTACKS[attack]
    record = invoice("9", [item_line("10.00")])
    target, *keys = path.split(".")
    if target == "Line":
        holder = record["Line"][int(keys[0])]
        for key in keys[1:-1]:
            holder = holder[key]
        holder[keys[-1]] = value
    elif keys:
        record[target][keys[0]] = value
    else:
        record[target] = value
    before = checksums(seeded)
    good = invoice("10", [item_line("5.00")])
    file = write_json(tmp_path / "attack.json", {"QueryResponse": {"Invoice": [good, record]}})
    if message is None:
        assert cli("load", file, "--db", seeded) == 0
        return
    assert cli("load", file, "--db", seeded) == 1
    assert message in capsys.readouterr().err
    assert checksums(seeded) == before  # nothing of the file stored, nothing already stored changed
    # the good record stored (the build is the next command's: the load's own exit code is 1 for the bad record)
    assert cli("load", file, "--db", seeded, "--skip-bad-records", "--no-build") == 1
    assert cli("build", "--db", seeded) == 0  # and every later build still works
    assert query(seeded, "select list_sort(list(distinct document_id)) from marts.fct_revenue_lines") == [(["1", "10"],)]


def test_json_nested_deeper_than_any_quickbooks_response_is_refused(seeded, tmp_path, capsys):
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    assert cli("load", path, "--db", seeded) == 1
    assert "nested more deeply than any QuickBooks response" in capsys.readouterr().err
