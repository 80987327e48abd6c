-- Time activities that appear more than once (their hours would count twice) (zero rows pass).
select realm_id, time_activity_id, count(*) as copies
from marts.fct_time_worked
group by all
having count(*) > 1
