-- Months (first days) whose income on a cash basis the records of realm $realm stored or changed since $since
-- may have changed, besides those of the documents themselves (months_touched.sql): the months of the payments
-- changed, of the invoices they pay (a payment dated before its invoice counts on the invoice's date) and of
-- every payment of a changed invoice (its lines change how each payment is spread). A record this sync found
-- with its posting unchanged ($unchanged: entity and Id; raw/posting_changes.sql) is no change here.
with unchanged as (
    select unnest($unchanged::struct(entity varchar, id varchar)[]) as record
),

-- Each payload is parsed once: the list form of json_extract reads several paths in one parse (a `->>` per field
-- parsed the whole document again each time, on every payment and invoice of the company, every sync). A wildcard
-- path cannot be one of a list, so a payment's lines come whole and their links are read from them.
payment_parts as (
    select json_extract(payload, ['$.TxnDate', '$.Line']) as parts,
        loaded_at >= $since and {'entity': 'Payment', 'id': id} not in (select record from unchanged) as changed
    from raw.payments
    where realm_id = $realm and not deleted
),

payments as (
    select (parts[1]->>'$')::date as paid_on, parts[2] as lines, changed
    from payment_parts
    where parts[1]->>'$' is not null
),

links as (
    select paid_on, changed, unnest(json_extract(lines, '$[*].LinkedTxn[*]')) as linked
    from payments
),

invoice_parts as (
    select json_extract_string(payload, ['$.Id', '$.TxnDate']) as parts,
        loaded_at >= $since and {'entity': 'Invoice', 'id': id} not in (select record from unchanged) as changed
    from raw.invoices
    where realm_id = $realm and not deleted
),

invoices as (
    select parts[1] as invoice_id, parts[2]::date as dated, changed
    from invoice_parts
    where parts[2] is not null
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
