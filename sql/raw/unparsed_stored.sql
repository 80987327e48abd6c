-- The keys of batch_store (those raw.{table} takes: new, or newer than the stored version; a version older than
-- the stored one is not stored) noted as {entity}: the next build parses them again.
insert into raw.unparsed
select '{entity}', realm_id, id
from batch_store;
