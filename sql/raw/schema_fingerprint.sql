-- The fingerprint of the raw tables' definitions the work database's raw schema was last made by (one row; the
-- table is missing in a warehouse of an earlier version, which then makes its raw tables as before).
select fingerprint from main.raw_schema;
