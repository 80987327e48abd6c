-- Journal entries that appear more than once for one customer (zero rows pass).
select realm_id, document_id, customer_id, count(*) as copies
from marts.fct_receivable_entries
group by all
having count(*) > 1
