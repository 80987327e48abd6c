-- Report recurring-share: per month up to the as-of month, agreement (labor_msa) and hourly labor
-- revenue by transaction month, the recurring share msa / (msa + hourly), the same over the 12 months
-- ending that month, and the share of the month's labor revenue dated on its first day. Only lines
-- dated on or before $as_of count, so the as-of month is month to date. On a cash basis ($basis 'cash') an
-- invoice's labor counts when paid, and the day-1 share is of labor paid on the 1st.
-- Parameters: $as_of, $realm (null for all), $basis.
with lines as (
    select * from revenue_lines($basis)
    where category in ('labor_msa', 'labor_hourly')
      and txn_date <= $as_of::date
      and ($realm is null or realm_id = $realm)
),

bounds as (
    select min(month) as first_month from lines
),

months as (
    select unnest(generate_series(first_month, date_trunc('month', $as_of::date), interval 1 month))::date as month
    from bounds
    where first_month is not null
),

monthly as (
    select
        month,
        sum(amount) filter (where category = 'labor_msa') as labor_msa,
        sum(amount) filter (where category = 'labor_hourly') as labor_hourly,
        sum(amount) filter (where day(txn_date) = 1) as labor_day1
    from lines
    group by month
),

filled as (
    select
        months.month,
        coalesce(monthly.labor_msa, 0)::decimal(18, 2) as labor_msa,
        coalesce(monthly.labor_hourly, 0)::decimal(18, 2) as labor_hourly,
        coalesce(monthly.labor_day1, 0)::decimal(18, 2) as labor_day1
    from months
    left join monthly using (month)
),

rolling as (
    select
        *,
        sum(labor_msa) over last_12 as labor_msa_12m,
        sum(labor_msa + labor_hourly) over last_12 as labor_12m
    from filled
    window last_12 as (order by month rows between 11 preceding and current row)
)

select
    month,
    labor_msa,
    labor_hourly,
    exact_ratio(labor_msa, labor_msa + labor_hourly) as recurring_share,
    exact_ratio(labor_msa_12m, labor_12m) as recurring_share_12m,
    exact_ratio(labor_day1, labor_msa + labor_hourly) as day1_share
from rolling
order by month
