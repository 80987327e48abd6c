-- grain: one row per live received payment
with source as (
    select * from raw.payments where not deleted
),

final as (
    select
        realm_id,
        id as payment_id,
        (payload->>'$.TxnDate')::date as txn_date,
        payload->>'$.CustomerRef.value' as customer_id,
        coalesce((payload->>'$.TotalAmt')::decimal(18, 2), 0) as total_amount,
        coalesce((payload->>'$.UnappliedAmt')::decimal(18, 2), 0) as unapplied_amount,
        payload->>'$.PaymentMethodRef.name' as payment_method,
        payload->>'$.PaymentRefNum' as reference,
        json_extract(payload, '$.Line[*]') as lines
    from source
)

select * from final
