-- Entities with more than one load-history row in a realm (zero rows pass).
select realm_id, entity, count(*) as copies
from marts.mart_load_history
group by all
having count(*) > 1
