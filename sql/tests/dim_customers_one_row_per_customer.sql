-- Customers that appear more than once (each would duplicate the documents joined to it) (zero rows pass).
select realm_id, customer_id, count(*) as copies
from marts.dim_customers
group by all
having count(*) > 1
