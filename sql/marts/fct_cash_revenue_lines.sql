-- grain: one row per revenue line and the money that made it revenue on a cash basis
-- (docs/METRICS.md#cash-basis): an invoice's revenue line once per sum paid towards the invoice (a payment
-- line, or the deposit taken on it), with the line's share of that sum (fct_invoice_payment_shares, its lines as
-- revenue), dated when it is cash; every other revenue line (sales receipts, refund receipts, credit memos,
-- journal-entry and deposit lines to income) once, whole, on its own date, paid_by_* null. The columns of
-- fct_revenue_lines, txn_date, month and amount being the cash ones (`document_date` and `line_amount`: the
-- line's date and amount on its document); the document's gross, discount and foreign amounts are not cash and
-- are left out.
with revenue_lines as (
    select * exclude (gross_amount, discount_amount, foreign_gross_amount) from marts.fct_revenue_lines
),

invoice_shares as (
    select * exclude (parts) from marts.fct_invoice_payment_shares where parts <> 'as_booked'
),

payments as (
    select realm_id, payment_id, reference from marts.fct_payments
),

paid_invoice_lines as (
    select
        revenue_lines.* exclude (txn_date, month, amount),
        invoice_shares.cash_date as txn_date,
        date_trunc('month', invoice_shares.cash_date)::date as month,
        invoice_shares.amount,
        revenue_lines.txn_date as document_date,
        revenue_lines.amount as line_amount,
        invoice_shares.paid_by_type,
        invoice_shares.paid_by_id,
        invoice_shares.paid_by_line,
        payments.reference as paid_by_reference,
        invoice_shares.paid_on,
        invoice_shares.paid_amount
    from revenue_lines
    join invoice_shares
        on invoice_shares.realm_id = revenue_lines.realm_id and invoice_shares.document_id = revenue_lines.document_id
        and invoice_shares.line_index = revenue_lines.line_index
        and invoice_shares.child_index is not distinct from revenue_lines.child_index
    left join payments
        on invoice_shares.paid_by_type = 'Payment' and payments.realm_id = invoice_shares.realm_id
        and payments.payment_id = invoice_shares.paid_by_id
    where revenue_lines.document_type = 'Invoice'
),

lines_on_their_date as (
    select
        *,
        txn_date as document_date,
        amount as line_amount,
        null::varchar as paid_by_type,
        null::varchar as paid_by_id,
        null::bigint as paid_by_line,
        null::varchar as paid_by_reference,
        null::date as paid_on,
        null::decimal(18, 2) as paid_amount
    from revenue_lines
    where document_type <> 'Invoice'
),

final as (
    select * from paid_invoice_lines
    union all by name
    select * from lines_on_their_date
)

select * from final
