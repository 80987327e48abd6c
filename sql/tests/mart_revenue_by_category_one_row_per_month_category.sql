-- Months with more than one row for a category (zero rows pass).
select realm_id, month, category, count(*) as copies
from marts.mart_revenue_by_category
group by all
having count(*) > 1
