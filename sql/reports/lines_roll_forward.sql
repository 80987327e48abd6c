-- Report lines (--kind roll-forward:COLUMN): the documents behind a column of the prepayments
-- roll-forward of $month (opening, received, recognised, refunded, closing), one row per document with
-- its part of the column (prepayment_movements), adding up to the column as the roll-forward sums it.
-- Parameters: $month_start, $month_end, $column, $client, $realm.
with movements as (
    select * from prepayment_movements($month_start::date, $month_end::date)
    where ($realm is null or realm_id = $realm) and ($client is null or client_id = $client)
),

parts as (
    select realm_id, client_id, document_type, document_id,
        case $column
            when 'opening' then opening
            when 'received' then received
            when 'recognised' then recognised
            when 'refunded' then refunded
            when 'closing' then closing
        end as amount
    from movements
),

documents as (
    select * from document_refs()
),

customers as (
    select * from marts.dim_customers
)

select
    documents.txn_date, parts.document_type, documents.doc_number,
    coalesce(clients.customer, parts.client_id) as client, documents.customer, null::varchar as item,
    null::varchar as category, null::varchar as rule, null::varchar as rule_pattern,
    $column || ' in ' || strftime($month_start::date, '%b %Y') as detail,
    parts.amount::decimal(18, 2) as amount,
    documents.currency,
    qbo_link(parts.realm_id, parts.document_type, parts.document_id) as link,
    parts.realm_id, parts.document_id, parts.client_id
from parts
left join documents using (realm_id, document_type, document_id)
left join customers as clients on clients.realm_id = parts.realm_id and clients.customer_id = parts.client_id
where parts.amount <> 0
order by client, documents.txn_date, parts.document_type, parts.document_id
