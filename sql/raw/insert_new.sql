-- batch_newest into raw.{table} when none of its keys is stored there (upsert_counts.sql counted every one
-- inserted, in this transaction: a new warehouse's full sync and first load): a plain append, where upsert.sql's
-- `on conflict` is a MERGE that reads every stored payload of the entity. Should a key be stored after all, the
-- primary key refuses the insert and the transaction with it; nothing is overwritten.
insert into raw.{table} by name
select * from batch_newest
