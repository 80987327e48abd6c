-- staging.{model} as the kept staging models that read it see it when only the changed records are parsed: its
-- rows of those records, as parsed again in this build ({work} is the work database's catalog).
create view changed_records.staging.{model} as
select kept.* from {work}.staging.{model} as kept
semi join changed_records.main.records as changed on {same_record};
