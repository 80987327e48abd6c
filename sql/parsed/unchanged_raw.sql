-- raw.{table} as the kept staging models read it when none of its records changed: no row. Not changed_raw.sql's
-- semi join with no record: DuckDB scans the table for that one before it finds nothing to join (a day's invoices
-- parsed read the 5,767 sales receipts' payloads, ~1.6 ms at 250 x 10), and drops a relation it knows empty from
-- the plan. {work} is the work database's catalog.
create view changed_records.raw.{table} as
select * from {work}.raw.{table}
where false;
