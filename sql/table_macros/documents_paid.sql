-- When each invoice and sales receipt dated between first_day and last_day (voided ones left out) was paid in
-- full by as_of (docs/METRICS.md, policies and payment behaviour): `paid_on` is the day what was applied to it
-- (payment lines, credit memos used through a payment, a deposit on the invoice; a sales receipt on its own
-- date) first reaches its total; null while it is still open by as_of, so a partial payment leaves it unpaid.
-- Payments count only when dated by as_of. The one definition of "paid" that report policies and report
-- payment-behaviour read.
create or replace temp macro documents_paid(as_of, first_day, last_day, only_realm) as table
with documents as materialized (
    select realm_id, document_type, document_id, doc_number, customer_id, txn_date, due_date, total_amount,
        payment_method
    from marts.fct_sales_documents
    where document_type in ('Invoice', 'SalesReceipt') and not is_voided
      and txn_date between first_day::date and last_day::date and (only_realm is null or realm_id = only_realm)
),

applied as (  -- each day something was applied to them, with what had been applied by then
    select
        payments.realm_id, payments.document_type, payments.document_id, payments.paid_on,
        sum(sum(payments.amount)) over (partition by payments.realm_id, payments.document_type, payments.document_id
                                        order by payments.paid_on) as paid_by_then
    from marts.fct_document_payments as payments
    semi join documents using (realm_id, document_type, document_id)
    where payments.paid_on <= as_of::date
    group by payments.realm_id, payments.document_type, payments.document_id, payments.paid_on
),

paid as (  -- the day each document was paid in full
    select applied.realm_id, applied.document_type, applied.document_id, min(applied.paid_on) as paid_on
    from applied
    join documents using (realm_id, document_type, document_id)
    where applied.paid_by_then >= documents.total_amount
    group by all
)

select documents.*, paid.paid_on
from documents
left join paid using (realm_id, document_type, document_id);
