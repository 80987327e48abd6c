-- Report ar-aging: per client, open invoice balances as of $as_of (from transactions dated by then,
-- not today's balances) by days past due. Parameters: $as_of, $realm.
select
    client_id as customer_id,
    any_value(client) as customer,
    coalesce(sum(open_balance) filter (where days_past_due <= 0), 0)::decimal(18, 2) as current,
    coalesce(sum(open_balance) filter (where days_past_due between 1 and 30), 0)::decimal(18, 2) as days_1_30,
    coalesce(sum(open_balance) filter (where days_past_due between 31 and 60), 0)::decimal(18, 2) as days_31_60,
    coalesce(sum(open_balance) filter (where days_past_due between 61 and 90), 0)::decimal(18, 2) as days_61_90,
    coalesce(sum(open_balance) filter (where days_past_due > 90), 0)::decimal(18, 2) as days_90_plus,
    sum(open_balance)::decimal(18, 2) as total,
    realm_id
from open_invoices($as_of::date, $realm)
group by realm_id, client_id
order by total desc, customer
