-- raw.{table} as the kept staging models read it when only the changed records are parsed: those records' stored
-- versions ({work} is the work database's catalog).
create view changed_records.raw.{table} as
select * from {work}.raw.{table}
semi join (select realm_id, id from changed_records.main.records where entity = '{entity}') using (realm_id, id);
