-- Report forecast: MRR of each of the $months months after the as-of month. committed_mrr = from_templates
-- (active recurring templates' agreement lines on their schedule) + billed_ahead (agreement lines already dated
-- by the as-of date for the month, clients without a template) + carried (MRR now of clients without a template
-- and nothing billed for the month): mrr_forecast_parts. expected_mrr = committed_mrr x (1 + net_rate)^ahead,
-- the trailing 12 full months' churn, contraction and expansion rates compounded month by month (the factor to
-- 12 places, the MRR to the cent). Parameters: $as_of, $months, $realm.
with horizon as (
    select * from forecast_months($as_of, $months)
),

parts as (
    select * from mrr_forecast_parts($as_of, $months, $realm)
),

factors as (  -- (1 + net_rate)^ahead, month by month, and the rates
    select * from expected_factors($as_of, $months, $realm)
),

committed as (
    select
        horizon.ahead,
        horizon.month,
        coalesce(sum(parts.amount) filter (where parts.source = 'template'), 0)::decimal(18, 2) as from_templates,
        coalesce(sum(parts.amount) filter (where parts.source = 'billed'), 0)::decimal(18, 2) as billed_ahead,
        coalesce(sum(parts.amount) filter (where parts.source = 'carried'), 0)::decimal(18, 2) as carried,
        coalesce(sum(parts.amount), 0)::decimal(18, 2) as committed_mrr,
        count(distinct parts.realm_id || '/' || parts.client_id) as clients
    from horizon
    left join parts using (month)
    group by horizon.ahead, horizon.month
)

select
    committed.month,
    committed.committed_mrr,
    committed.from_templates,
    committed.billed_ahead,
    committed.carried,
    round(committed.committed_mrr * factors.factor, 2)::decimal(18, 2) as expected_mrr,
    committed.clients,
    (factors.churn_rate * 100)::decimal(9, 4) as churn_percent,
    (factors.contraction_rate * 100)::decimal(9, 4) as contraction_percent,
    (factors.expansion_rate * 100)::decimal(9, 4) as expansion_percent
from committed
join factors using (ahead)
order by committed.month
