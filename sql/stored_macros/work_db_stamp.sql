-- The work database's stored scalar macros were made from the macro files of this fingerprint (one row, in place of
-- the one before).
create or replace table main.stored_macros as select ?::varchar as fingerprint;
