-- Each date an active recurring template bills on, up to last_day, as QuickBooks holds its schedule now: its
-- previous date, then its next date and every `every_n` months (Monthly), years (Yearly), weeks or days after it,
-- while on or before its end date and, with most occurrences, while the occurrence's place counted from its start
-- date (the start date's is the first) is within them. `span`: the months an occurrence bills for (every_n
-- months; a year's 12 x every_n; a weekly or daily one, its own month). A paused template bills nothing. The
-- forecasts read it: MRR (mrr_forecast_parts) and cash (cash_forecast_parts), whose files sort after this one's
-- (table macros are made in the order of the files, and must find the macros they read).
create or replace temp macro billing_dates(last_day, only_realm) as table
with templates as (
    select
        *,
        case interval_type when 'Monthly' then every_n when 'Yearly' then 12 * every_n end as step_months,
        case interval_type when 'Weekly' then 7 * every_n when 'Daily' then every_n end as step_days
    from marts.fct_recurring_templates
    where is_active and every_n > 0 and interval_type in ('Monthly', 'Yearly', 'Weekly', 'Daily')
      and (only_realm is null or realm_id = only_realm)
),

dates as (
    select realm_id, template_id, previous_date as billed_on
    from templates
    where previous_date is not null
    union
    select realm_id, template_id,
        case when step_months is not null then (next_date + to_months(step * step_months))::date
             else (next_date + to_days((step * step_days)::integer))::date end as billed_on
    from (
        select *, unnest(generate_series(0, coalesce(
            date_diff('month', next_date, last_day::date) // step_months,
            date_diff('day', next_date, last_day::date) // step_days
        ))) as step
        from templates
        where next_date is not null
    )
)

select templates.realm_id, templates.template_id, dates.billed_on, coalesce(templates.step_months, 1) as span
from templates
join dates using (realm_id, template_id)
where billed_on <= last_day::date
  and (end_date is null or billed_on <= end_date)
  and (max_occurrences is null or start_date is null
       or coalesce(date_diff('month', start_date, billed_on) // step_months,
                   date_diff('day', start_date, billed_on) // step_days) < max_occurrences);
