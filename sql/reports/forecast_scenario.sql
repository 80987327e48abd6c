-- Report forecast --scenario NAME: each month after the as-of month, the base forecast against the what-if
-- scenario (scenario_parts; docs/METRICS.md#what-ifs): committed MRR, expected MRR (each times the forecast's own
-- factor, expected_factors), hourly labor at its run-rate, the recurring share (MRR / (MRR + hourly)) and the
-- cash coming in (forecast --cash --by-month's cash_in, plus what the scenario bills more or less that month:
-- its MRR, hourly and setup fees). Hourly labor is at the run-rate the cash forecast expects (hourly_run_rates).
-- Parameters: $as_of, $months, $realm, $raise_tiers, $raise_hourly, $raise_from, $net_days (hourly terms, as
-- forecast --cash); the relation scenario_clients (scenario_parts' `changes`).
with horizon as (
    select * from forecast_months($as_of, $months)
),

parts as (
    select * from scenario_parts($as_of, $months, $realm, $raise_tiers, $raise_hourly, $raise_from,
                                 'scenario_clients')
),

factors as (
    select * from expected_factors($as_of, $months, $realm)
),

base_cash as (  -- forecast --cash --by-month's cash_in of each forecast month, the hourly run-rate's among it
    select date_trunc('month', day)::date as month, sum(amount)::decimal(18, 2) as cash_in
    from cash_forecast_parts($as_of, (select max(month) from horizon) + interval 1 month - interval 1 day, $realm,
                             $net_days)
    where source <> 'becomes_revenue'
    group by all
),

by_month as (
    select
        horizon.ahead,
        horizon.month,
        coalesce(sum(parts.base_amount) filter (where parts.figure = 'mrr'), 0)::decimal(18, 2) as base_mrr,
        coalesce(sum(parts.scenario_amount) filter (where parts.figure = 'mrr'), 0)::decimal(18, 2) as scenario_mrr,
        coalesce(sum(parts.base_amount) filter (where parts.figure = 'hourly'), 0)::decimal(18, 2) as base_hourly,
        coalesce(sum(parts.scenario_amount) filter (where parts.figure = 'hourly'), 0)::decimal(18, 2)
            as scenario_hourly,
        coalesce(sum(parts.change), 0)::decimal(18, 2) as cash_change
    from horizon
    left join parts using (month)
    group by horizon.ahead, horizon.month
)

select
    by_month.month,
    by_month.base_mrr,
    by_month.scenario_mrr,
    (by_month.scenario_mrr - by_month.base_mrr)::decimal(18, 2) as mrr_change,
    round(by_month.base_mrr * factors.factor, 2)::decimal(18, 2) as base_expected_mrr,
    round(by_month.scenario_mrr * factors.factor, 2)::decimal(18, 2) as scenario_expected_mrr,
    by_month.base_hourly,
    by_month.scenario_hourly,
    (by_month.scenario_hourly - by_month.base_hourly)::decimal(18, 2) as hourly_change,
    exact_ratio(by_month.base_mrr, by_month.base_mrr + by_month.base_hourly) as base_recurring_share,
    exact_ratio(by_month.scenario_mrr, by_month.scenario_mrr + by_month.scenario_hourly) as scenario_recurring_share,
    coalesce(base_cash.cash_in, 0)::decimal(18, 2) as base_cash_in,
    (coalesce(base_cash.cash_in, 0) + by_month.cash_change)::decimal(18, 2) as scenario_cash_in,
    by_month.cash_change
from by_month
join factors using (ahead)
left join base_cash using (month)
order by by_month.month
