-- Report lines (--kind prepayments:COLUMN): what makes up a prepayment figure as of $as_of, per client
-- and part of prepaid_position: paid parts of documents for months not started (by the month they are
-- earned), refunds and cancellations of such months (negative), unapplied payments, credit-memo credit
-- and deposit accounts — the parts the column sums, as the prepayments report sums them.
-- Parameters: $as_of, $column, $client, $realm.
with position as (
    select * from prepaid_position($as_of::date)
    where ($realm is null or realm_id = $realm) and ($client is null or client_id = $client)
      and case $column
              when 'liability' then true
              when 'refund_if_cancelled' then kind <> 'credit_memo'
              when 'prepaid_service' then kind in ('document', 'refund', 'cancelled')
              when 'unapplied_payments' then kind = 'unapplied_payment'
              when 'credits' then kind in ('credit_memo', 'cancellation_credit')
              when 'deposit_accounts' then kind = 'deposit_account'
          end
),

customers as (
    select * from marts.dim_customers
),

parts as (
    select realm_id, client_id, kind, earn_date, sum(amount) as amount
    from position
    group by all
    having sum(amount) <> 0
)

select
    null::date as txn_date, null::varchar as document_type, null::varchar as doc_number,
    coalesce(customers.customer, parts.client_id) as client, null::varchar as customer, null::varchar as item,
    null::varchar as category, null::varchar as rule, null::varchar as rule_pattern,
    case parts.kind
        when 'document' then 'paid for ' || strftime(parts.earn_date, '%b %Y') || ', not started'
        when 'refund' then 'refunded of ' || strftime(parts.earn_date, '%b %Y')
        when 'cancelled' then 'cancelled by credit memo: ' || strftime(parts.earn_date, '%b %Y')
        when 'unapplied_payment' then 'unapplied payments'
        when 'cancellation_credit' then 'credit-memo credit for cancelled months'
        when 'credit_memo' then 'credit-memo credit for work'
        when 'deposit_account' then 'held in deposit accounts'
    end as detail,
    parts.amount::decimal(18, 2) as amount, null::varchar as currency, null::varchar as link,
    parts.realm_id, null::varchar as document_id, parts.client_id
from parts
left join customers on customers.realm_id = parts.realm_id and customers.customer_id = parts.client_id
order by client, parts.kind, parts.earn_date
