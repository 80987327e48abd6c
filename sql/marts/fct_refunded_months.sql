-- grain: one row per refund receipt and the service month it gives back: a refund of a month not yet
-- started reduces what is held for the client (a refund without service dates refunds earned money)
with lines as (
    select * from marts.fct_revenue_lines where document_type = 'RefundReceipt'
),

final as (
    select
        realm_id,
        document_id,
        txn_date as refund_date,
        customer_id,
        client_id,
        coalesce(date_trunc('month', service_date)::date, txn_date) as earn_date,
        -sum(amount)::decimal(18, 2) as refund_amount
    from lines
    group by all
)

select * from final
