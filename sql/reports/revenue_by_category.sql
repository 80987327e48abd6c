-- Report revenue-by-category: revenue per month (first day) and category, all realms together
-- unless $realm names one. Only lines dated on or before $as_of: a month not over shows what is
-- dated so far, and invoices dated ahead (prepaid months) are not revenue yet.
select month, category, sum(amount)::decimal(18, 2) as amount
from marts.fct_revenue_lines
where txn_date <= $as_of::date and ($realm is null or realm_id = $realm)
group by month, category
order by month, category
