-- grain: one row: the build that produced this snapshot. The build writes it after its checks (it
-- records their outcome), so it cannot be a model; it lives in the marts schema because readers
-- are shown it, and readers see only marts.
create or replace table marts.mart_build_info (
    built_at          timestamp not null,  -- UTC
    rules_file        varchar   not null,
    realms            varchar[] not null,
    revenue_lines     bigint    not null,
    failed_checks     varchar[] not null,  -- names of sql/tests checks that returned rows
    held_records      bigint    not null   -- records held back from the models (marts.mart_held_records)
);
