-- Report revenue-by-category --from/--to: revenue per category over the days [$first_day, $last_day],
-- by transaction date (on a cash basis, the day it was paid). Parameters: $first_day, $last_day, $realm, $basis.
select category, sum(amount)::decimal(18, 2) as amount
from revenue_lines($basis)
where txn_date between $first_day and $last_day and ($realm is null or realm_id = $realm)
group by category
order by category
