-- grain: one row: the snapshot the last build published, by the id written in it, and what built it (a hash of
-- the SQL, the category rules and DuckDB's version). A build carries that snapshot's rows over only while both
-- match (models/warehouse/incremental.py).
create table parsed.published (
    build_id    varchar not null,
    definition  varchar not null
);
