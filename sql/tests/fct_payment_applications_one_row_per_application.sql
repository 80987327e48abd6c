-- Payment lines applied to the same document more than once (each would pay it again) (zero rows pass).
select realm_id, payment_id, line_index, applied_to_type, applied_to_id, count(*) as copies
from marts.fct_payment_applications
group by all
having count(*) > 1
