-- Held records listed more than once (zero rows pass).
select realm_id, entity, record_id, count(*) as rows
from marts.mart_held_records
group by all
having count(*) > 1
