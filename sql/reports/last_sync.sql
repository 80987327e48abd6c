-- When each QuickBooks company's last sync finished (UTC).
select realm_id, last_synced_at
from marts.mart_sync_status
order by realm_id
