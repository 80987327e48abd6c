-- Report revenue-by-category --from/--to: revenue per category over the days [$first_day, $last_day],
-- by transaction date. Parameters: $first_day, $last_day, $realm.
select category, sum(amount)::decimal(18, 2) as amount
from marts.fct_revenue_lines
where txn_date between $first_day and $last_day and ($realm is null or realm_id = $realm)
group by category
order by category
