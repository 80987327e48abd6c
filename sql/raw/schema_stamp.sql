-- The work database's raw tables are made by the raw table definitions of this fingerprint (one row, in place of
-- the one before).
create or replace table main.raw_schema as select ?::varchar as fingerprint;
