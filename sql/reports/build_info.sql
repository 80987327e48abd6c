-- The build behind the snapshot: when, which realms, how many lines, which checks failed.
select built_at, realms, revenue_lines, failed_checks from marts.mart_build_info
