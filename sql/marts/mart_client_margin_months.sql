-- grain: one row per client, month and source of fct_margin_lines, its revenue category and whether its time
-- was billed; per item for what is bought or sold as an item (which margin part a cost counts in, and whether a
-- purchase cost counts, depends on the items of the report's 12 months); and, for time QuickBooks gives no
-- cost rate, per worker and minutes of an activity (costed at the owner's rate for the worker, each activity to
-- the cent: `lines` times one activity's cost). What the margin report sums instead of every line.
with lines as (
    select * from marts.fct_margin_lines
),

final as (
    select
        realm_id, client_id, month, source, category, billed,
        case when source <> 'revenue' or category in ('hardware', 'software') then item_id end as item_id,
        case when source = 'time' and amount is null then worker_key end as worker_key,
        case when source = 'time' and amount is null then minutes end as minutes_each,
        count(*) as lines,
        sum(minutes) as minutes,
        sum(amount) as amount
    from lines
    group by all
)

select * from final
