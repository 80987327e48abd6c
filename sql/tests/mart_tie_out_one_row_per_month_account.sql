-- Months with more than one tie-out row for an income account (zero rows pass).
select realm_id, month, account_id, count(*) as copies
from marts.mart_tie_out
group by all
having count(*) > 1
