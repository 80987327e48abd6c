-- {relation} as an incremental model reads it whole (a lookup: customers, items, rules).
create view {views}.{relation} as
select * from {catalog}.{relation};
