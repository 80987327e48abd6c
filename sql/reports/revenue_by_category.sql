-- Report revenue-by-category: revenue per month (first day) and category, all realms together
-- unless $realm names one. Only lines dated on or before $as_of: a month not over shows what is
-- dated so far, and invoices dated ahead (prepaid months) are not revenue yet. $basis: 'accrual' or 'cash'
-- (revenue_lines: on a cash basis an invoice's lines count when and as far as they are paid).
select month, category, sum(amount)::decimal(18, 2) as amount
from revenue_lines($basis)
where txn_date <= $as_of::date and ($realm is null or realm_id = $realm)
group by month, category
order by month, category
