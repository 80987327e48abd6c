-- What the loads and syncs stored, per QuickBooks company and entity, newest first.
select realm_id, entity, last_loaded_at, last_source, loads, inserted, updated
from marts.mart_load_history
order by realm_id, last_loaded_at desc, entity
