-- Report lines (--kind ar-aging:COLUMN): the documents behind a receivables figure as of $as_of —
-- open invoices and A/R journal entries with their balance then, in the column's bucket (current,
-- days_1_30, days_31_60, days_61_90, days_90_plus; past_due: the four late ones; total and net: all of
-- them), and for credits and net the client's credits then (credit_position: unapplied payments,
-- payments applied to documents dated later, credit-memo and journal-entry credit), negative (as
-- ar-aging nets them). Parameters: $as_of, $column, $client, $realm.
with invoices as (
    select * from open_invoices($as_of::date, $realm)
    where ($client is null or client_id = $client)
      and (bucket = $column or $column in ('total', 'net') or ($column = 'past_due' and bucket <> 'current'))
),

credits as (
    select * from credit_position($as_of::date)
    where $column in ('credits', 'net') and ($realm is null or realm_id = $realm)
      and ($client is null or client_id = $client)
),

documents as (
    select * from document_refs()
),

customers as (
    select * from marts.dim_customers
),

rows as (
    select
        realm_id, document_type, document_id, doc_number, txn_date, customer_id, client_id, client,
        case when days_past_due <= 0 then 'due ' || strftime(due_date, '%Y-%m-%d')
             else days_past_due || ' days past due' end as detail,
        open_balance as amount, currency
    from invoices
    union all
    select
        credits.realm_id,
        credits.source_type,
        credits.source_id,
        documents.doc_number,
        credits.txn_date,
        null,
        credits.client_id,
        coalesce(customers.client, customers.customer, credits.client_id),
        case credits.kind
            when 'unapplied_payment' then 'unapplied payment'
            when 'applied_ahead' then 'paid ahead: applied to documents dated after this day'
            when 'journal_entry' then 'journal-entry credit'
            else 'credit-memo credit'
        end,
        -credits.amount,
        documents.currency
    from credits
    left join documents
        on documents.realm_id = credits.realm_id and documents.document_type = credits.source_type
        and documents.document_id = credits.source_id
    left join customers on customers.realm_id = credits.realm_id and customers.customer_id = credits.client_id
    where credits.amount <> 0
)

select
    rows.txn_date, rows.document_type, rows.doc_number, rows.client, customers.customer, null::varchar as item,
    null::varchar as category, null::varchar as rule, null::varchar as rule_pattern, rows.detail,
    rows.amount::decimal(18, 2) as amount, rows.currency,
    qbo_link(rows.realm_id, rows.document_type, rows.document_id) as link,
    rows.realm_id, rows.document_id, rows.client_id
from rows
left join customers on customers.realm_id = rows.realm_id and customers.customer_id = rows.customer_id
order by rows.client, rows.txn_date, rows.document_type, rows.document_id
