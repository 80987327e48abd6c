-- Report revenue-by-category: revenue per month (first day) and category, all realms together
-- unless $realm names one.
select month, category, sum(amount)::decimal(18, 2) as amount
from marts.mart_revenue_by_category
where $realm is null or realm_id = $realm
group by month, category
order by month, category
