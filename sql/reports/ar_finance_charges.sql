-- Report ar-aging --finance-charges: clients with balances past due as of $as_of and the finance
-- charge to assess on the next 1st: $rate_percent of the past-due balance, to the cent.
-- Parameters: $as_of, $realm, $rate_percent.
select
    client_id as customer_id,
    any_value(client) as customer,
    sum(open_balance)::decimal(18, 2) as past_due,
    max(days_past_due) as oldest_days_past_due,
    (date_trunc('month', $as_of::date) + interval 1 month)::date as assess_on,
    round(sum(open_balance) * $rate_percent::decimal(9, 4) * 0.01, 2)::decimal(18, 2) as finance_charge,
    realm_id
from open_invoices($as_of::date, $realm)
where days_past_due > 0
group by realm_id, client_id
having sum(open_balance) > 0
order by past_due desc, customer
