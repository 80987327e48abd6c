-- The records of one realm about to be removed from raw.{table} ({entity}): the next build removes what was parsed
-- from them.
insert into raw.unparsed
select '{entity}', realm_id, id from raw.{table} where realm_id = $realm;
