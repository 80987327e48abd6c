-- Clients with more than one MRR row for a month (zero rows pass).
select realm_id, client_id, month, count(*) as copies
from marts.mart_mrr
group by all
having count(*) > 1
