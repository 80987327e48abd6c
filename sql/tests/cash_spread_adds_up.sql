-- Sums paid towards an invoice whose shares of its lines and tax, in either set of its parts (as revenue, as
-- QuickBooks books them), do not add up to the sum (zero rows pass): on a cash basis a payment is revenue exactly
-- once, and tied out exactly once, to the cent.
with shares as (
    select * from marts.fct_invoice_payment_shares
),

final as (
    select realm_id, document_id, parts, paid_by_type, paid_by_id, paid_by_line,
        any_value(paid_amount) as paid_amount, sum(amount) as spread
    from shares
    group by realm_id, document_id, parts, paid_by_type, paid_by_id, paid_by_line
    having sum(amount) <> any_value(paid_amount)
)

select * from final
