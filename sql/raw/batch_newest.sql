-- The newest version of each key in the incoming batch (one list a column, unnested side by side into rows:
-- lists of one length unnest together): DuckDB's upsert would otherwise keep
-- the first of two equal keys. Newest = LastUpdatedTime, then deleted, then SyncToken, then a
-- payload hash, so any load order ends in the same table.
create or replace temp table batch_newest as
with batch as (
    select
        $realm_id::varchar as realm_id,
        unnest($id::varchar[]) as id,
        unnest($last_updated::timestamp[]) as last_updated,
        unnest($sync_token::integer[]) as sync_token,
        unnest($deleted::boolean[]) as deleted,
        unnest($payload::varchar[]) as payload,
        $loaded_at::timestamp as loaded_at
)
select realm_id, id, last_updated, sync_token, deleted, payload, loaded_at
from batch
qualify row_number() over (
    partition by realm_id, id
    order by last_updated desc, deleted desc, sync_token desc, md5(payload) desc
) = 1;
