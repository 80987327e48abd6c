-- The records insert_new.sql appended to raw.{table} ({entity}): every one of batch_newest. The next build
-- parses them (unparsed_stored.sql takes them from batch_store, the same keys).
insert into raw.unparsed
select '{entity}', realm_id, id
from batch_newest
