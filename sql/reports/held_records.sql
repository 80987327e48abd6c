-- Report held-records: what syncs received but held back (the field the models cannot read), per
-- QuickBooks company. Parameters: $realm.
select entity, record_id, reason, last_updated, held_at, realm_id
from marts.mart_held_records
where $realm is null or realm_id = $realm
order by realm_id, entity, record_id
