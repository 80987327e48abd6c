-- grain: one row: the build that produced this snapshot
create or replace table settings.build_info (
    built_at          timestamp not null,  -- UTC
    rules_file        varchar   not null,
    realms            varchar[] not null,
    revenue_lines     bigint    not null,
    failed_checks     varchar[] not null   -- names of sql/tests checks that returned rows
);
