-- The Ids $ids of entity $entity (realm $realm) a full pass's page held: seen, so not deleted (raw.sync_seen)
insert into raw.sync_seen
select $realm, $entity, unnest($ids::varchar[])
