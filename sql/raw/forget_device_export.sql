-- The company's device export of $export_date, forgotten before another export of that date is stored.
delete from raw.device_exports where realm_id = $realm and export_date = $export_date
