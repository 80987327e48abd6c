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

final as (
    select
        realm_id,
        payment_id,
        txn_date as payment_date,
        customer_id,
        line_index,
        linked_txn->>'$.TxnType' as applied_to_type,
        linked_txn->>'$.TxnId' as applied_to_id,
        coalesce(amount, 0) as amount,
        exchange_rate as payment_exchange_rate
    from linked
)

select * from final
