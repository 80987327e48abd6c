-- Companies with more than one row (zero rows pass).
select realm_id, count(*) as rows
from marts.dim_companies
group by realm_id
having count(*) > 1
