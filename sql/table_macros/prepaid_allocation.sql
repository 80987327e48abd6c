-- Each earn row earned after `earned_after` of each invoice and sales receipt, with the part of it paid by
-- `as_of`: what was paid covers a document's earliest rows first (`earlier`: what its earlier rows come to,
-- from the mart). Held for the client while earn_date > as_of. Only the payments of the documents with such
-- rows are summed: at 1,000 clients × 10 years most documents were earned long before any date asked about.
create or replace temp macro prepaid_allocation(as_of, earned_after) as table
with earn_rows as (
    select * from marts.fct_prepaid_earnings where earn_date > earned_after
),

paid as (
    select payments.realm_id, payments.document_type, payments.document_id, sum(payments.amount) as paid
    from marts.fct_document_payments as payments
    semi join earn_rows using (realm_id, document_type, document_id)
    where payments.paid_on <= as_of
    group by all
)

select
    rows.realm_id, rows.document_type, rows.document_id, rows.customer_id, rows.client_id, rows.earn_date,
    rows.amount, rows.txn_date,
    greatest(0, least(rows.amount, coalesce(paid.paid, 0) - rows.earlier))::decimal(18, 2) as allocated
from earn_rows as rows
left join paid using (realm_id, document_type, document_id);
