"""name_key in the build's SQL is the key Python made, looked up (models/warehouse/name_keys.py): the same keys as
Python's, made once a name, made again when name_key changes, and a name without one stops the model that asks."""
from __future__ import annotations

import duckdb
import pytest

from models.names import name_key
from models.warehouse import name_keys
from models.warehouse.work_db import open_work_db, transaction
from tests.builders import invoice, item_line
from tests.helpers import cli, write_json

NAMES = [("21", "Ремонт"), ("22", "ＳＴＲＡＳＳＥ Kit"), ("23", "Parent:ﬁx – Café"), ("24", "صيانة شهرية")]


@pytest.fixture
def built(db, tmp_path):
    items = [{"Id": i, "Name": name.split(":")[-1], "FullyQualifiedName": name, "Type": "Service",
              "MetaData": {"LastUpdatedTime": "2026-01-01T00:00:00Z"}} for i, name in NAMES]
    lines = [item_line("30.00", item=(i, name)) for i, name in NAMES]
    assert cli("load", write_json(tmp_path / "company.json", {"Item": items, "Invoice": [invoice("100", lines)]}),
               "--db", db) == 0
    return db


def keys_in_sql(con, sql):
    name_keys.register(con)
    return dict(con.execute(f"select name, name_key(name) from ({sql}) as names(name)").fetchall())


def test_the_keys_in_sql_are_pythons(built):
    con = open_work_db(built)
    try:
        found = keys_in_sql(con, "select name from staging.stg_qbo__items union select fully_qualified_name "
                                 "from staging.stg_qbo__items union select 'Parent'")
        assert set(found) == {name for _, name in NAMES} | {"ﬁx – Café", "Parent"}
        assert found == {name: name_key(name) for name in found}
        assert found["ＳＴＲＡＳＳＥ Kit"] == "strassekit" and found["Parent:ﬁx – Café"] == "parentfixcafé"
        assert con.execute("select name_key(null)").fetchone() == (None,)
    finally:
        con.close()


def test_a_name_without_a_key_stops_the_statement_naming_it(built):
    con = open_work_db(built)
    try:
        name_keys.register(con)
        with pytest.raises(duckdb.Error, match=r'no name key was made for the name "Not a name of the company".*'
                                               r"sql/build/names_to_key\.sql"):
            con.execute("select name_key('Not a name of the company')").fetchall()
    finally:
        con.close()


def test_each_name_is_keyed_once_and_again_when_name_key_changes(built):
    con = open_work_db(built)
    try:
        with transaction(con):
            assert name_keys.make(con) == 0  # the build made them all
            con.execute("update main.name_keys set name_key = 'stale' where name = 'Ремонт'")
            assert name_keys.make(con) == 0  # a key is a name's for as long as name_key is the same
            assert con.execute("select name_key from main.name_keys where name = 'Ремонт'").fetchone() == ("stale",)
            con.execute("update main.name_keys_made_by set fingerprint = 'an earlier name_key'")
            made = name_keys.make(con)
            assert con.execute("select name_key from main.name_keys where name = 'Ремонт'").fetchone() == ("ремонт",)
            assert made == con.execute("select count(*) from main.name_keys").fetchone()[0] > len(NAMES)
            assert name_keys.make(con, anew=True) == made  # build --full makes them all again
    finally:
        con.close()
