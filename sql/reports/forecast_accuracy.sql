-- Report forecast-accuracy: for each month over before the as-of month that a kept forecast forecast
-- (marts.mart_kept_forecasts, one a build day), the last forecast made before the month began (per company, then
-- added up) against the MRR that came: the month's agreement lines dated by the as-of date (report lines --kind mrr).
-- The differences are actual less forecast (negative: less came than forecast); expected_error_percent the expected
-- difference against expected MRR, to 4 places. Parameters: $as_of, $realm.
with kept as (
    select * from marts.mart_kept_forecasts
    where made_on <= $as_of::date and month < date_trunc('month', $as_of::date)
      and ($realm is null or realm_id = $realm)
),

latest as (  -- per company and month, the day of the last forecast made for it
    select realm_id, month, max(made_on) as made_on from kept group by all
),

forecast as (
    select
        month, max(made_on) as made_on, sum(committed_mrr)::decimal(18, 2) as committed_mrr,
        sum(expected_mrr)::decimal(18, 2) as expected_mrr
    from kept
    join latest using (realm_id, month, made_on)
    group by month
),

actual as (
    select month, sum(amount)::decimal(18, 2) as actual_mrr
    from marts.fct_mrr_lines
    where txn_date <= $as_of::date and month in (select month from forecast)
      and ($realm is null or realm_id = $realm)
    group by month
)

select
    forecast.month,
    forecast.made_on,
    date_diff('month', date_trunc('month', forecast.made_on), forecast.month) as months_ahead,
    forecast.committed_mrr,
    forecast.expected_mrr,
    coalesce(actual.actual_mrr, 0)::decimal(18, 2) as actual_mrr,
    (coalesce(actual.actual_mrr, 0) - forecast.committed_mrr)::decimal(18, 2) as committed_difference,
    (coalesce(actual.actual_mrr, 0) - forecast.expected_mrr)::decimal(18, 2) as expected_difference,
    (exact_ratio(coalesce(actual.actual_mrr, 0) - forecast.expected_mrr, forecast.expected_mrr) * 100)::decimal(9, 4)
        as expected_error_percent
from forecast
left join actual using (month)
order by forecast.month
