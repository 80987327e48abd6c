-- grain: one row per sum paid towards an invoice (a payment line applied to it, or the deposit taken on the
-- invoice itself), set of the invoice's parts and part of that set it pays. Two sets, each the whole invoice:
-- `parts` 'revenue', its lines as the revenue lines carry them (net of their discount shares), whatever account
-- they post to; 'as_booked', its lines as QuickBooks books them (int_sales_lines__booked: item lines whole,
-- each discount line a negative part of its own), what QuickBooks' cash ProfitAndLoss spreads a payment over
-- and the cash tie-out compares. An invoice without a discount line has the same lines either way: one set,
-- 'both' (read as 'revenue' by the one, as 'as_booked' by the other), so only the invoices with a discount are
-- spread twice. Each set with the tax (a part of its own, line_index null). The sum is spread
-- over each set by the same rule, in proportion to the parts, to the cent by the largest remainder (each part's
-- floor of its exact share, the cents left over to the parts with the largest remainders, ties in line order),
-- so a sum's shares in each set add up to it exactly: QuickBooks prorates a payment over the invoice's lines on
-- a cash basis. `cash_date` is the later of the day paid and the invoice's date (a payment dated before its
-- invoice is income on the invoice's date: Intuit's SLN43094). A credit memo used
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

booked_lines as (
    select * from intermediate.int_sales_lines__booked where document_type = 'Invoice'
),

paid as (
    select realm_id, 'Payment' as paid_by_type, payment_id as paid_by_id, line_index as paid_by_line,
        payment_date as paid_on, applied_to_id as document_id, amount as paid_amount
    from applications
    union all
    select realm_id, 'Deposit', document_id, 0, txn_date, document_id, deposit
    from invoices where deposit <> 0
),

discounted as (  -- an invoice with a discount line: its lines as revenue and as QuickBooks books them differ
    select distinct realm_id, document_id from booked_lines where line_kind = 'discount'
),

sets as (
    select
        invoices.realm_id, invoices.document_id, invoices.total_tax,
        unnest(case when discounted.document_id is null then ['both'] else ['revenue', 'as_booked'] end) as parts
    from invoices
    left join discounted using (realm_id, document_id)
),

lines as (
    select realm_id, document_id, line_index, child_index, amount, false as as_booked from posted_lines
    union all
    select realm_id, document_id, line_index, child_index, amount, true from booked_lines
    where (realm_id, document_id) in (select (realm_id, document_id) from discounted)
),

parts as (
    select sets.realm_id, sets.document_id, sets.parts, lines.line_index, lines.child_index, lines.amount as part
    from sets
    join lines
        on lines.realm_id = sets.realm_id and lines.document_id = sets.document_id
        and lines.as_booked = (sets.parts = 'as_booked')
    union all
    select realm_id, document_id, parts, null, null, total_tax from sets where total_tax <> 0
),

products as (
    select
        paid.*,
        greatest(paid.paid_on, invoices.txn_date) as cash_date,
        parts.parts, parts.line_index, parts.child_index, parts.part,
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
                                                                  paid_by_line, document_id, parts) as left_over
    from floored
    window paid_sum as (partition by realm_id, paid_by_type, paid_by_id, paid_by_line, document_id, parts
                        order by remainder desc, line_index nulls last, child_index)
),

final as (
    select
        ranked.realm_id, ranked.document_id, ranked.parts, ranked.line_index, ranked.child_index, ranked.paid_by_type,
        ranked.paid_by_id, ranked.paid_by_line, ranked.paid_on, ranked.cash_date, ranked.paid_amount, ranked.part,
        ((ranked.floor_cents + case when ranked.rank <= ranked.left_over then 1 else 0 end)::decimal(38, 0) * 0.01)
            ::decimal(18, 2) as amount,
        -- a part of the invoice as booked ('both', 'as_booked'): the booked line it is, and that line's account, by
        -- which the cash tie-out sums the shares (fct_cash_income_by_account_month), here rather than joined there
        -- over every invoice of the company each build
        booked_lines.line_index is not null as is_booked_line,
        booked_lines.account_id as booked_account_id
    from ranked
    left join booked_lines
        on ranked.parts <> 'revenue' and booked_lines.realm_id = ranked.realm_id
        and booked_lines.document_id = ranked.document_id and booked_lines.line_index = ranked.line_index
        and booked_lines.child_index is not distinct from ranked.child_index
)

select * from final
