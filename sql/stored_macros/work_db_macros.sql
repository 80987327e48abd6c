-- The macros the work database stores in its main schema, whatever made them (a stale set is dropped whole).
select function_name, function_type
from duckdb_functions()
where database_name = current_database() and schema_name = 'main'
    and function_type in ('macro', 'table_macro') and not internal;
