-- Each earn row of each invoice and sales receipt with the part of it paid by `as_of`: what was paid
-- covers a document's earliest rows first. Held for the client while earn_date > as_of.
create or replace temp macro prepaid_allocation(as_of) as table
with paid as (
    select realm_id, document_type, document_id, sum(amount) as paid
    from marts.fct_document_payments
    where paid_on <= as_of
    group by all
),

earn_rows as (
    select
        rows.*,
        coalesce(paid.paid, 0) as paid,
        coalesce(sum(rows.amount) over (
            partition by rows.realm_id, rows.document_type, rows.document_id
            order by rows.earn_date rows between unbounded preceding and 1 preceding
        ), 0) as earlier
    from marts.fct_prepaid_earnings as rows
    left join paid using (realm_id, document_type, document_id)
)

select
    realm_id, document_type, document_id, customer_id, client_id, earn_date, amount,
    greatest(0, least(amount, paid - earlier))::decimal(18, 2) as allocated
from earn_rows;
