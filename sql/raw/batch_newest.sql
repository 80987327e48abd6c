-- The newest version of each key in the incoming `batch`: DuckDB's upsert would otherwise keep
-- the first of two equal keys. Newest = LastUpdatedTime, then deleted, then SyncToken, then a
-- payload hash, so any load order ends in the same table.
create or replace temp table batch_newest as
select realm_id, id, last_updated, sync_token, deleted, payload, loaded_at
from batch
qualify row_number() over (
    partition by realm_id, id
    order by last_updated desc, deleted desc, sync_token desc, md5(payload) desc
) = 1;
