"""The SQL layers read only downwards, and marts are the only layer anything outside them reads."""
from __future__ import annotations

import re

import pytest

from models.warehouse.sqlfiles import SQL_DIR

SCHEMAS = ("raw", "settings", "staging", "intermediate", "marts")
_RELATION = re.compile(rf"\b({'|'.join(SCHEMAS)})\.(\w+)")
_COMMENT = re.compile(r"--[^\n]*")

# folder -> the schemas its SQL may read
MAY_READ = {
    "staging": {"raw", "settings", "staging"},
    "intermediate": {"staging", "intermediate"},
    "marts": {"staging", "intermediate", "marts"},
    "reports": {"marts"},
    "month_end": {"marts"},
    "table_macros": {"marts"},
    "tests": {"marts"},
}
CONSUMERS = ("reports", "month_end", "table_macros")


def relations(folder: str) -> dict[str, set[str]]:
    """Each file of the folder -> the schema-qualified relations its SQL (comments aside) names."""
    return {path.name: {".".join(found) for found in _RELATION.findall(_COMMENT.sub("", path.read_text()))}
            for path in sorted((SQL_DIR / folder).glob("*.sql"))}


def defined_marts() -> set[str]:
    """The models of sql/marts and the tables the build writes into the marts schema (sql/build)."""
    models = {f"marts.{path.stem}" for path in (SQL_DIR / "marts").glob("*.sql")}
    written = {f"marts.{path.stem}" for path in (SQL_DIR / "build").glob("*.sql")}
    return models | written


@pytest.mark.parametrize("folder", sorted(MAY_READ))
def test_each_layer_reads_only_the_layers_below_it(folder):
    read = relations(folder)
    assert read, f"sql/{folder} has no SQL that reads a relation"
    wrong = {name: sorted(r for r in found if r.split(".")[0] not in MAY_READ[folder]) for name, found in read.items()}
    assert {name: found for name, found in wrong.items() if found} == {}


@pytest.mark.parametrize("folder", CONSUMERS)
def test_consumers_read_marts_that_exist(folder):
    missing = {name: sorted(found - defined_marts()) for name, found in relations(folder).items()}
    assert {name: found for name, found in missing.items() if found} == {}


def test_the_reference_scan_sees_what_it_must_refuse():
    assert _RELATION.findall("select * from staging.stg_qbo__payments join raw.load_log using (realm_id)") == [
        ("staging", "stg_qbo__payments"), ("raw", "load_log")]
    assert _RELATION.findall(_COMMENT.sub("", "-- reads intermediate.int_sales_documents\nselect 1")) == []


def test_a_model_no_sql_file_defines_any_more_leaves_the_snapshot(demo_copy):
    """A renamed or removed model must not linger: each snapshot is made anew; the layers a build before issue 25
    left in the work database are removed, and the kept staging is parsed anew when its SQL is not the same."""
    import duckdb

    from models.warehouse.work_db import open_work_db
    from tests.helpers import cli, query

    db = demo_copy(3, 1)
    con = open_work_db(db)
    try:
        con.execute("create schema intermediate")
        con.execute("create table intermediate.int_renamed_long_ago as select 1 as stale")
        con.execute("create table staging.stg_renamed_long_ago as select 1 as stale")
        con.execute("update parsed.definition set fingerprint = 'the SQL of an older version'")
    finally:
        con.close()
    assert cli("build", "--db", db) == 0
    assert query(db, "select count(*) from duckdb_tables() where table_name like '%renamed_long_ago'") == [(0,)]
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select count(*) from duckdb_tables() where table_name like '%renamed_long_ago' "
                           "or schema_name = 'intermediate'").fetchone() == (0,)
    finally:
        con.close()
