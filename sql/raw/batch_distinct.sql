-- The incoming `batch` as batch_newest when no key comes twice in it (every page of a full sync, nearly every
-- file's batch): each record is then its key's newest, and batch_newest.sql's window (a sort of the batch, a hash
-- of every payload) would choose nothing.
create or replace temp table batch_newest as
from batch
