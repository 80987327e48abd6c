-- The records of batch_newest that upsert.sql stored in raw.{table} ({entity}): those now holding this load's
-- loaded_at (a version older than the stored one was not stored). The next build parses them again.
insert into raw.unparsed
select '{entity}', realm_id, id
from raw.{table}
semi join batch_newest using (realm_id, id, loaded_at);
