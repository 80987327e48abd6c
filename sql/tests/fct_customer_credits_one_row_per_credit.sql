-- Unapplied payments or credit memos counted as credit more than once (zero rows pass).
select realm_id, kind, source_id, count(*) as copies
from marts.fct_customer_credits
group by all
having count(*) > 1
