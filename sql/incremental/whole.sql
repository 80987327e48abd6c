-- {relation} as an incremental model reads it whole (a lookup: customers, items, rules).
create view affected.{relation} as
select * from {catalog}.{relation};
