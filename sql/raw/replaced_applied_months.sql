-- Months (first days) of the invoices the stored, live versions of the payments $ids (realm $realm) are applied to,
-- before those payments are replaced: on a cash basis a payment counts in its invoice's month when it is dated
-- before it, so a payment applied to another invoice, or deleted, leaves that month to tie out again.
with payments as (
    select unnest(json_extract(payload, '$.Line[*].LinkedTxn[*]')) as linked
    from raw.payments
    where realm_id = $realm and not deleted and id in (select unnest($ids::varchar[]))
)

select distinct date_trunc('month', (invoices.payload->>'$.TxnDate')::date)::date as month
from payments
join raw.invoices as invoices
    on payments.linked->>'$.TxnType' = 'Invoice' and invoices.id = payments.linked->>'$.TxnId'
where invoices.realm_id = $realm and not invoices.deleted and invoices.payload->>'$.TxnDate' is not null
