-- Report ar-aging: per client, open invoice balances as of $as_of (from transactions dated by then,
-- not today's balances) by days past due — the gross aging — then the client's unapplied payments and
-- credit-memo credit as of $as_of (`credits`, negative: credit_position) and `net` = total + credits,
-- which is QuickBooks' A/R (its A/R Aging Summary nets them the same way). A client with credit and
-- nothing open is listed too. Parameters: $as_of, $realm.
with aged as (
    select
        realm_id,
        client_id,
        any_value(client) as customer,
        -- the buckets are open_invoices' (where the days are drawn)
        coalesce(sum(open_balance) filter (where bucket = 'current'), 0) as current,
        coalesce(sum(open_balance) filter (where bucket = 'days_1_30'), 0) as days_1_30,
        coalesce(sum(open_balance) filter (where bucket = 'days_31_60'), 0) as days_31_60,
        coalesce(sum(open_balance) filter (where bucket = 'days_61_90'), 0) as days_61_90,
        coalesce(sum(open_balance) filter (where bucket = 'days_90_plus'), 0) as days_90_plus,
        sum(open_balance) as total
    from open_invoices($as_of::date, $realm)
    group by realm_id, client_id
),

credits as (
    select realm_id, client_id, -sum(amount) as credits
    from credit_position($as_of::date)
    where $realm is null or realm_id = $realm
    group by all
    having sum(amount) <> 0
),

customers as (
    select * from marts.dim_customers
)

select
    coalesce(aged.client_id, credits.client_id) as customer_id,
    coalesce(aged.customer, customers.customer, credits.client_id) as customer,
    coalesce(aged.current, 0)::decimal(18, 2) as current,
    coalesce(aged.days_1_30, 0)::decimal(18, 2) as days_1_30,
    coalesce(aged.days_31_60, 0)::decimal(18, 2) as days_31_60,
    coalesce(aged.days_61_90, 0)::decimal(18, 2) as days_61_90,
    coalesce(aged.days_90_plus, 0)::decimal(18, 2) as days_90_plus,
    coalesce(aged.total, 0)::decimal(18, 2) as total,
    coalesce(credits.credits, 0)::decimal(18, 2) as credits,
    (coalesce(aged.total, 0) + coalesce(credits.credits, 0))::decimal(18, 2) as net,
    coalesce(aged.realm_id, credits.realm_id) as realm_id
from aged
full join credits using (realm_id, client_id)
left join customers
    on customers.realm_id = credits.realm_id and customers.customer_id = credits.client_id
order by total desc, customer
