-- grain: one row per realm, month (first day, by transaction date) and category
with lines as (
    select * from marts.fct_revenue_lines
),

final as (
    select realm_id, month, category, sum(amount)::decimal(18, 2) as amount
    from lines
    group by all
)

select * from final
