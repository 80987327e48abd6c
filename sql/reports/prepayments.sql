-- Report prepayments: per client, as of $as_of, the prepayment liability (paid for service not yet
-- earned, less refunds and credit-memo cancellations of those months, plus unapplied payments,
-- credit-memo credit and what deposit items hold in liability accounts) and what would be refunded if
-- the client cancelled today (the same, without credit-memo credit for work: memo credit counts only
-- up to what the memo cancelled of prepaid months, which is the client's cash). See prepaid_position.
-- Parameters: $as_of, $realm.
with position as (
    select * from prepaid_position($as_of::date) where $realm is null or realm_id = $realm
),

customers as (
    select * from marts.dim_customers
),

per_client as (
    select
        realm_id,
        client_id,
        sum(amount) filter (where kind in ('document', 'refund', 'cancelled')) as prepaid_service,
        sum(amount) filter (where kind = 'unapplied_payment') as unapplied_payments,
        sum(amount) filter (where kind in ('credit_memo', 'cancellation_credit')) as credits,
        sum(amount) filter (where kind = 'deposit_account') as deposit_accounts,
        sum(amount) as liability,
        sum(amount) filter (where kind <> 'credit_memo') as refund_if_cancelled
    from position
    group by all
)

select
    per_client.client_id as customer_id,
    coalesce(customers.customer, per_client.client_id) as customer,
    coalesce(liability, 0)::decimal(18, 2) as liability,
    coalesce(refund_if_cancelled, 0)::decimal(18, 2) as refund_if_cancelled,
    coalesce(prepaid_service, 0)::decimal(18, 2) as prepaid_service,
    coalesce(unapplied_payments, 0)::decimal(18, 2) as unapplied_payments,
    coalesce(credits, 0)::decimal(18, 2) as credits,
    coalesce(deposit_accounts, 0)::decimal(18, 2) as deposit_accounts,
    per_client.realm_id
from per_client
left join customers on customers.realm_id = per_client.realm_id and customers.customer_id = per_client.client_id
where coalesce(liability, 0) <> 0 or coalesce(refund_if_cancelled, 0) <> 0
order by liability desc, customer
