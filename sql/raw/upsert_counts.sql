-- What upsert.sql is about to do to raw.{table}: keys it adds, and keys it replaces with a newer version.
select
    count(*) filter (where stored.id is null) as inserted,
    count(*) filter (
        where stored.id is not null
          and (incoming.last_updated, incoming.deleted, incoming.sync_token, md5(incoming.payload))
            > (stored.last_updated, stored.deleted, stored.sync_token, md5(stored.payload))
    ) as updated
from batch_newest as incoming
left join (
    -- the stored versions of the incoming ids alone: a join on one column hands its keys to the scan as a filter
    -- (joined on two, the scan read every stored payload: ~9 ms of the invoices' 25k at 250 x 10)
    select * from raw.{table} where id in (select id from batch_newest)
) as stored using (realm_id, id);
