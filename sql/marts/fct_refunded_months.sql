-- grain: one row per refund receipt or credit memo and the service month it gives back. A refund of
-- a month not yet started reduces what is held for the client; so does a credit memo's line for such
-- a month (the month is cancelled: its money becomes the memo's credit, counted as credit until used
-- or refunded). A line without a service date gives back earned money and does not count here.
with lines as (
    select * from marts.fct_revenue_lines where document_type in ('RefundReceipt', 'CreditMemo')
),

final as (
    select
        realm_id,
        document_type,
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
