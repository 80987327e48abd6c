-- grain: one row per live received payment; amounts in the home currency at the payment's own rate
-- (its lines, which pay documents, are converted at those documents' rates: int_payment_applications)
with source as (
    select * from raw.payments where not deleted
),

-- Each payload parsed once: json_extract_string reads the list of paths in one pass, each as `->>` would
-- (the same function); a `->>` per field parsed it again for each. The lines (a wildcard) are the other read.
parsed as (
    select
        *,
        json_extract_string(payload, [
            '$.TxnDate',                   -- 1
            '$.CustomerRef.value',         -- 2
            '$.TotalAmt',                  -- 3
            '$.UnappliedAmt',              -- 4
            '$.CurrencyRef.value',         -- 5
            '$.ExchangeRate',              -- 6
            '$.PaymentMethodRef.name',     -- 7
            '$.PaymentRefNum'              -- 8
        ]) as f
    from source
),

final as (
    select
        realm_id,
        id as payment_id,
        (f[1])::date as txn_date,
        f[2] as customer_id,
        home_amount(coalesce((f[3])::decimal(18, 2), 0), exchange_rate(f[6])) as total_amount,
        home_amount(coalesce((f[4])::decimal(18, 2), 0), exchange_rate(f[6])) as unapplied_amount,
        f[5] as currency,
        exchange_rate(f[6]) as exchange_rate,
        f[7] as payment_method,
        f[8] as reference,
        json_extract(payload, '$.Line[*]') as lines
    from parsed
)

select * from final
