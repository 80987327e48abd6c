-- One row per schema of a database (its catalog name, ?) that holds stored macros: `macros_` and the
-- fingerprint of the macro files they were made from.
select schema_name
from duckdb_schemas()
where database_name = ? and starts_with(schema_name, 'macros_');
