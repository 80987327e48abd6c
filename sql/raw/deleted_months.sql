-- Months (first days) of the stored, live documents of raw.{table} that are about to be marked deleted
-- (the deleted stubs that replace them carry no date). Parameters: $realm, $ids.
select distinct date_trunc('month', (payload->>'$.TxnDate')::date)::date as month
from raw.{table}
where realm_id = $realm and not deleted and list_contains($ids, id) and payload->>'$.TxnDate' is not null
