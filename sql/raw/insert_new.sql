-- batch_newest into raw.{table} when none of its keys is stored there (batch_store.sql counted every one
-- inserted, in this transaction: a new warehouse's full sync and first load): a plain append, with nothing to
-- delete (raw/forget_replaced.sql) and no join with batch_store. Should a key be stored after all, the
-- primary key refuses the insert and the transaction with it; nothing is overwritten.
insert into raw.{table} by name
select * from batch_newest
