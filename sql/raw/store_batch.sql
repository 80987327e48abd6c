-- The versions of batch_newest whose keys batch_store holds into raw.{table}, their replaced versions deleted first
-- (raw/forget_replaced.sql).
insert into raw.{table} by name
select * from batch_newest
semi join batch_store using (realm_id, id)
