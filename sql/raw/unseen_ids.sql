-- Stored, live records of raw.{table} in realm $realm that the full sync now ending did not see.
select id from raw.{table}
where realm_id = $realm and not deleted
  and id not in (select id from raw.sync_seen where realm_id = $realm and entity = $entity)
