-- Companies with more than one sync status row (zero rows pass).
select realm_id, count(*) as rows
from marts.mart_sync_status
group by realm_id
having count(*) > 1
