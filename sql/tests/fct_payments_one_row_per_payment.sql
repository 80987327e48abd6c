-- Payments that appear more than once (zero rows pass).
select realm_id, payment_id, count(*) as copies
from marts.fct_payments
group by all
having count(*) > 1
