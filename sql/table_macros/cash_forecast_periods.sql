-- The periods of the cash forecast after as_of: `weeks` weeks of seven days from the day after as_of (13: the
-- next 91 days), or by month: the rest of the as-of month (when any is left) and the `months` months after it.
create or replace temp macro cash_forecast_periods(as_of, by_month, weeks, months) as table
select first_day, last_day from (
    select (as_of::date + (7 * step - 6)::integer)::date as first_day, (as_of::date + (7 * step)::integer)::date as last_day
    from range(1, weeks + 1) as steps(step)
    where not by_month
    union all
    select
        case when step = 0 then as_of::date + 1
             else (date_trunc('month', as_of::date) + to_months(step))::date end as first_day,
        ((date_trunc('month', as_of::date) + to_months(step + 1))::date - 1)::date as last_day
    from range(0, months + 1) as steps(step)
    where by_month
)
where first_day <= last_day;
