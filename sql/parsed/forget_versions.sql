-- The versions recorded of the records that changed: recorded again as parsed, or gone with their record.
delete from parsed.records as kept
using changed_records.main.records as changed
where changed.entity = kept.entity and changed.realm_id = kept.realm_id and changed.id = kept.id;
