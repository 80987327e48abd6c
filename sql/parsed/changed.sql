-- The records of the entities the kept staging models parse ({entities}) stored, replaced or removed since they were
-- parsed, as the writer noted them (raw.unparsed): into the build's catalog of changes, changed_records
-- (models/warehouse/parsed.py).
insert into changed_records.main.records
select distinct entity, realm_id, id from raw.unparsed where entity in ({entities});
