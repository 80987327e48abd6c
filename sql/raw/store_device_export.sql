-- Store one device export (the relation export_devices, registered by the loader) as the company's export of
-- $export_date (raw/forget_device_export.sql runs first, in the same transaction).
insert into raw.device_exports
select $realm, $export_date, $source, $layout, line, organisation, device, device_type, kind, last_seen, billable,
       $loaded_at
from export_devices
