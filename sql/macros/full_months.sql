-- The 12 full calendar months before as_of's month (the window of client labor, the garden, tiers and
-- agreement rates): its first and its last month, as first days.
create or replace temp macro first_full_month(as_of) as (date_trunc('month', as_of::date) - interval 12 month)::date;
create or replace temp macro last_full_month(as_of) as (date_trunc('month', as_of::date) - interval 1 month)::date;
