-- grain: one row: the build that wrote this snapshot, by an id the work database records once the snapshot is
-- published (parsed.published); the next build carries this snapshot's rows over only when the two agree.
create or replace table intermediate.snapshot_build (
    build_id  varchar not null
);
