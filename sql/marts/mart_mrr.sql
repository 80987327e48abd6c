-- grain: one row per realm, client and service month with agreement (labor_msa) revenue: the MRR, the
-- sum of that client's month in fct_mrr_lines (where the spreading over service months is decided).
with lines as (
    select * from marts.fct_mrr_lines
),

final as (
    select realm_id, client_id, any_value(client) as client, month, sum(amount)::decimal(18, 2) as mrr
    from lines
    group by realm_id, client_id, month
)

select * from final
