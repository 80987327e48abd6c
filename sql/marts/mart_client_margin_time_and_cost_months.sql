-- grain: one row per client, month, source (`time`, `cost`), revenue category, whether its time was billed and item
-- of fct_margin_time_and_cost_lines; for time QuickBooks gives no cost rate, per worker and minutes of an activity:
-- the time and cost lines' part of mart_client_margin_months (its columns).
with lines as (
    select * from marts.fct_margin_time_and_cost_lines
),

final as (
    select
        realm_id, client_id, month, source, category, billed, item_id,
        case when source = 'time' and amount is null then worker_key end as worker_key,
        case when source = 'time' and amount is null then minutes end as minutes_each,
        count(*) as lines,
        sum(minutes) as minutes,
        sum(amount) as amount
    from lines
    group by all
)

select * from final
