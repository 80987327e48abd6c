-- The stored versions of raw.{table} that batch_store's newer ones replace: deleted, then the new ones inserted
-- (raw/store_batch.sql). Why not `insert ... on conflict do
-- update`: DuckDB 2.0 runs that as a MERGE joined on (realm, Id), which read every stored payload of the table
-- (~10 ms of a day's 5 invoices at 250 x 10, against ~2.5 for this and the insert); an update of the matched rows
-- and an insert of the others was 3-5x slower still. The `in` on the Id alone is implied by the join; it is what
-- hands the keys to the scan.
delete from raw.{table} as stored
using batch_store
where batch_store.replaces
  and stored.id in (select id from batch_store where replaces)
  and stored.realm_id = batch_store.realm_id
  and stored.id = batch_store.id
