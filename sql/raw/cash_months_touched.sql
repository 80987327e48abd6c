-- Months (first days) whose income on a cash basis the records of realm $realm stored or changed since $since
-- may have changed, besides those of the documents themselves (months_touched.sql): the months of the payments
-- changed, of the invoices they pay (a payment dated before its invoice counts on the invoice's date) and of
-- every payment of a changed invoice (its lines change how each payment is spread). A record this sync found
-- with its posting unchanged ($unchanged: entity and Id; raw/posting_changes.sql) is no change here.
with unchanged as (
    select unnest($unchanged::struct(entity varchar, id varchar)[]) as record
),

payments as (
    select (payload->>'$.TxnDate')::date as paid_on, payload,
        loaded_at >= $since and {'entity': 'Payment', 'id': id} not in (select record from unchanged) as changed
    from raw.payments
    where realm_id = $realm and not deleted and payload->>'$.TxnDate' is not null
),

links as (
    select paid_on, changed, unnest(json_extract(payload, '$.Line[*].LinkedTxn[*]')) as linked
    from payments
),

invoices as (
    select payload->>'$.Id' as invoice_id, (payload->>'$.TxnDate')::date as dated,
        loaded_at >= $since and {'entity': 'Invoice', 'id': id} not in (select record from unchanged) as changed
    from raw.invoices
    where realm_id = $realm and not deleted and payload->>'$.TxnDate' is not null
),

applied as (
    select links.paid_on, links.changed as payment_changed, invoices.dated, invoices.changed as invoice_changed
    from links
    join invoices on linked->>'$.TxnType' = 'Invoice' and invoices.invoice_id = linked->>'$.TxnId'
),

final as (
    select paid_on as day from payments where changed
    union all
    select dated from applied where payment_changed
    union all
    select paid_on from applied where invoice_changed
)

select distinct date_trunc('month', day)::date as month from final order by month
