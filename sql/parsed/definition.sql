-- grain: one row: what parsed the kept staging models (a hash of the staging SQL, its macros and DuckDB's
-- version). Another definition means they are parsed again from every raw record.
create table parsed.definition (
    fingerprint  varchar not null
);
