-- The records of raw.{table} ({entity}) whose stored version the kept staging models do not hold parsed: stored
-- or replaced since the last build, or gone from raw (a realm removed). Into the build's catalog of changes,
-- changed_records (models/warehouse/parsed.py).
insert into changed_records.main.records
select distinct '{entity}', realm_id, id
from (
    (select realm_id, id, last_updated, sync_token, deleted, loaded_at from raw.{table}
     except
     select realm_id, id, last_updated, sync_token, deleted, loaded_at from parsed.records where entity = '{entity}')
    union all
    (select realm_id, id, last_updated, sync_token, deleted, loaded_at from parsed.records where entity = '{entity}'
     except
     select realm_id, id, last_updated, sync_token, deleted, loaded_at from raw.{table})
);
