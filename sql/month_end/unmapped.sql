-- Month-end unmapped: items and income accounts whose revenue lines no rule categorises, with their
-- money in [$first_day, $last_day] and in all history. Parameters: $first_day, $last_day, $realm.
select
    coalesce(item, '(no item)') as item,
    income_account,
    class,
    sum(amount) filter (where txn_date between $first_day and $last_day)::decimal(18, 2) as month_amount,
    sum(amount)::decimal(18, 2) as all_time_amount,
    count(*) as lines,
    max(txn_date) as last_used
from marts.fct_revenue_lines
where category = 'unmapped' and ($realm is null or realm_id = $realm)
group by all
order by all_time_amount desc, item
