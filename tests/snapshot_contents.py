"""Everything a reader of a published snapshot reads, to compare two builds by: every table's columns and rows, and
every view's definition and every macro. A report is a function of these, the owner's settings and its options, so two
snapshots equal here print the same reports, provided each report orders its rows completely (the rows are
compared as multisets: a build may write them in another order)."""
from __future__ import annotations

from pathlib import Path

from models.warehouse import paths
from models.warehouse.snapshot import open_snapshot

# what differs between any two builds, whatever they made: the build's id and time
PER_BUILD = {"intermediate.snapshot_build": {"build_id"}, "marts.mart_build_info": {"built_at"}}


def contents(db: Path) -> dict[str, list[str]]:
    """`schema.table`: its columns and types, then its rows as text, sorted (PER_BUILD's columns left out);
    `view schema.name`: its definition; `macro schema.name`: its parameters."""
    con = open_snapshot(paths.snapshot(db))
    try:
        columns: dict[str, list[tuple[str, str]]] = {}
        for schema, table, column, data_type in con.execute(
                "select schema_name, table_name, column_name, data_type from duckdb_columns() "
                "join duckdb_tables() using (database_name, schema_name, table_name) "
                "where database_name = 'snapshot' order by schema_name, table_name, column_index").fetchall():
            columns.setdefault(f"{schema}.{table}", []).append((column, data_type))
        found = {}
        for table, described in columns.items():
            kept = [f'"{column}"' for column, _ in described if column not in PER_BUILD.get(table, ())]
            rows = con.execute(f"select {', '.join(kept) or 'true'} from {table}").fetchall()  # a row per row, at least
            found[table] = [", ".join(f"{c} {t}" for c, t in described), *sorted(map(repr, rows))]
        for schema, name, sql in con.execute("select schema_name, view_name, sql from duckdb_views() "
                                             "where database_name = 'snapshot' and not internal").fetchall():
            found[f"view {schema}.{name}"] = [sql]
        # a macro by its name and parameters: its schema is named by a hash of every macro file's text
        # (models/warehouse/stored_macros.py), while DuckDB prints a stored body's `* exclude (...)` in any order
        for schema, name, overloads in con.execute(
                "select schema_name, function_name, list(parameters::varchar order by parameters::varchar) "
                "from duckdb_functions() where database_name = 'snapshot' "
                "and function_type in ('macro', 'table_macro') group by all").fetchall():
            found[f"macro {schema}.{name}"] = overloads
        return found
    finally:
        con.close()
