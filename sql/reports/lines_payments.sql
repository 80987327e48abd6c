-- Report lines (--kind payments:COLUMN): the documents behind a figure of report payment-behaviour, adding up to
-- it (docs/METRICS.md, payment behaviour). Per client, over the 12 full months before $as_of's month (`previous_`:
-- the 12 before those): invoices (every invoice), paid (paid in full by $as_of: the days to pay are theirs, each
-- line's `detail` gives its days), paid_by_due, late, autopay (the invoices and sales receipts autopay was inferred from); overdue:
-- what is open past its due date on $as_of. The summary's, for $month: sales, receivables, agreement_money,
-- agreement_by_3rd. $part is the column without `previous_`, $period 'latest' or 'previous'.
-- Parameters: $as_of, $part, $period, $month, $client, $realm, $card_methods (lower case).
with invoices as (
    select *,
        case when document_type = 'SalesReceipt' then 'paid at sale ' || strftime(txn_date, '%Y-%m-%d') else
        'invoiced ' || strftime(txn_date, '%Y-%m-%d') || ', due ' || strftime(due_on, '%Y-%m-%d') || ', '
            || case when paid_on is null then 'not paid in full'
                    else 'paid in full ' || strftime(paid_on, '%Y-%m-%d') || ' (' || days_to_pay || ' days'
                         || case when autopay then ', by card on its date' else '' end || ')' end end
            || case when len(payment_methods) > 0 then ' by ' || array_to_string(payment_methods, ', ') else '' end
            as detail
    from invoice_payments($as_of::date, $realm, $client, $card_methods::varchar[])
    where $part in ('invoices', 'paid', 'paid_by_due', 'late', 'autopay') and period = $period
      and (document_type = 'Invoice' or $part = 'autopay')
),

client_rows as (
    select realm_id, document_type, document_id, doc_number, customer_id, client_id, txn_date, detail,
        total_amount as amount
    from invoices
    where $part = 'invoices'
       or ($part = 'paid' and paid_on is not null)
       or ($part = 'paid_by_due' and counted and on_time)
       or ($part = 'late' and counted and not on_time)
       or ($part = 'autopay' and autopay)
),

overdue as (
    select realm_id, document_type, document_id, doc_number, customer_id, client_id, txn_date,
        'due ' || strftime(due_date, '%Y-%m-%d') || ', ' || days_past_due || ' days past due' as detail,
        open_balance as amount
    from open_invoices($as_of::date, $realm)
    where $part = 'overdue' and open_balance > 0 and days_past_due > 0 and ($client is null or client_id = $client)
),

summary as (
    select parts.realm_id, parts.document_type, parts.document_id, parts.doc_number, parts.customer_id,
        customers.client_id, parts.txn_date, parts.detail, parts.amount
    from payment_summary_parts($as_of::date, $realm) as parts
    left join marts.dim_customers as customers using (realm_id, customer_id)
    where parts.part = $part and parts.month = $month::date
      and ($client is null or coalesce(customers.client_id, parts.customer_id) = $client)
),

found as (
    select * from client_rows
    union all by name select * from overdue
    union all by name select * from summary
),

customers as (
    select * from marts.dim_customers
)

select
    found.txn_date, found.document_type, found.doc_number,
    coalesce(clients.customer, found.client_id) as client, customers.customer, null::varchar as item,
    $part as category, null::varchar as rule, null::varchar as rule_pattern, found.detail,
    found.amount::decimal(18, 2) as amount, null::varchar as currency,
    qbo_link(found.realm_id, found.document_type, found.document_id) as link,
    found.realm_id, found.document_id, coalesce(customers.client_id, found.client_id) as client_id
from found
left join customers on customers.realm_id = found.realm_id and customers.customer_id = found.customer_id
left join customers as clients
    on clients.realm_id = found.realm_id and clients.customer_id = coalesce(customers.client_id, found.client_id)
order by client, found.txn_date, found.document_type, found.document_id, found.detail, found.amount
