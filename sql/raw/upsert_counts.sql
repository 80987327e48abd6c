-- What upsert.sql is about to do to raw.{table}: keys it adds, and keys it replaces with a newer version.
select
    count(*) filter (where stored.id is null) as inserted,
    count(*) filter (
        where stored.id is not null
          and (incoming.last_updated, incoming.deleted, incoming.sync_token, md5(incoming.payload))
            > (stored.last_updated, stored.deleted, stored.sync_token, md5(stored.payload))
    ) as updated
from batch_newest as incoming
left join raw.{table} as stored using (realm_id, id);
