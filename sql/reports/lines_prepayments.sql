-- Report lines (--kind prepayments:COLUMN): the documents behind a prepayment figure as of $as_of, one
-- row per document and part of prepaid_position: paid parts of invoices and sales receipts for months
-- not started (by the month they are earned), refunds and credit-memo cancellations of such months
-- (negative), unapplied payments, credit-memo credit and deposit-account lines — the parts the column
-- sums, as the prepayments report sums them. With $month, only what becomes revenue in that month (a
-- bar of the prepayments schedule). Parameters: $as_of, $column, $month, $client, $realm.
with position as (
    select * from prepaid_position($as_of::date)
    where ($realm is null or realm_id = $realm) and ($client is null or client_id = $client)
      and ($month is null or date_trunc('month', earn_date) = $month)
      and case $column
              when 'liability' then true
              when 'refund_if_cancelled' then kind <> 'credit_memo'
              when 'prepaid_service' then kind in ('document', 'refund', 'cancelled')
              when 'unapplied_payments' then kind = 'unapplied_payment'
              when 'credits' then kind in ('credit_memo', 'cancellation_credit')
              when 'deposit_accounts' then kind = 'deposit_account'
          end
),

documents as (
    select * from document_refs()
),

customers as (
    select * from marts.dim_customers
),

parts as (
    select realm_id, client_id, kind, earn_date, document_type, document_id, document_date, sum(amount) as amount
    from position
    group by all
    having sum(amount) <> 0
)

select
    parts.document_date as txn_date, parts.document_type,
    documents.doc_number,
    coalesce(clients.customer, parts.client_id) as client, documents.customer, null::varchar as item,
    null::varchar as category, null::varchar as rule, null::varchar as rule_pattern,
    case parts.kind
        when 'document' then 'paid for ' || strftime(parts.earn_date, '%b %Y') || ', not started'
        when 'refund' then 'refunded of ' || strftime(parts.earn_date, '%b %Y')
        when 'cancelled' then 'cancelled by credit memo: ' || strftime(parts.earn_date, '%b %Y')
        when 'unapplied_payment' then 'unapplied payment'
        when 'cancellation_credit' then 'credit-memo credit for cancelled months'
        when 'credit_memo' then 'credit-memo credit for work'
        when 'deposit_account' then 'held in a deposit account'
    end as detail,
    parts.amount::decimal(18, 2) as amount, documents.currency,
    qbo_link(parts.realm_id, parts.document_type, parts.document_id) as link,
    parts.realm_id, parts.document_id, parts.client_id
from parts
left join documents using (realm_id, document_type, document_id)
left join customers as clients on clients.realm_id = parts.realm_id and clients.customer_id = parts.client_id
order by client, parts.kind, parts.earn_date, parts.document_date, parts.document_type, parts.document_id
