-- The rows of staging.{model} parsed from records that changed: they are parsed again, or gone with their record.
delete from staging.{model} as kept
using changed_records.main.records as changed
where {same_record};
