-- Remove every stored record of one realm from raw.{table} (the demo company is regenerated whole).
delete from raw.{table} where realm_id = $realm;
