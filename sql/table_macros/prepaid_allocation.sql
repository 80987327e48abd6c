-- Each earn row of each invoice and sales receipt with the part of it paid by `as_of`: what was paid
-- covers a document's earliest rows first (`earlier`: what its earlier rows come to, from the mart, so a
-- filter on earn_date reaches the mart's scan). Held for the client while earn_date > as_of.
create or replace temp macro prepaid_allocation(as_of) as table
with paid as (
    select realm_id, document_type, document_id, sum(amount) as paid
    from marts.fct_document_payments
    where paid_on <= as_of
    group by all
)

select
    rows.realm_id, rows.document_type, rows.document_id, rows.customer_id, rows.client_id, rows.earn_date,
    rows.amount, rows.txn_date,
    greatest(0, least(rows.amount, coalesce(paid.paid, 0) - rows.earlier))::decimal(18, 2) as allocated
from marts.fct_prepaid_earnings as rows
left join paid using (realm_id, document_type, document_id);
