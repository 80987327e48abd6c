-- The QuickBooks companies (realms) with records in raw.{table}.
select distinct realm_id from raw.{table}
