-- Months (first days) of the stored, live versions of raw.{table}'s records $ids (realm $realm) that are about to
-- be replaced: a document whose date moved, or that was deleted (the deleted stub carries no date), leaves the
-- month it was in to tie out again. Parameters: $realm, $ids.
select distinct date_trunc('month', (payload->>'$.TxnDate')::date)::date as month
from raw.{table}
where realm_id = $realm and not deleted and id in (select unnest($ids)) and payload->>'$.TxnDate' is not null
