-- grain: one row per live received payment; amounts in the home currency at the payment's own rate
-- (its lines, which pay documents, are converted at those documents' rates: int_payment_applications)
with source as (
    select * from raw.payments where not deleted
),

final as (
    select
        realm_id,
        id as payment_id,
        (payload->>'$.TxnDate')::date as txn_date,
        payload->>'$.CustomerRef.value' as customer_id,
        home_amount(coalesce((payload->>'$.TotalAmt')::decimal(18, 2), 0), exchange_rate(payload)) as total_amount,
        home_amount(coalesce((payload->>'$.UnappliedAmt')::decimal(18, 2), 0), exchange_rate(payload))
            as unapplied_amount,
        payload->>'$.CurrencyRef.value' as currency,
        exchange_rate(payload) as exchange_rate,
        payload->>'$.PaymentMethodRef.name' as payment_method,
        payload->>'$.PaymentRefNum' as reference,
        json_extract(payload, '$.Line[*]') as lines
    from source
)

select * from final
