-- grain: one row per client, month, source (`revenue`, `purchase_cost`) and revenue category of
-- fct_margin_sales_lines, and per item for hardware and software and what is sold at its purchase cost: the sales
-- lines' part of mart_client_margin_months (its columns; a sales line has no time, worker or minutes).
with lines as (
    select * from marts.fct_margin_sales_lines
),

final as (
    select
        realm_id, client_id, month, source, category,
        null::boolean as billed,
        case when source <> 'revenue' or category in ('hardware', 'software') then item_id end as item_id,
        null::varchar as worker_key,
        null::bigint as minutes_each,
        count(*) as lines,
        null::hugeint as minutes,  -- the type of a sum of minutes
        sum(amount) as amount
    from lines
    group by all
)

select * from final
