-- The records insert_new.sql appended to raw.{table} ({entity}): every one of batch_newest. The next build
-- parses them (unparsed_stored.sql finds the same rows by joining the whole table).
insert into raw.unparsed
select '{entity}', realm_id, id
from batch_newest
