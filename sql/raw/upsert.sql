-- Upsert batch_newest into raw.{table}: a version replaces the stored one only when it is newer
-- in the same order batch_newest.sql uses, so an older file loaded later changes nothing.
insert into raw.{table} by name
select * from batch_newest
on conflict (realm_id, id) do update set
    last_updated = excluded.last_updated,
    sync_token = excluded.sync_token,
    deleted = excluded.deleted,
    payload = excluded.payload,
    loaded_at = excluded.loaded_at
where (excluded.last_updated, excluded.deleted, excluded.sync_token, md5(excluded.payload))
    > (last_updated, deleted, sync_token, md5(payload));
