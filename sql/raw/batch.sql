-- grain: one row per incoming record of one entity for realm $realm, as it came (batch_newest.sql keeps the newest
-- of each key), stored at $loaded_at. Made from lists of values, not a registered Arrow table: pyarrow makes an
-- array from Python values only after importing pandas (~0.3 s of CPU), which a sync of a day's records would pay
-- for nothing.
create or replace temp table batch as
select
    $realm::varchar as realm_id,
    unnest($ids::varchar[]) as id,
    unnest($last_updated::timestamp[]) as last_updated,
    unnest($sync_tokens::integer[]) as sync_token,
    unnest($deleted::boolean[]) as deleted,
    unnest($payloads::varchar[]) as payload,
    $loaded_at::timestamp as loaded_at
