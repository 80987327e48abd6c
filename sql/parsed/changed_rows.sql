-- staging.{model} as the kept staging models that read it see it when only the changed records are parsed: its
-- rows of those records, as parsed again in this build ({work} is the work database's catalog). The `in` on the
-- record's Id ({id}) is implied by the semi join; it is there for the scan (parsed/changed_raw.sql says why).
create view changed_records.staging.{model} as
select kept.* from {work}.staging.{model} as kept
semi join changed_records.main.records as changed on {same_record}
where kept.{id} in (select id from changed_records.main.records);
