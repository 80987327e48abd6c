-- Report forecast --cash: what comes in each week (or month, $by_month) after the as-of date
-- (cash_forecast_periods, cash_forecast_parts): recurring_billing (the active templates' totals on their billing
-- dates) + receivables (open invoices on the day each client pays, by its history, else their due date) +
-- hourly_run_rate (hourly work still to be invoiced, at each client's run-rate of the 3 full months) = cash_in;
-- becomes_revenue: the prepaid money that becomes revenue then (not cash: it came in already).
-- Parameters: $as_of, $by_month, $weeks, $months, $realm, $net_days (hourly terms: the run-rate's paid after).
with periods as (
    select * from cash_forecast_periods($as_of, $by_month, $weeks, $months)
),

parts as (
    select * from cash_forecast_parts($as_of, (select max(last_day) from periods), $realm, $net_days)
)

select
    periods.first_day as period_start,
    periods.last_day as period_end,
    coalesce(sum(parts.amount) filter (where parts.source = 'recurring_billing'), 0)::decimal(18, 2)
        as recurring_billing,
    coalesce(sum(parts.amount) filter (where parts.source = 'receivables'), 0)::decimal(18, 2) as receivables,
    coalesce(sum(parts.amount) filter (where parts.source = 'hourly_run_rate'), 0)::decimal(18, 2) as hourly_run_rate,
    coalesce(sum(parts.amount) filter (where parts.source <> 'becomes_revenue'), 0)::decimal(18, 2) as cash_in,
    coalesce(sum(parts.amount) filter (where parts.source = 'becomes_revenue'), 0)::decimal(18, 2)
        as becomes_revenue
from periods
left join parts on parts.day between periods.first_day and periods.last_day
group by periods.first_day, periods.last_day
order by periods.first_day
