-- Months (first days) of the documents that book income (sales documents, journal entries, deposits)
-- of realm $realm stored or changed since $since.
select distinct date_trunc('month', (payload->>'$.TxnDate')::date)::date as month
from (
    select payload, loaded_at, realm_id from raw.invoices
    union all select payload, loaded_at, realm_id from raw.sales_receipts
    union all select payload, loaded_at, realm_id from raw.credit_memos
    union all select payload, loaded_at, realm_id from raw.refund_receipts
    union all select payload, loaded_at, realm_id from raw.journal_entries
    union all select payload, loaded_at, realm_id from raw.deposits
)
where realm_id = $realm and loaded_at >= $since and payload->>'$.TxnDate' is not null
order by month
