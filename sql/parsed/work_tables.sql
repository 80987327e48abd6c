-- The work database's tables as "schema.name": which staging models made anew by each build are there to compare with
-- (models/warehouse/unchanged.py), looked up once for all of them.
select schema_name || '.' || table_name
from duckdb_tables()
where database_name = current_database()
