-- grain: one row per sum paid towards an invoice (a payment line applied to it, or the deposit taken on the
-- invoice itself) and part of that invoice it pays: each line, whatever account it posts to, and the tax (a
-- part of its own, line_index null). The sum is spread in proportion to the parts, to the cent by the largest
-- remainder (each part's floor of its exact share, the cents left over to the parts with the largest
-- remainders, ties in line order), so a sum's shares add up to it exactly: QuickBooks prorates a payment over
-- the invoice's lines on a cash basis. `cash_date` is the later of the day paid and the invoice's date (a
-- payment dated before its invoice is income on the invoice's date: Intuit's SLN43094). A credit memo used
-- through a payment is not spread here: its part of the payment pays the invoice like money, and the memo
-- counts on its own date (docs/METRICS.md#cash-basis).
with applications as (
    select * from intermediate.int_payment_applications where applied_to_type = 'Invoice'
),

invoices as (
    select * from intermediate.int_sales_documents where document_type = 'Invoice' and not is_voided
),

posted_lines as (
    select * from intermediate.int_sales_lines__posted where document_type = 'Invoice'
),

paid as (
    select realm_id, 'Payment' as paid_by_type, payment_id as paid_by_id, line_index as paid_by_line,
        payment_date as paid_on, applied_to_id as document_id, amount as paid_amount
    from applications
    union all
    select realm_id, 'Deposit', document_id, 0, txn_date, document_id, deposit
    from invoices where deposit <> 0
),

parts as (
    select realm_id, document_id, line_index, child_index, amount as part from posted_lines
    union all
    select realm_id, document_id, null, null, total_tax from invoices where total_tax <> 0
),

products as (
    select
        paid.*,
        greatest(paid.paid_on, invoices.txn_date) as cash_date,
        parts.line_index, parts.child_index, parts.part,
        (paid.paid_amount * 100)::hugeint * (parts.part * 100)::hugeint as product,
        (invoices.total_amount * 100)::hugeint as whole
    from paid
    join invoices using (realm_id, document_id)
    join parts using (realm_id, document_id)
    where invoices.total_amount > 0  -- nothing to be in proportion to
),

floored as (
    select *, floor_div(product, whole) as floor_cents, product - floor_div(product, whole) * whole as remainder
    from products
),

ranked as (
    select
        *,
        row_number() over paid_sum as rank,
        (paid_amount * 100)::hugeint - sum(floor_cents) over (partition by realm_id, paid_by_type, paid_by_id,
                                                                  paid_by_line, document_id) as left_over
    from floored
    window paid_sum as (partition by realm_id, paid_by_type, paid_by_id, paid_by_line, document_id
                        order by remainder desc, line_index nulls last, child_index)
),

final as (
    select
        realm_id, document_id, line_index, child_index, paid_by_type, paid_by_id, paid_by_line, paid_on,
        cash_date, paid_amount, part,
        ((floor_cents + case when rank <= left_over then 1 else 0 end)::decimal(38, 0) * 0.01)::decimal(18, 2)
            as amount
    from ranked
)

select * from final
