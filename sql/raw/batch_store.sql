-- The keys of batch_newest that raw.{table} is about to take: those it lacks, and those whose version is newer than
-- the stored one in the order batch_newest.sql uses (so an older file loaded later changes nothing); `replaces`: a
-- stored version goes (raw/forget_replaced.sql). Keys only: the payloads stay in batch_newest. The stored side is the
-- stored versions of the incoming ids alone: a join on one column hands its keys to the scan as a filter (joined on
-- realm and Id, the scan read every stored payload: ~9 ms of the invoices' 25k at 250 x 10).
create or replace temp table batch_store as
select incoming.realm_id, incoming.id, stored.id is not null as replaces
from batch_newest as incoming
left join (
    select realm_id, id, last_updated, deleted, sync_token, payload
    from raw.{table}
    where id in (select id from batch_newest)
) as stored using (realm_id, id)
where stored.id is null
   or (incoming.last_updated, incoming.deleted, incoming.sync_token, md5(incoming.payload))
    > (stored.last_updated, stored.deleted, stored.sync_token, md5(stored.payload))
