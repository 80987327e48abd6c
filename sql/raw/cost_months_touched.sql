-- Months (first days) of the documents that book costs (bills, expenses, vendor credits) of realm $realm stored or
-- changed since $since, but those this sync found with their posting unchanged ($unchanged: entity and Id): the
-- cost tie-out (marts.mart_cost_tie_out) compares the months QuickBooks' accrual ProfitAndLoss was fetched for.
-- Journal entries, which book costs too, are months_touched.sql's.
select distinct date_trunc('month', (payload->>'$.TxnDate')::date)::date as month
from (
    select 'Bill' as entity, id, payload, loaded_at, realm_id from raw.bills
    union all select 'Purchase', id, payload, loaded_at, realm_id from raw.purchases
    union all select 'VendorCredit', id, payload, loaded_at, realm_id from raw.vendor_credits
)
where realm_id = $realm and loaded_at >= $since and payload->>'$.TxnDate' is not null
  and {'entity': entity, 'id': id} not in (select unnest($unchanged::struct(entity varchar, id varchar)[]))
order by month
