-- Months (first days) of the documents that book income (sales documents, journal entries, deposits) of realm
-- $realm stored or changed since $since, but those this sync found with their posting unchanged ($unchanged:
-- entity and Id; raw/posting_changes.sql): a memo edited moves no figure of QuickBooks' ProfitAndLoss.
select distinct date_trunc('month', (payload->>'$.TxnDate')::date)::date as month
from (
    select 'Invoice' as entity, id, payload, loaded_at, realm_id from raw.invoices
    union all select 'SalesReceipt', id, payload, loaded_at, realm_id from raw.sales_receipts
    union all select 'CreditMemo', id, payload, loaded_at, realm_id from raw.credit_memos
    union all select 'RefundReceipt', id, payload, loaded_at, realm_id from raw.refund_receipts
    union all select 'JournalEntry', id, payload, loaded_at, realm_id from raw.journal_entries
    union all select 'Deposit', id, payload, loaded_at, realm_id from raw.deposits
)
where realm_id = $realm and loaded_at >= $since and payload->>'$.TxnDate' is not null
  and {'entity': entity, 'id': id} not in (select unnest($unchanged::struct(entity varchar, id varchar)[]))
order by month
