-- The build behind the snapshot: when, which realms, how many lines, which checks failed, how many
-- records were held back.
select built_at, realms, revenue_lines, failed_checks, held_records from marts.mart_build_info
