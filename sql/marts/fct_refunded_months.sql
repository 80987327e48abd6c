-- grain: one row per refund receipt or credit memo and the service month it gives back. A refund of
-- a month not yet started reduces what is held for the client; so does a credit memo's line for such
-- a month (the month is cancelled: its money becomes the memo's credit, counted as credit until used
-- or refunded). A line's months are fct_service_months': its service month, or for an item named in
-- [agreement_months] the last months of that item billed to the client (latest first, whatever the
-- line's own service date). A line without a service date, of any other item, gives back earned money
-- and does not count here (its earn_date is its own date).
with parts as (
    select * from marts.fct_service_months where document_type in ('RefundReceipt', 'CreditMemo')
),

final as (
    select
        realm_id,
        document_type,
        document_id,
        txn_date as refund_date,
        customer_id,
        client_id,
        earn_date,
        -sum(amount)::decimal(18, 2) as refund_amount
    from parts
    group by all
)

select * from final
