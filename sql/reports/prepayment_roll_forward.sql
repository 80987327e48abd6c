-- Report prepayments --roll-forward: per client for the month [$month_start, $month_end]: opening,
-- received, recognised, refunded and closing, the sums of its documents' (prepayment_movements, where
-- each is defined). opening + received - recognised - refunded = closing. Parameters: $month_start,
-- $month_end, $realm.
with movements as (
    select * from prepayment_movements($month_start::date, $month_end::date)
    where $realm is null or realm_id = $realm
),

customers as (
    select * from marts.dim_customers
),

per_client as (
    select realm_id, client_id, sum(opening) as opening, sum(received) as received, sum(recognised) as recognised,
        sum(refunded) as refunded, sum(closing) as closing
    from movements
    group by realm_id, client_id
)

select
    per_client.client_id as customer_id,
    coalesce(customers.customer, per_client.client_id) as customer,
    opening::decimal(18, 2) as opening,
    received::decimal(18, 2) as received,
    recognised::decimal(18, 2) as recognised,
    refunded::decimal(18, 2) as refunded,
    closing::decimal(18, 2) as closing,
    per_client.realm_id
from per_client
left join customers on customers.realm_id = per_client.realm_id and customers.customer_id = per_client.client_id
where opening <> 0 or received <> 0 or recognised <> 0 or refunded <> 0 or closing <> 0
order by customer, customer_id
