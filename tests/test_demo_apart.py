"""The demo company never mixes with a real one, and printouts carry the company's own name."""
from __future__ import annotations

from models.settings import settings
from models.figures.companies import company_names, printed_name
from tests.builders import invoice, item_line
from tests.helpers import checksums, cli, query, snapshot, write_json

REAL = "9130355377000000"


def real_books(tmp_path, with_name=True):
    entities = {"Invoice": [invoice("1", [item_line("150.00")])]}
    if with_name:
        entities["CompanyInfo"] = [{"Id": "1", "CompanyName": "Bayside Computer Care",
                                    "MetaData": {"LastUpdatedTime": "2026-03-01T00:00:00Z"}}]
    return write_json(tmp_path / "books.json", entities)


def test_real_data_replaces_the_demo(demo_copy, tmp_path, capsys):
    db = demo_copy(3, 1)
    assert "demo" in settings.load(settings.settings_path(db)).devices
    capsys.readouterr()
    assert cli("load", real_books(tmp_path), "--db", db, "--realm", REAL) == 0
    assert "the demo company was removed" in capsys.readouterr().err
    assert query(db, "select distinct realm_id from marts.fct_revenue_lines") == [(REAL,)]
    assert "demo" not in settings.load(settings.settings_path(db)).devices


def test_the_demo_refuses_a_warehouse_with_a_real_company(db, tmp_path, capsys):
    assert cli("load", real_books(tmp_path), "--db", db, "--realm", REAL) == 0
    before = checksums(db)
    assert cli("demo", "--db", db, "--clients", "3", "--years", "1") == 1
    err = capsys.readouterr().err
    assert f"holds QuickBooks company {REAL}" in err and "--db data/demo/warehouse.duckdb" in err
    assert checksums(db) == before
    files = tmp_path / "demo-files"  # the demo as files only opens no warehouse: it may be written beside any
    assert cli("demo", "--db", db, "--clients", "3", "--years", "1", "--out", files, "--files-only") == 0
    assert sorted(p.name for p in files.iterdir()) == ["cdc.json", "devices.csv", "query.json"] and checksums(db) == before


def test_printouts_carry_the_companys_own_name(demo_copy, tmp_path):
    db = demo_copy(3, 1)
    owner = settings.load(settings.settings_path(db))
    con = snapshot(db)
    try:
        assert printed_name(owner, company_names(con), "demo") == "Northwind IT Services (demo)"
    finally:
        con.close()
    other = tmp_path / "real" / "w.duckdb"
    assert cli("load", real_books(tmp_path), "--db", other, "--realm", REAL) == 0
    nameless = tmp_path / "nameless" / "w.duckdb"
    assert cli("load", real_books(tmp_path / "n", with_name=False), "--db", nameless, "--realm", REAL) == 0
    for warehouse, expected in ((other, "Bayside Computer Care"), (nameless, f"QuickBooks company {REAL}")):
        con = snapshot(warehouse)
        try:
            names = company_names(con)
        finally:
            con.close()
        owner = settings.load(settings.ensure_settings_file(settings.settings_path(warehouse)))
        assert printed_name(owner, names, REAL) == expected and owner.company_name == ""
        settings.save_company_name(settings.settings_path(warehouse), "Bayside IT")
        assert printed_name(settings.load(settings.settings_path(warehouse)), names, REAL) == "Bayside IT"
