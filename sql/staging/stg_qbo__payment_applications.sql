-- grain: one row per document a payment line is applied to (an invoice paid, a credit memo used);
-- `amount` in the payment's currency (int_payment_applications converts it)
with payments as (
    select realm_id, payment_id, txn_date, customer_id, exchange_rate, lines from staging.stg_qbo__payments
),

payment_lines as (
    select
        realm_id, payment_id, txn_date, customer_id, exchange_rate,
        unnest(lines) as line,
        generate_subscripts(lines, 1) as line_index
    from payments
),

linked as (
    select
        realm_id, payment_id, txn_date, customer_id, exchange_rate, line_index,
        (line->>'$.Amount')::decimal(18, 2) as amount,
        unnest(json_extract(line, '$.LinkedTxn[*]')) as linked_txn
    from payment_lines
),

-- each linked transaction parsed once: its two paths in one json_extract_string (each as `->>` reads it)
parsed as (
    select *, json_extract_string(linked_txn, ['$.TxnType', '$.TxnId']) as texts from linked
),

final as (
    select
        realm_id,
        payment_id,
        txn_date as payment_date,
        customer_id,
        line_index,
        texts[1] as applied_to_type,
        texts[2] as applied_to_id,
        coalesce(amount, 0) as amount,
        exchange_rate as payment_exchange_rate
    from parsed
)

select * from final
