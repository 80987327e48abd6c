-- Report margin --overhead: per month of the 12 full months before $as_of's month, the costs that name no
-- customer (marts.fct_cost_lines without a client: rent, tools bought for the company, ...), which the client
-- margins leave out and never spread (docs/METRICS.md, margin). Every month of the 12 is listed. Parameters:
-- $as_of, $realm.
with months as (
    select unnest(generate_series(first_full_month($as_of), last_full_month($as_of), interval 1 month))::date
        as month
),

overhead as (
    select month, sum(amount) as overhead, count(*) as lines
    from marts.fct_cost_lines
    where client_id is null and month between first_full_month($as_of) and last_full_month($as_of)
      and ($realm is null or realm_id = $realm)
    group by month
)

select months.month, coalesce(overhead.overhead, 0)::decimal(18, 2) as overhead, coalesce(overhead.lines, 0) as lines
from months
left join overhead using (month)
order by months.month
