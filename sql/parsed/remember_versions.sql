-- The versions of raw.{table}'s records ({entity}) that the kept staging models now hold parsed: every record after
-- a full parse; the changed ones when `raw` means the catalog of changes ({work} is the work database's catalog).
insert into {work}.parsed.records
select '{entity}', realm_id, id, last_updated, sync_token, deleted, loaded_at from raw.{table};
